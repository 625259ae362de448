"""Background work after a match, and when a counselor's staff certificate lapses (Django's
tasks framework; `manage.py db_worker` runs it).

Every task is idempotent: running one twice leaves the same state, so a worker that
retries after a crash does no harm.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.tasks import task
from django.utils import timezone

from mend.accounts.models import Role, User
from mend.accounts.roles import is_counselor_account
from mend.audit.actions import record_audit
from mend.certificates.access import holds_current_staff, staff_holder_ids
from mend.certificates.models import Certificate
from mend.certificates.paths import COUNSELOR_PATH
from mend.escrow import trust
from mend.escrow.access import certified_counselor_ids
from mend.escrow.models import (
    CounselorKey,
    EntryTag,
    GroupState,
    MatchGroup,
    Membership,
    Notice,
    NoticeKind,
)
from mend.lib.background import enqueue_at, enqueue_in_transaction


@task()
def notify_survivors(group_id: str, survivor_ids: list[str]) -> int:
    """An in-app notice to each survivor named who is still in the group; never a mail.
    Returns how many were made.

    The ids were queued at the match: an account deleted since (her membership went with
    it) gets nothing. Her membership stays locked until the notices are written, so a
    deletion that runs meanwhile waits, then takes her notice with her account."""
    group = MatchGroup.objects.get(id=UUID(group_id))
    made = 0
    with transaction.atomic():
        members = Membership.objects.select_for_update().filter(
            group=group, survivor_id__in=[UUID(survivor_id) for survivor_id in survivor_ids]
        )
        for survivor_id in members.values_list("survivor_id", flat=True):
            _, created = Notice.objects.get_or_create(
                user_id=survivor_id,
                kind=NoticeKind.MATCH,
                group=group,
                defaults={"created_at": timezone.now()},
            )
            made += int(created)
    return made


@task()
def after_match(group_id: str, survivor_ids: list[str]) -> str:
    """What follows a match, in one task: a counselor first, then notices to the survivors
    (so that a notice that cannot be made never keeps the group from its counselor)."""
    counselor_id = assign_counselor.call(group_id)
    if survivor_ids:
        notify_survivors.call(group_id, survivor_ids)
    return str(counselor_id)


@task()
def assign_counselor(group_id: str) -> str:
    """Give the group to the counselor who can open all its shares and has the fewest open
    groups. Returns her id, or "" if no counselor can open it yet (retried on re-sealing)."""
    with transaction.atomic():
        group = MatchGroup.objects.select_for_update().get(id=UUID(group_id))
        if group.counselor_id is not None or group.state != GroupState.OPEN:
            return str(group.counselor_id or "")
        counselor = pick_counselor(group, timezone.now())
        if counselor is None:
            record_audit("escrow.group.unassigned", object_type="match_group", object_id=group.id)
            return ""
        group.counselor = counselor
        group.assigned_at = timezone.now()
        group.save(update_fields=["counselor", "assigned_at"])
        Notice.objects.create(
            user=counselor, kind=NoticeKind.ASSIGNED, group=group, created_at=group.assigned_at
        )
        record_audit("escrow.group.assigned", object_type="match_group", object_id=group.id)
        return str(counselor.id)


def pick_counselor(group: MatchGroup, now: datetime) -> User | None:
    """Of the counselors who may take the group (``eligible_counselor_ids``), the one with
    the fewest open groups."""
    candidates = (
        User.objects.filter(id__in=eligible_counselor_ids(group, now))
        .annotate(
            load=Count(
                "escrow_groups", filter=Q(escrow_groups__state=GroupState.OPEN), distinct=True
            )
        )
        .order_by("load", "date_joined")
    )
    return candidates.first()


def eligible_counselor_ids(group: MatchGroup, now: datetime) -> list[UUID]:
    """Active counselors who hold a current staff certificate and whose endorsed active key
    holds a share of every tag in the group (an unendorsed key, however new, is never
    given a group; nor is a counselor not yet certified: docs/training.md, Certificates)."""
    tag_count = EntryTag.objects.filter(group=group).count()
    keys = (
        CounselorKey.objects.filter(
            id__in=trust.sealable_ids(),
            active=True,
            counselor__is_active=True,
            counselor__role=Role.COUNSELOR,
            counselor__in=staff_holder_ids(COUNSELOR_PATH, now),
        )
        .annotate(held=Count("shares", filter=Q(shares__tag__group=group)))
        .filter(held=tag_count)
        .values_list("counselor_id", flat=True)
    )
    return list(keys)


def assign_waiting_groups(sender: object, certificate: Certificate, **kwargs: Any) -> None:
    """A counselor who has just been certified for the staff path may take the groups that
    waited for an eligible counselor (connected to certificate_issued in EscrowConfig);
    and when her certificate expires, whatever she then holds goes back unless she has
    renewed it."""
    if certificate.path_id != COUNSELOR_PATH or not is_counselor_account(certificate.holder):
        return
    waiting = MatchGroup.objects.filter(counselor=None, state=GroupState.OPEN)
    for group_id in waiting.values_list("id", flat=True):
        enqueue_in_transaction(assign_counselor, str(group_id))
    enqueue_at(take_back_lapsed_groups, certificate.expires_at)


def take_back_groups(sender: object, certificate: Certificate, **kwargs: Any) -> None:
    """A counselor whose staff certificate is revoked, and who holds no other current one,
    gives back her open groups at once (connected to certificate_revoked in EscrowConfig)."""
    holder = certificate.holder
    if certificate.path_id != COUNSELOR_PATH or certificate.revoked_at is None:
        return
    if holds_current_staff(holder, COUNSELOR_PATH, certificate.revoked_at):
        return
    give_back_open_groups(MatchGroup.objects.filter(counselor=holder))


@task()
def take_back_lapsed_groups() -> int:
    """Every counselor who holds open groups without a current staff certificate (it
    expired, or a module of the path was raised since) gives them back. Queued for each
    counselor certificate's expiry, and run by ``manage.py take_back_lapsed_groups``
    after a module is raised. Returns how many groups went back."""
    current = certified_counselor_ids()
    lapsed = MatchGroup.objects.exclude(counselor=None).exclude(counselor__in=current)
    with transaction.atomic():
        return give_back_open_groups(lapsed)


def give_back_open_groups(groups: QuerySet[MatchGroup]) -> int:
    """The open ones of these groups, each to a certified colleague or to wait for one
    (audited as escrow.group.taken_back). The threads are encrypted at rest by the server,
    not to the counselor's key, so the next counselor reads them whole."""
    held = list(groups.select_for_update().filter(state=GroupState.OPEN))
    for group in held:
        group.counselor = None
        group.assigned_at = None
        group.save(update_fields=["counselor", "assigned_at"])
        record_audit("escrow.group.taken_back", object_type="match_group", object_id=group.id)
        enqueue_in_transaction(assign_counselor, str(group.id))
    return len(held)
