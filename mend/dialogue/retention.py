"""How long a closed case keeps its words ("minimal retention", reference A: data a case
holds). Every item (messages, letters, acknowledgments, notes, assessments, plan items,
return notes: sealed or not) and the invitations go DIALOGUE_CLOSED_KEEP_DAYS after the case
closed (`forget_closed_cases`, queued at closure), or at once when she asks
(`do_forget_now`) or deletes her account (`forget_with_her_account`), and so does the
responsible person's account, made for that case only; its dates, stage, closure reason,
consents, stop records, her part and the facilitators' stay, for the supervisors' counts and
her case's own page. Its own module, not actions.py (STYLE rule 2: that one is long enough),
and a door to the case's rows for this one deletion (mend/tests/test_guard_rails.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from mend.accounts.actions import do_delete_account
from mend.accounts.models import User
from mend.audit.actions import record_audit
from mend.dialogue.models import Case, Invitation, Item, Participant, PartyRole
from mend.dialogue.stages import State
from mend.lib.refusal import Refusal


def keep_days() -> timedelta:
    return timedelta(days=settings.DIALOGUE_CLOSED_KEEP_DAYS)


def words_kept_until(case: Case) -> datetime | None:
    """When a closed case's words are deleted; None while it is open, or once they are."""
    if case.closed_at is None or case.words_deleted_at is not None:
        return None
    return case.closed_at + keep_days()


def page_context(case: Case) -> dict[str, datetime | None]:
    """What every party's page and the team's say of it (dialogue/_words_kept.html)."""
    return {"words_kept_until": words_kept_until(case), "words_deleted_at": case.words_deleted_at}


@task()
def forget_closed_cases() -> int:
    """Queued at each closure for the day its words are due (`actions._apply`), and run by
    `manage.py forget_closed_dialogues` (after DIALOGUE_CLOSED_KEEP_DAYS is shortened, or
    if the queue was emptied). Idempotent. Returns how many cases lost their words."""
    return do_forget_closed_cases(timezone.now())


def do_forget_closed_cases(now: datetime) -> int:
    """Delete the words of every case closed at least DIALOGUE_CLOSED_KEEP_DAYS before
    `now` (`_forget`); returns how many cases lost them."""
    due = Case.objects.filter(closed_at__lte=now - keep_days(), words_deleted_at__isnull=True)
    with transaction.atomic():
        ids = list(due.select_for_update().values_list("id", flat=True))
        _forget(ids, now)
    return len(ids)


def do_forget_now(me: Participant, now: datetime) -> None:
    """She deletes her closed case's words at once instead of on their day: the same
    deletion, audited without naming her (as actions.audit). Only she may (404 to anyone
    else in the case, as every survivor-only act); an open case must be ended first (409
    `open`); a second time changes nothing."""
    if not me.is_survivor_party:
        raise Refusal(404, "not_found", "Not found.")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(id=me.case_id)
        if case.state != State.CLOSED:
            raise Refusal(409, "open", "End the dialogue first; then you can delete its words.")
        if case.words_deleted_at is None:
            _forget([case.id], now)


def forget_with_her_account(case: Case, now: datetime) -> None:
    """She deletes her account (actions.leave_with_account, inside that transaction, with
    the case locked and closed): its words go now, as if she had deleted them herself
    (`do_forget_now`), and the same way: no page then promises words that are gone, and
    his account goes with them, so he cannot tell her leaving Mend from her deleting the
    words of a case she ended."""
    if case.words_deleted_at is None:
        _forget([case.id], now)
        case.words_deleted_at = now


def _forget(ids: list[UUID], now: datetime) -> None:
    """Delete these cases' items (their reader keys, assessments and plan items go with
    them) and invitations, mark each case, audit dialogue.case.words_deleted a row each,
    and delete their responsible persons' accounts. The caller holds the cases' locks."""
    Item.objects.filter(case_id__in=ids).delete()
    Invitation.objects.filter(case_id__in=ids).delete()
    Case.objects.filter(id__in=ids).update(words_deleted_at=now)
    for case_id in ids:
        # Nobody named: her deletion and the day's are one event to whoever reads the log.
        record_audit("dialogue.case.words_deleted", object_type="dialogue.case", object_id=case_id)
    # A responsible person's account exists for his one case (an invitation makes a new
    # account each time: actions.do_join_with_invitation), so it goes with it.
    responsible = User.objects.filter(
        dialogue_parts__case_id__in=ids, dialogue_parts__role=PartyRole.RESPONSIBLE
    )
    for account in responsible.distinct():
        do_delete_account(account)
