"""Which counselor keys survivors' shares are sealed to: endorsed ones only (issue 9).

Guarantees: `sealable_keys()` is the active keys of active counselors whose endorsement
chain verifies from the operator's public key (mend.crypto.endorsement.trusted_keys), checked
from the signatures on every call, never from a flag: a key inserted or edited in the
database, by the web admin or anyone else, is not sealable without a valid signature.
Entries, re-sealed shares and group assignments accept exactly this set, and survivors'
browsers check the same chain themselves before sealing (static/js/escrow/protocol.js).
Not protected: an endorsed counselor who vouches for the wrong person.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from mend.accounts.models import Role, User
from mend.crypto.endorsement import KeyRecord, fingerprint, trusted_keys
from mend.escrow import keys
from mend.escrow.models import CounselorKey


def key_record(key: CounselorKey) -> KeyRecord | None:
    """What the signature covers; None for a key with no endorsement yet."""
    if key.endorsement is None or key.signing_public_key is None:
        return None
    return KeyRecord(
        key_id=key.id,
        owner_id=key.counselor_id,
        public_key=bytes(key.public_key),
        signing_public_key=bytes(key.signing_public_key),
        endorsed_by=key.endorsed_by_id,
        signature=bytes(key.endorsement),
    )


def trusted_ids(candidates: Iterable[CounselorKey] | None = None) -> set[UUID]:
    """Ids of the keys, active or retired, that a valid chain links to the operator."""
    if candidates is None:
        candidates = CounselorKey.objects.exclude(endorsement=None)
    records = [r for r in (key_record(k) for k in candidates) if r is not None]
    return trusted_keys(records, keys.operator_public_key())


def sealable_keys() -> list[CounselorKey]:
    """The keys every new share must be sealed to, oldest first."""
    trusted = trusted_ids()
    active = CounselorKey.objects.filter(
        active=True, counselor__is_active=True, counselor__role=Role.COUNSELOR
    ).order_by("created_at")
    return [k for k in active if k.id in trusted]


def sealable_ids() -> set[UUID]:
    return {k.id for k in sealable_keys()}


def chain_for_browsers() -> tuple[list[CounselorKey], set[UUID]]:
    """The sealable keys and every key their chains pass through (retired ones included),
    so that a browser can check each chain itself; and the ids of the sealable ones."""
    sealable = sealable_keys()
    return with_their_chains(sealable), {k.id for k in sealable}


def chain_for_public_keys(
    public_keys: Iterable[bytes], sealable: Iterable[bytes] = ()
) -> tuple[list[CounselorKey], set[UUID]]:
    """The endorsed staff keys whose X25519 public key is one of `public_keys`, and every key
    their chains pass through: a dialogue case's facilitators' keys (each one's case key is
    her staff key), for the parties' browsers to check each chain themselves; and the ids of
    those new items may be sealed to: the active ones among `sealable`. A retired key (an
    admin's action: lost or compromised) is listed only for checking what its owner signed
    with it before, never to be sealed to."""
    wanted = set(public_keys)
    to_seal = set(sealable)
    found = [
        k for k in CounselorKey.objects.exclude(endorsement=None) if bytes(k.public_key) in wanted
    ]
    return with_their_chains(found), {
        k.id for k in found if k.active and bytes(k.public_key) in to_seal
    }


def with_their_chains(keys: list[CounselorKey]) -> list[CounselorKey]:
    """`keys` and every endorsed key their chains pass through (retired ones included),
    oldest first."""
    every = {k.id: k for k in CounselorKey.objects.exclude(endorsement=None)}
    listed = {k.id: k for k in keys}
    for key in keys:
        parent = key.endorsed_by_id
        while parent is not None and parent not in listed and parent in every:
            listed[parent] = every[parent]
            parent = every[parent].endorsed_by_id
    return sorted(listed.values(), key=lambda k: k.created_at)


@dataclass(frozen=True)
class KeyState:
    """A staff member's active key as she reads it to a colleague, and whether a valid
    chain from the operator vouches for it (her page says so)."""

    fingerprint: str
    vouched: bool


def key_state(user: User) -> KeyState | None:
    """The state of her active staff key; None before she made one."""
    key = CounselorKey.objects.filter(counselor=user, active=True).first()
    if key is None:
        return None
    # Its own chain decides its standing: no need to check every endorsed key's signature.
    return KeyState(key_fingerprint(key), key.id in trusted_ids(with_their_chains([key])))


def vouched_holder_ids() -> set[UUID]:
    """The staff whose active key a valid chain vouches for (a facilitator the parties'
    browsers can write to: mend.dialogue.availability)."""
    trusted = trusted_ids()
    active = CounselorKey.objects.filter(active=True).values_list("id", "counselor_id")
    return {owner for key_id, owner in active if key_id in trusted}


def key_fingerprint(key: CounselorKey) -> str:
    """What people compare aloud before vouching for a key (mend.crypto.endorsement)."""
    return fingerprint(bytes(key.public_key), bytes(key.signing_public_key or b""))


def pending_keys(counselor: User) -> list[CounselorKey]:
    """Colleagues' active keys that wait for an endorsement she may give (none unless her
    own key is endorsed): counselors', and facilitators', whose staff key is their dialogue
    case key (ADR 0014) and which the parties' browsers trust only once endorsed. An
    endorsed facilitator's key is never sealable: ``sealable_keys`` takes counselors only."""
    mine = CounselorKey.objects.filter(counselor=counselor, active=True).first()
    if mine is None or mine.id not in sealable_ids():
        return []
    trusted = trusted_ids()
    waiting = (
        CounselorKey.objects.filter(
            active=True,
            counselor__is_active=True,
            counselor__role__in=(Role.COUNSELOR, Role.FACILITATOR),
        )
        .exclude(counselor=counselor)
        .exclude(signing_public_key=None)
        .select_related("counselor")
        .order_by("created_at")
    )
    return [k for k in waiting if k.id not in trusted]
