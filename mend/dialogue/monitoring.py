"""What each party of a case is reminded of during the plan and monitoring (A.10 stages 6-7;
RESTORE's 12 months of supervision, A.1; Scotland §24.1 on telling her the outcome).

Computed from the plan's flags whenever a party opens the case, never sent elsewhere: he has
no email address, and a message outside Mend could reach the wrong person. Pure: the caller
passes the case, its plan and today.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings

from mend.dialogue.models import Case, Participant, PartyRole, PlanItem
from mend.dialogue.stages import Stage, State

DUE_SOON_DAYS = 14  # he sees what falls due in the next two weeks
OUTCOME_NEWS_DAYS = 30  # she sees an outcome as news for a month after it is recorded


@dataclass(frozen=True)
class Reminder:
    #: "due_soon" / "overdue" (him), "to_verify" / "monitoring_over" (facilitators),
    #: "outcome" (her, unless she chose not to be told).
    kind: str
    plan_item: int | None = None
    due_on: date | None = None
    outcome: str | None = None


def monitoring_ends_on(case: Case) -> date | None:
    """The default end of monitoring: DIALOGUE_MONITORING_DAYS after it began."""
    if case.stage != Stage.MONITORING or case.state == State.CLOSED:
        return None
    return case.stage_changed_at.date() + timedelta(days=settings.DIALOGUE_MONITORING_DAYS)


def reminders(me: Participant, plans: Iterable[PlanItem], today: date) -> list[Reminder]:
    case = me.case
    if case.state == State.CLOSED or case.stage not in (Stage.PLAN, Stage.MONITORING):
        return []
    accepted = [p for p in plans if p.answer == PlanItem.Answer.ACCEPTED]
    if me.is_survivor_party:
        return _hers(case, accepted, today)
    if me.plays(PartyRole.RESPONSIBLE):
        return _his(accepted, today)
    return _facilitators(case, accepted, today)


def _his(accepted: list[PlanItem], today: date) -> list[Reminder]:
    soon = today + timedelta(days=DUE_SOON_DAYS)
    return [
        Reminder("overdue" if p.due_on < today else "due_soon", p.id, p.due_on)
        for p in accepted
        if p.outcome == PlanItem.Outcome.OPEN and p.due_on <= soon
    ]


def _facilitators(case: Case, accepted: list[PlanItem], today: date) -> list[Reminder]:
    found = [
        Reminder("to_verify", p.id, p.due_on)
        for p in accepted
        if p.outcome == PlanItem.Outcome.OPEN and p.due_on <= today
    ]
    ends = monitoring_ends_on(case)
    if ends is not None and ends <= today:
        found.append(Reminder("monitoring_over", due_on=ends))
    return found


def _hers(case: Case, accepted: list[PlanItem], today: date) -> list[Reminder]:
    if not case.tell_plan_outcome:
        return []
    since = today - timedelta(days=OUTCOME_NEWS_DAYS)
    return [
        Reminder("outcome", p.id, p.due_on, p.outcome)
        for p in accepted
        if p.verified_at is not None and p.verified_at.date() >= since
    ]
