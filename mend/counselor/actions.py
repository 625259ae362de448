"""Counselor workspace writes: her key, endorsing a colleague's, opening groups, decisions,
closing, re-sealing. (Messages, retiring a key and the operator's endorsement are the
escrow's own actions, ``mend.escrow.actions``: the survivor's side and the admin use them.)

Guarantees:
- Every counselor action on a group is written to the audit log with her as the actor.
- A counselor re-seals only shares she can open herself (sealed to her key), only for
  entries still waiting or in groups assigned to her, only to active keys that lack
  them, and only while her staff certificate is current; the server cannot check what is
  inside a sealed box (docs/escrow.md).
- A key receives shares only once endorsed (mend.escrow.trust): by another counselor whose
  own key is endorsed, with a signature made in her browser and checked here, or, while no
  endorsed counselor key exists, by the operator's offline key. Registering and endorsing
  a key are written to the audit log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from mend.accounts.models import User
from mend.audit.actions import record_audit
from mend.escrow import actions, tasks, trust
from mend.escrow.access import get_pending_key_for_counselor, is_certified_counselor
from mend.escrow.errors import Conflict, Invalid
from mend.escrow.models import (
    CounselorKey,
    Decision,
    EntryTag,
    GroupState,
    MatchGroup,
    Membership,
    Notice,
    NoticeKind,
    SealedShare,
)
from mend.lib.background import enqueue_in_transaction


@dataclass(frozen=True)
class Reseal:
    tag_id: UUID
    key_id: UUID
    sealed: bytes


def do_register_counselor_key(
    counselor: User,
    key_id: UUID,
    public_key: bytes,
    signing_public_key: bytes,
    wrapped: bytes,
    params: dict[str, Any],
) -> CounselorKey:
    """Store a key made in her browser, not yet endorsed. One active key per counselor."""
    with transaction.atomic():
        if actions.active_key(counselor) is not None:
            raise Conflict("you already have an active key")
        try:
            with transaction.atomic():
                key = CounselorKey.objects.create(
                    id=key_id,
                    counselor=counselor,
                    public_key=public_key,
                    signing_public_key=signing_public_key,
                    wrapped_secret_key=wrapped,
                    kdf_params=params,
                    complete=not EntryTag.objects.exists(),
                    created_at=timezone.now(),
                )
        except IntegrityError:
            raise Conflict("this key is already registered") from None
        record_audit(
            "escrow.key.registered", actor=counselor, object_type="counselor_key", object_id=key.id
        )
    return key


def do_endorse_counselor_key(counselor: User, key_id: UUID, signature: bytes) -> CounselorKey:
    """Store a colleague's endorsement, made in her browser with her own endorsed key.

    Http404 unless the key is one of `trust.pending_keys(counselor)`; Invalid unless
    the signature verifies under her key's signing key over exactly that key.
    """
    with transaction.atomic():
        key = get_pending_key_for_counselor(counselor, key_id)  # 404 for any other key
        mine = actions.active_key(counselor)
        if mine is None or mine.signing_public_key is None:
            raise Invalid("your key has no signing key")
        actions.store_endorsement(key, signature, bytes(mine.signing_public_key), endorser=mine)
        record_audit(
            "escrow.key.endorsed", actor=counselor, object_type="counselor_key", object_id=key.id
        )
    return key


def do_open_group(counselor: User, group: MatchGroup) -> None:
    record_audit(
        "escrow.group.opened", actor=counselor, object_type="match_group", object_id=group.id
    )


#: What a counselor records of a survivor: what she says she wants. Withdrawing is her own
#: act (escrow.actions.do_withdraw_entry), which decides who is told when the group closes
#: and who starts again on naming the person anew: never the counselor's to record.
COUNSELOR_DECISIONS = tuple(d for d in Decision.values if d != Decision.WITHDREW)


def do_record_decision(counselor: User, membership: Membership, decision: str) -> None:
    """Her decision as the counselor records it; 400 for withdrew or an unknown one, 409
    once she withdrew or the group is closed."""
    if decision not in COUNSELOR_DECISIONS:
        raise Invalid("unknown decision")
    if membership.decision == Decision.WITHDREW:
        raise Conflict("she withdrew her entry: only she can come back, by naming the person again")
    if membership.group.state == GroupState.CLOSED:
        raise Conflict("the group is closed")
    membership.decision = decision
    membership.decided_at = timezone.now()
    with transaction.atomic():
        membership.save(update_fields=["decision", "decided_at"])
        record_audit(
            f"escrow.decision.{decision}",
            actor=counselor,
            object_type="membership",
            object_id=membership.id,
        )


def do_close_group(counselor: User, group: MatchGroup) -> None:
    now = timezone.now()
    with transaction.atomic():
        group.state = GroupState.CLOSED
        group.closed_at = now
        group.save(update_fields=["state", "closed_at"])
        for survivor_id in group.members.exclude(decision=Decision.WITHDREW).values_list(
            "survivor_id", flat=True
        ):
            Notice.objects.create(
                user_id=survivor_id, kind=NoticeKind.CLOSED, group=group, created_at=now
            )
        record_audit(
            "escrow.group.closed", actor=counselor, object_type="match_group", object_id=group.id
        )


def reseal_candidates(counselor: User) -> QuerySet[SealedShare]:
    """Her shares of tags that a colleague's new key lacks, limited to what she may re-seal.

    Costs one scan of the tags per incomplete key, and nothing once every key is complete.
    """
    mine = actions.active_key(counselor)
    sealable = trust.sealable_keys()
    if mine is None or mine not in sealable or not is_certified_counselor(counselor):
        return SealedShare.objects.none()
    incomplete = [k for k in sealable if not k.complete and k.id != mine.id]
    if not incomplete:
        return SealedShare.objects.none()
    lacking = Q()
    for key in incomplete:
        lacking |= Q(tag__in=actions.lacking_shares(key).values("id"))
    eligible = Q(tag__group=None) | Q(tag__group__counselor=counselor)
    return SealedShare.objects.filter(eligible, lacking, key=mine).select_related("tag")


def _mark_complete_keys() -> None:
    for key in trust.sealable_keys():
        if key.complete:
            continue
        if not actions.lacking_shares(key).exists():
            key.complete = True
            key.save(update_fields=["complete"])


def do_reseal_shares(counselor: User, items: Sequence[Reseal]) -> int:
    """Store shares she re-sealed in her browser for colleagues' keys; returns how many."""
    allowed = set(reseal_candidates(counselor).values_list("tag_id", flat=True))
    active = trust.sealable_ids()
    stored = 0
    with transaction.atomic():
        for item in items:
            if item.tag_id not in allowed or item.key_id not in active:
                raise Invalid("this share cannot be re-sealed by you")
            _, created = SealedShare.objects.get_or_create(
                tag_id=item.tag_id, key_id=item.key_id, defaults={"sealed": item.sealed}
            )
            stored += int(created)
        record_audit("escrow.shares.resealed", actor=counselor, object_type="counselor_key")
        _mark_complete_keys()
    unassigned = MatchGroup.objects.filter(counselor=None, state=GroupState.OPEN).values_list(
        "id", flat=True
    )
    for group_id in unassigned:
        gid = str(group_id)
        enqueue_in_transaction(tasks.assign_counselor, gid)
    return stored
