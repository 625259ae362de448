"""Escrow writes with side effects (STYLE rule 4): evaluate, submit, edit, withdraw, match.

Guarantees:
- Matching is an indexed equality lookup on pi (EntryTag.match_index); nothing is ever
  decrypted or trial-decrypted on the server.
- A match group forms when the number of DISTINCT owners with a pi reaches
  settings.ESCROW_THRESHOLD; one survivor naming the same person many times counts once.
- Submission, match detection, group creation and the audit record are one transaction;
  notices and counselor assignment are enqueued only after it commits.
- Concurrent submissions of the same pi are serialised (PostgreSQL advisory lock per pi;
  SQLite's write transactions are serial), so two survivors submitting together still match.
- Withdrawing an entry before a match deletes it, its tags and shares; only a day-level
  audit count remains.
- Retiring a counselor key deletes every share sealed to it and hands its open groups to
  another counselor who can open them; registering, endorsing and retiring a key are
  written to the audit log.
- Nobody, survivor or counselor, sends more than RATE_LIMIT_ESCROW_MESSAGE_ACCOUNT messages
  per window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from mend.accounts.models import User
from mend.audit.actions import record_audit
from mend.crypto import endorsement, oprf
from mend.crypto.errors import EndorsementError
from mend.escrow import keys, sql, tasks, trust
from mend.escrow.errors import Conflict, Invalid, KeysChanged, NotOpen, NotVerified, RateLimited
from mend.escrow.messages import seal_message
from mend.escrow.models import (
    CounselorKey,
    Decision,
    Entry,
    EntryTag,
    EscrowAccount,
    GroupState,
    MatchGroup,
    Membership,
    Message,
    Notice,
    NoticeKind,
    SealedShare,
)
from mend.lib import ratelimit
from mend.lib.background import enqueue_in_transaction


@dataclass(frozen=True)
class NewTag:
    """One identifier's part of an upload: pi and the share sealed to each counselor key."""

    match_index: bytes
    shares: dict[UUID, bytes]


@dataclass(frozen=True)
class EntryUpload:
    entry_id: UUID
    ciphertext: bytes
    owner_key: bytes
    tags: Sequence[NewTag]


# --- OPRF ------------------------------------------------------------------------------------


def oprf_limits() -> tuple[ratelimit.Limit, ratelimit.Limit]:
    return (
        ratelimit.Limit.from_setting("escrow-oprf", settings.RATE_LIMIT_ESCROW_OPRF_ACCOUNT),
        ratelimit.Limit.from_setting("escrow-oprf-all", settings.RATE_LIMIT_ESCROW_OPRF_GLOBAL),
    )


def do_evaluate_oprf(user: User, blinded_elements: Sequence[bytes]) -> oprf.Evaluation:
    """VOPRF BlindEvaluate with a DLEQ proof, for a verified survivor within the limits.

    Every element counts once against her own limit and, if within it, once against the
    site-wide limit. Malformed elements raise mend.crypto's InvalidElementError.
    """
    require_verified(user)
    per_account, site_wide = oprf_limits()
    for _ in blinded_elements:
        verdict = ratelimit.hit(per_account, str(user.pk))
        if not verdict.allowed:
            raise RateLimited("too many look-ups today", retry_after=verdict.retry_after)
        verdict = ratelimit.hit(site_wide, "all")
        if not verdict.allowed:
            raise RateLimited("too many look-ups right now", retry_after=verdict.retry_after)
    pair = keys.oprf_key_pair()
    return oprf.blind_evaluate_verifiable(pair.secret_key, pair.public_key, blinded_elements)


def require_verified(user: User) -> EscrowAccount:
    try:
        return EscrowAccount.objects.get(user=user)
    except EscrowAccount.DoesNotExist:
        raise NotVerified("verify your account first") from None


# --- entries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    entry: Entry
    matched: bool


def do_submit_entry(owner: User, upload: EntryUpload) -> Submitted:
    """Store a new entry and its tags, then form or join match groups (module docstring)."""
    now = timezone.now()
    entry = Entry(
        id=upload.entry_id,
        owner=owner,
        ciphertext=upload.ciphertext,
        owner_key=upload.owner_key,
        created_at=now,
        updated_at=now,
    )
    try:
        with transaction.atomic():
            _check_submission(owner, upload.tags)
            matched = _add_tags(entry, upload.tags, now, new_entry=True)
            record_audit("escrow.entry.submitted", count_only=True)
    except IntegrityError:
        raise Conflict("an entry with this id already exists") from None
    entry._state.adding = False
    return Submitted(entry, matched)


def _check_submission(owner: User, tags: Sequence[NewTag]) -> None:
    """Verified, below the number of entries one account may keep, and a share for exactly
    the active counselor keys in every tag; on PostgreSQL, also lock the tags' pi. One
    statement (mend.escrow.sql)."""
    key_sets = {frozenset(tag.shares) for tag in tags}
    given = sorted(next(iter(key_sets))) if len(key_sets) == 1 else []
    found = sql.check_submission(owner.pk, given, [tag.match_index for tag in tags])
    if not found.verified:
        raise NotVerified("verify your account first")
    if found.entries >= settings.ESCROW_MAX_ENTRIES:
        raise Conflict("you have reached the number of entries one account can keep")
    if not found.active_keys:
        raise NotOpen("no counselor can receive entries yet")
    if len(key_sets) != 1 or not len(given) == found.given_keys == found.active_keys:
        raise KeysChanged("the counselor keys changed; seal the shares again")


def do_edit_entry(
    entry: Entry, version: int, ciphertext: bytes, tags: Sequence[NewTag] | None
) -> Entry:
    """Replace E (now at version + 1) and, if `tags` is given, her waiting identifiers.

    Identifiers already in a match group stay: a match cannot be undone by editing (she can
    withdraw the entry instead). `version` must be the one she edited, or Conflict.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = Entry.objects.select_for_update().filter(pk=entry.pk).first()
        if locked is None:  # withdrawn in another tab since she opened it
            raise Conflict("this entry was withdrawn elsewhere; nothing was saved")
        if locked.version != version:
            raise Conflict("this entry was changed elsewhere; open it again")
        locked.ciphertext = ciphertext
        locked.version = version + 1
        locked.updated_at = now
        locked.save(update_fields=["ciphertext", "version", "updated_at"])
        if tags is not None:
            _check_keys(tags)
            grouped = dict(locked.tags.exclude(group=None).values_list("match_index", "group_id"))
            kept = {bytes(pi) for pi in grouped}
            locked.tags.filter(group=None).delete()
            new = [t for t in tags if t.match_index not in kept]
            sql.lock(t.match_index for t in new)
            linked = next(iter(grouped.values()), None)
            _add_tags(locked, new, now, new_entry=False, linked_group=linked)
        record_audit("escrow.entry.edited", count_only=True)
    return locked


def do_withdraw_entry(entry: Entry) -> None:
    """Delete the entry, its tags and shares. In a group, the counselor is told in-app."""
    with transaction.atomic():
        group_ids = set(entry.tags.exclude(group=None).values_list("group_id", flat=True))
        owner = entry.owner
        entry.delete()
        if not group_ids:
            record_audit("escrow.entry.withdrawn", count_only=True)
            return
        now = timezone.now()
        for group in MatchGroup.objects.filter(id__in=group_ids):
            if not EntryTag.objects.filter(group=group, owner=owner).exists():
                Membership.objects.filter(group=group, survivor=owner).update(
                    decision=Decision.WITHDREW, decided_at=now
                )
            if group.counselor_id is not None:
                Notice.objects.create(
                    user_id=group.counselor_id,
                    kind=NoticeKind.MEMBER_LEFT,
                    group=group,
                    created_at=now,
                )
            record_audit(
                "escrow.entry.withdrawn_after_match", object_type="match_group", object_id=group.id
            )


def do_withdraw_matched_entries(owner: User) -> None:
    """Withdraw each of her entries that is in a match group, each by `do_withdraw_entry`
    (her account is being deleted: mend.escrow.receivers). Her other entries are left to
    the caller."""
    matched = Entry.objects.filter(owner=owner, tags__group__isnull=False).distinct()
    for entry in matched.order_by("created_at"):
        do_withdraw_entry(entry)


def _check_keys(tags: Sequence[NewTag]) -> None:
    """Every tag must carry a share for exactly the endorsed active counselor keys."""
    active = trust.sealable_ids()
    if not active:
        raise NotOpen("no counselor can receive entries yet")
    if any(set(tag.shares) != active for tag in tags):
        raise KeysChanged("the counselor keys changed; seal the shares again")


def _add_tags(
    entry: Entry,
    tags: Sequence[NewTag],
    now: datetime,
    *,
    new_entry: bool,
    linked_group: UUID | None = None,
) -> bool:
    """Store the tags and their shares (and the entry, if new), then match them. The caller
    holds the locks on pi. `linked_group`: a group another identifier of this entry is in
    already (edits only)."""
    if not tags:
        return False
    rows = [
        EntryTag(
            id=uuid4(),
            entry=entry,
            owner_id=entry.owner_id,
            match_index=new.match_index,
            created_at=now,
        )
        for new in tags
    ]
    shares = [
        SealedShare(tag=row, key_id=key_id, sealed=sealed)
        for row, new in zip(rows, tags, strict=True)
        for key_id, sealed in new.shares.items()
    ]
    others = sql.store_and_look_up(entry if new_entry else None, rows, shares)
    if not others:
        return False
    mine = [
        sql.StoredTag(t.id, entry.id, entry.owner_id, None, bytes(t.match_index), linked_group)
        for t in rows
    ]
    return _detect_matches(mine, others, now)


# --- matching --------------------------------------------------------------------------------


def _detect_matches(mine: list[sql.StoredTag], others: list[sql.StoredTag], now: datetime) -> bool:
    """Put every new tag whose pi now has t distinct owners into a group: the group another
    tag with this pi (or another identifier of the same entries) is in, or one new group.
    Returns whether any of the new tags is now in a group.

    Decided in memory from one indexed lookup (mend.escrow.sql); written by primary key, so
    that no query planner is tempted to scan the mostly-NULL group column.
    """
    entry_groups = {t.entry_id: t.linked_group_id for t in (*others, *mine) if t.linked_group_id}
    moves: dict[UUID, list[UUID]] = {}  # group id -> tags to put in it
    placed: dict[UUID, set[UUID]] = {}  # group id -> owners of the tags put in it now
    new_group: MatchGroup | None = None

    def put(tag: sql.StoredTag, group_id: UUID) -> None:
        tag.group_id = group_id
        entry_groups.setdefault(tag.entry_id, group_id)
        moves.setdefault(group_id, []).append(tag.id)
        placed.setdefault(group_id, set()).add(tag.owner_id)

    for tag in mine:
        same = [t for t in (*others, *mine) if t.match_index == tag.match_index]
        existing = next((t.group_id for t in same if t.group_id is not None), None)
        if existing is not None:
            if tag.group_id is None:
                put(tag, existing)
            continue
        if len({t.owner_id for t in same}) < settings.ESCROW_THRESHOLD:
            continue
        # An entry naming this person by another identifier may already be in a group: the
        # survivor said both identifiers are one person, so the match joins that group.
        target = next((entry_groups[t.entry_id] for t in same if t.entry_id in entry_groups), None)
        if target is None:
            new_group = new_group or MatchGroup.objects.create(created_at=now)
            target = new_group.id
        for t in same:
            put(t, target)
    if not placed:
        return False
    groups = MatchGroup.objects.in_bulk(set(placed) - {new_group.id if new_group else None})
    if new_group is not None:
        groups[new_group.id] = new_group
    for group_id, tag_ids in moves.items():
        EntryTag.objects.filter(id__in=tag_ids).update(group_id=group_id)
    for group_id, owners in placed.items():
        formed = new_group is not None and group_id == new_group.id
        _settle_group(groups[group_id], owners, now, formed=formed)
    return True


def _settle_group(group: MatchGroup, owners: set[UUID], now: datetime, *, formed: bool) -> None:
    """Add memberships for owners new to the group; audit; after commit, notify and assign."""
    existing: dict[UUID, str] = {}
    if not formed:  # a group made in this transaction has no members yet
        existing = dict(
            Membership.objects.filter(group=group, survivor_id__in=owners).values_list(
                "survivor_id", "decision"
            )
        )
    Membership.objects.bulk_create(
        Membership(group=group, survivor_id=owner, joined_at=now)
        for owner in owners
        if owner not in existing
    )
    back = [owner for owner, decision in existing.items() if decision == Decision.WITHDREW]
    if back:
        Membership.objects.filter(group=group, survivor_id__in=back).update(
            decision=Decision.UNDECIDED, decided_at=None
        )
    newcomers = [str(owner) for owner in owners if owner not in existing or owner in back]
    if group.state == GroupState.CLOSED and newcomers:
        # Someone new named the same person after the counselor closed the group: reopen it,
        # with her if she may still take it; else (her key retired, her certificate lapsed
        # since) a colleague who may is assigned, as for a new group.
        group.state = GroupState.OPEN
        group.closed_at = None
        if group.counselor_id not in tasks.eligible_counselor_ids(group, now):
            group.counselor = None
            group.assigned_at = None
        group.save(update_fields=["state", "closed_at", "counselor", "assigned_at"])
    action = "escrow.match.formed" if formed else "escrow.match.joined"
    record_audit(action, object_type="match_group", object_id=group.id)
    group_id = str(group.id)
    if newcomers or group.counselor_id is None:
        enqueue_in_transaction(tasks.after_match, group_id, newcomers)
    if newcomers and group.counselor_id is not None:
        Notice.objects.create(
            user_id=group.counselor_id, kind=NoticeKind.ASSIGNED, group=group, created_at=now
        )


def do_mark_notice_read(notice: Notice, now: datetime) -> None:
    """Mark one notice read (once: a second call keeps the first moment)."""
    if notice.read_at is None:
        notice.read_at = now
        notice.save(update_fields=["read_at"])


def do_mark_notices_read(notices: QuerySet[Notice], now: datetime) -> None:
    """Mark these notices read (a page has just shown them), in one query; a notice read
    before keeps its first moment."""
    notices.filter(read_at=None).update(read_at=now)


# --- counselor keys and messages: shared by the survivor's side, the counselor workspace
# (mend.counselor), the admin and the operator's command --------------------------------


def active_key(counselor: User) -> CounselorKey | None:
    return CounselorKey.objects.filter(counselor=counselor, active=True).first()


def do_endorse_counselor_key_as_operator(key: CounselorKey, operator_seed: bytes) -> None:
    """The operator vouches for a key from the command line: only while no endorsed
    counselor key exists (afterwards colleagues endorse), and only with the seed of the
    configured ESCROW_OPERATOR_PUBLIC_KEY."""
    operator = keys.operator_public_key()
    if endorsement.signing_public_key(operator_seed) != operator:
        raise Invalid("this seed is not the one of ESCROW_OPERATOR_PUBLIC_KEY")
    with transaction.atomic():
        if trust.sealable_keys():
            raise Conflict("an endorsed counselor exists: a colleague endorses new keys")
        if not key.active or key.signing_public_key is None or key.endorsement is not None:
            raise Invalid("only an active key with a signing key and no endorsement")
        signature = endorsement.sign_endorsement(
            operator_seed,
            key.id,
            key.counselor_id,
            bytes(key.public_key),
            bytes(key.signing_public_key),
        )
        store_endorsement(key, signature, operator, endorser=None)
        record_audit("escrow.key.endorsed", object_type="counselor_key", object_id=key.id)


def store_endorsement(
    key: CounselorKey, signature: bytes, signer: bytes, endorser: CounselorKey | None
) -> None:
    record = endorsement.KeyRecord(
        key.id,
        key.counselor_id,
        bytes(key.public_key),
        bytes(key.signing_public_key or b""),
        endorser.id if endorser else None,
        signature,
    )
    try:
        endorsement.verify_endorsement(record, signer)
    except EndorsementError:
        raise Invalid("the endorsement does not verify") from None
    key.endorsed_by = endorser
    key.endorsement = signature
    key.endorsed_at = timezone.now()
    # Entries stored while it waited carry no share for it: colleagues re-seal them.
    key.complete = not lacking_shares(key).exists()
    key.save(update_fields=["endorsed_by", "endorsement", "endorsed_at", "complete"])


def do_retire_counselor_key(key: CounselorKey, actor: User | None) -> None:
    """Deactivate a key (an admin's action), delete its shares, reassign its open groups."""
    with transaction.atomic():
        key.active = False
        key.retired_at = timezone.now()
        key.save(update_fields=["active", "retired_at"])
        SealedShare.objects.filter(key=key).delete()
        groups = list(
            MatchGroup.objects.filter(counselor=key.counselor, state=GroupState.OPEN).values_list(
                "id", flat=True
            )
        )
        MatchGroup.objects.filter(id__in=groups).update(counselor=None, assigned_at=None)
        record_audit(
            "escrow.key.retired", actor=actor, object_type="counselor_key", object_id=key.id
        )
        for group_id in groups:
            gid = str(group_id)
            enqueue_in_transaction(tasks.assign_counselor, gid)


def do_send_message(
    membership: Membership, text: str, *, sender: User, from_counselor: bool
) -> Message:
    """Store a message encrypted at rest and tell the other side in-app.

    Every attempt counts against the sender's own limit; over it, RateLimited (429).
    """
    limit = ratelimit.Limit.from_setting(
        "escrow-message", settings.RATE_LIMIT_ESCROW_MESSAGE_ACCOUNT
    )
    verdict = ratelimit.hit(limit, str(sender.pk))
    if not verdict.allowed:
        raise RateLimited("too many messages for now", retry_after=verdict.retry_after)
    now = timezone.now()
    message_id = uuid4()
    with transaction.atomic():
        message = Message.objects.create(
            id=message_id,
            membership=membership,
            from_counselor=from_counselor,
            ciphertext=seal_message(message_id, text),
            created_at=now,
        )
        recipient = membership.survivor_id if from_counselor else membership.group.counselor_id
        if recipient is not None:
            Notice.objects.create(
                user_id=recipient, kind=NoticeKind.MESSAGE, group=membership.group, created_at=now
            )
        if from_counselor:
            record_audit(
                "escrow.message.sent",
                actor=sender,
                object_type="membership",
                object_id=membership.id,
            )
    return message


def lacking_shares(key: CounselorKey) -> QuerySet[EntryTag]:
    return EntryTag.objects.exclude(shares__key=key)
