"""The one door to escrow objects (STYLE rule 5): everyone else gets 404, staff included.

Guarantees:
- Only survivors (``mend.accounts.roles.is_survivor``) reach escrow; only verified ones
  evaluate the OPRF or store entries.
- An entry loads only for its owner.
- A match group loads only for the counselor it is assigned to, only after a two-factor
  sign-in, and only while she holds a current staff certificate (one that expired, was
  revoked or predates a raised module closes her groups at once; ``tasks`` gives the
  open ones to a colleague). Admins have no path at all.
- While her certificate is not current she also vouches for no colleague's key and
  re-seals no share (``pending_keys_for_counselor``; ``mend.counselor.actions``): a
  counselor whose certificate was revoked must not bring anyone else into the escrow.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TypedDict
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django_stubs_ext import WithAnnotations

from mend.accounts.models import User
from mend.accounts.roles import require_counselor, require_survivor
from mend.certificates.access import (
    StaffStanding,
    holds_current_staff,
    staff_holder_ids,
    staff_standing,
)
from mend.certificates.models import Certificate
from mend.certificates.paths import COUNSELOR_PATH
from mend.escrow import trust
from mend.escrow.models import (
    CounselorKey,
    EmailChallenge,
    Entry,
    EntryTag,
    EscrowAccount,
    MatchGroup,
    Membership,
    Notice,
    SealedShare,
)


def get_escrow_account(user: User) -> EscrowAccount | None:
    try:
        return EscrowAccount.objects.get(user=user)
    except EscrowAccount.DoesNotExist:
        return None


def code_pending(user: User) -> bool:
    """Whether a one-time code was sent for her and still waits to be typed."""
    return EmailChallenge.objects.filter(user=user).exists()


class EntryCounts(TypedDict):
    tag_count: int
    matched: int


def entries_for_survivor(user: object) -> QuerySet[WithAnnotations[Entry, EntryCounts]]:
    """Her own entries, each with how many identifiers it carries and how many matched."""
    return Entry.objects.filter(owner=require_survivor(user)).annotate(
        tag_count=Count("tags"), matched=Count("tags", filter=~Q(tags__group=None))
    )


def matched_tags_for_survivor(user: object) -> QuerySet[EntryTag]:
    """Her own entries' tags that joined a match group (never anyone else's)."""
    return EntryTag.objects.filter(owner=require_survivor(user)).exclude(group=None)


def memberships_for_survivor(user: object) -> QuerySet[Membership]:
    """Her threads: her places in match groups, with the group."""
    return Membership.objects.filter(survivor=require_survivor(user)).select_related("group")


def notices_for_user(user: User) -> QuerySet[Notice]:
    """The notices addressed to this signed-in survivor or counselor, newest first."""
    return Notice.objects.filter(user=user)


def get_notice_for_user(user: User, notice_id: UUID) -> Notice:
    try:
        return notices_for_user(user).get(id=notice_id)
    except Notice.DoesNotExist:
        raise Http404 from None


class GroupCounts(TypedDict):
    member_count: int


def certified_counselor_ids() -> QuerySet[Certificate, UUID]:
    """Who holds a current staff certificate now: the rule that assigns groups
    (``tasks.pick_counselor``) is the rule that opens them. A subquery, so that checking
    it costs a group's query no round trip of its own."""
    return staff_holder_ids(COUNSELOR_PATH, timezone.now())


def is_certified_counselor(counselor: User) -> bool:
    return holds_current_staff(counselor, COUNSELOR_PATH, timezone.now())


def counselor_standing(counselor: User) -> StaffStanding:
    """Her standing with the counselors' path, as her workspace tells her (to begin, to
    renew, or until when she is certified)."""
    return staff_standing(counselor, COUNSELOR_PATH, timezone.now())


def _groups_open_to(counselor: User) -> QuerySet[MatchGroup]:
    """Her groups; none while her staff certificate is not current, nor while she holds no
    active key: an admin retires it when she leaves Mend (docs/escrow.md), and her closed
    groups' threads must close to her then too. A new key (after a forgotten passphrase)
    brings them back."""
    keyed = CounselorKey.objects.filter(active=True).values("counselor_id")
    return MatchGroup.objects.filter(
        counselor=counselor, counselor__in=certified_counselor_ids()
    ).filter(counselor__in=keyed)


def groups_for_counselor(user: object) -> QuerySet[WithAnnotations[MatchGroup, GroupCounts]]:
    """The groups assigned to her, each with its number of members, open ones first; none
    while her staff certificate is not current."""
    groups = _groups_open_to(require_counselor(user))
    return groups.annotate(member_count=Count("members")).order_by("state", "-created_at")


def get_entry_for_user(user: object, entry_id: UUID) -> Entry:
    survivor = require_survivor(user)
    try:
        return Entry.objects.get(id=entry_id, owner=survivor)
    except Entry.DoesNotExist:
        raise Http404 from None


def get_membership_for_survivor(user: object, membership_id: UUID) -> Membership:
    survivor = require_survivor(user)
    try:
        return Membership.objects.select_related("group").get(id=membership_id, survivor=survivor)
    except Membership.DoesNotExist:
        raise Http404 from None


def get_group_for_counselor(user: object, group_id: UUID) -> MatchGroup:
    counselor = require_counselor(user)
    try:
        return _groups_open_to(counselor).get(id=group_id)
    except MatchGroup.DoesNotExist:
        raise Http404 from None


def get_membership_for_counselor(user: object, group_id: UUID, membership_id: UUID) -> Membership:
    group = get_group_for_counselor(user, group_id)
    try:
        return Membership.objects.select_related("group").get(id=membership_id, group=group)
    except Membership.DoesNotExist:
        raise Http404 from None


def pending_keys_for_counselor(counselor: User) -> list[CounselorKey]:
    """Colleagues' keys waiting for an endorsement she may give: none while her staff
    certificate is not current (or while her own key is unendorsed: ``trust``)."""
    if not is_certified_counselor(counselor):
        return []
    return trust.pending_keys(counselor)


def get_pending_key_for_counselor(counselor: User, key_id: UUID) -> CounselorKey:
    """A colleague's key waiting for the endorsement this counselor may give; 404 for every
    other key (her own, an endorsed one, a retired one, or any when her key is unendorsed
    or her certificate is not current)."""
    for key in pending_keys_for_counselor(counselor):
        if key.id == key_id:
            return key
    raise Http404


@dataclass(frozen=True)
class GroupContents:
    """What a counselor's browser needs to open one group, and nothing about any other."""

    group: MatchGroup
    members: list[Membership]
    entries: list[Entry]
    #: The shares sealed to `key` (hers), with their tags.
    shares: list[SealedShare]


def get_group_contents_for_counselor(
    user: object, group_id: UUID, key: CounselorKey | None
) -> GroupContents:
    group = get_group_for_counselor(user, group_id)
    # By the group's tags first (indexed), then by primary keys: every counselor key holds
    # a share of nearly every stored tag, so a plan that starts from the key scans them all.
    tags = list(EntryTag.objects.filter(group=group).values_list("id", "entry_id"))
    entries = Entry.objects.filter(id__in={e for _, e in tags}).order_by("created_at")
    shares = SealedShare.objects.filter(tag_id__in=[t for t, _ in tags], key=key)
    return GroupContents(
        group=group,
        members=list(group.members.order_by("joined_at")),
        entries=list(entries),
        shares=list(shares.select_related("tag").order_by("tag__created_at")),
    )


def keys_holding(tag_ids: list[UUID]) -> dict[UUID, set[UUID]]:
    """For each tag, the counselor keys that hold a share of it (re-sealing planning:
    ids only, never a sealed share)."""
    held: dict[UUID, set[UUID]] = defaultdict(set)
    rows = SealedShare.objects.filter(tag_id__in=tag_ids).values_list("tag_id", "key_id")
    for tag_id, key_id in rows:
        held[tag_id].add(key_id)
    return held
