"""The one door to dialogue cases (STYLE rule 5): 404 to anyone not in the case, staff included.

Guarantees:
- A case, its items and its participants load only for a participant of that case: its
  survivor, its responsible person, its lead, co-facilitator or survivor specialist. A
  facilitator of another case, one taken off this case, a supervisor, an admin and every
  other account get 404, as if it did not exist.
- Facilitators and supervisors count only after a two-factor sign-in in this session.
- An item loads for a participant only if its content key was sealed to her (him), or she
  wrote it, or she facilitates the case: the responsible person never loads an unapproved
  message of the survivor (nor she his), and nobody but the team loads an assessment note.
- A supervisor reaches only `supervised_cases`: stages, dates and flags, never an item.
  Two flags are read at each request: an open case whose facilitator no longer holds a
  current certificate of the facilitators' path (`facilitator_lapsed`), and a case where a
  browser could not check an item sealed to it (`check_failed`). Neither names anyone.
- A supervisor also reads the supervision log (`supervision_log`): each facilitator's
  username and the day of her last case-supervision session, never what was said; a
  facilitator reads only her own (`facilitator_supervision`).

Not protected here: what a step may do (stages.py decides that, through actions.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypedDict
from uuid import UUID

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django_stubs_ext import WithAnnotations

from mend.accounts.models import Role, User
from mend.accounts.roles import is_facilitator, is_responsible, is_supervisor, is_survivor
from mend.certificates import paths
from mend.certificates.access import (
    StaffStanding,
    staff_holder_ids,
    staff_standing,
)
from mend.dialogue.models import (
    FACILITATOR_ROLES,
    Case,
    Consent,
    EarlierKey,
    Item,
    Participant,
    PartyRole,
    PlanItem,
    ReaderKey,
    SupervisionSession,
)
from mend.dialogue.stages import Actor, State
from mend.escrow.models import CounselorKey
from mend.lib.refusal import not_found

# Role predicates come from mend.accounts.roles, the one module of role checks.


def may_take_part(user: object) -> bool:
    """Anyone who can be a participant of some case."""
    return is_survivor(user) or is_responsible(user) or is_facilitator(user)


# The participant role each account role may hold.
_ROLES_FOR: dict[str, frozenset[str]] = {
    Role.SURVIVOR: frozenset({PartyRole.SURVIVOR}),
    Role.RESPONSIBLE: frozenset({PartyRole.RESPONSIBLE}),
    Role.FACILITATOR: FACILITATOR_ROLES,
}

# --- The door ----------------------------------------------------------------------------------


def actor_of(participant: Participant) -> Actor:
    if participant.is_facilitator:
        return Actor.FACILITATOR
    return Actor(participant.role)


def get_participant(user: object, case_id: UUID) -> Participant:
    """The user's part in the case (with the case), or 404."""
    if not may_take_part(user):
        raise not_found()
    assert isinstance(user, User)
    query = Participant.objects.select_related("case").filter(
        case_id=case_id, user=user, role__in=_ROLES_FOR[user.role]
    )
    participant = query.first()
    if participant is None:
        raise not_found()
    return participant


def cases_for(user: object) -> QuerySet[Participant]:
    """Every part this user has, newest case first (an empty list for anyone else)."""
    if not may_take_part(user):
        return Participant.objects.none()
    assert isinstance(user, User)
    return (
        Participant.objects.select_related("case")
        .filter(user=user, role__in=_ROLES_FOR[user.role])
        .order_by("-case__opened_at")
    )


def readable_items(participant: Participant) -> QuerySet[Item]:
    """The items of the case this participant may load (see the module's guarantees)."""
    items = Item.objects.filter(case_id=participant.case_id)
    if participant.is_facilitator:
        return items
    return items.filter(Q(author=participant) | Q(reader_keys__reader=participant)).distinct()


def get_item(participant: Participant, item_id: UUID) -> Item:
    item = readable_items(participant).filter(id=item_id).first()
    if item is None:
        raise not_found()
    return item


def items_by_id(participant: Participant, item_ids: Iterable[UUID]) -> dict[UUID, Item]:
    """The items named that this participant may load; 404 if any is not one of them."""
    wanted = set(item_ids)
    found = {i.id: i for i in readable_items(participant).filter(id__in=wanted)}
    if len(found) != len(wanted):
        raise not_found()
    return found


def plan_items_of(participant: Participant) -> list[PlanItem]:
    """The accountability plan of her (or his, or the team's) case, by due date."""
    return list(PlanItem.objects.filter(item__case_id=participant.case_id).order_by("due_on", "id"))


def get_plan_item(participant: Participant, plan_id: int) -> PlanItem:
    """A plan item of this participant's case (plan items are for both parties), or 404."""
    plan = PlanItem.objects.filter(id=plan_id, item__case_id=participant.case_id).first()
    if plan is None:
        raise not_found()
    return plan


def get_party(participant: Participant, party_id: UUID) -> Participant:
    """Another participant of the same case, or 404."""
    party = Participant.objects.filter(case_id=participant.case_id, id=party_id).first()
    if party is None:
        raise not_found()
    return party


def require_facilitator(participant: Participant) -> Participant:
    """Facilitator-only steps answer 404 to the parties: they do not exist for them."""
    if not participant.is_facilitator:
        raise not_found()
    return participant


def require_lead(participant: Participant) -> Participant:
    if not participant.is_lead:
        raise not_found()
    return participant


def require_supervisor(user: object) -> User:
    if not is_supervisor(user):
        raise not_found()
    assert isinstance(user, User)
    return user


def facilitator_standing(user: User, now: datetime) -> StaffStanding:
    """Her standing with the facilitators' path, as her list of cases tells her (to begin,
    to renew, or until when she is certified)."""
    return staff_standing(user, paths.FACILITATOR_PATH, now)


class SupervisedFlags(TypedDict):
    facilitator_lapsed: bool
    check_failed: bool


def supervised_cases(
    user: object, now: datetime
) -> QuerySet[WithAnnotations[Case, SupervisedFlags]]:
    """Every case, for a supervisor only: she reads stage, dates and flags from them.

    ``check_failed``: a browser in the case could not check an item sealed to it (it
    may have been altered after it was written; ``actions.do_report_failed_check``).
    ``facilitator_lapsed``: the case is open and one of its facilitators holds no current
    certificate of the facilitators' path at ``now`` (it expired, was revoked, or predates
    a raised module). The supervisor is the one to be told: she takes her off the case
    (``actions.do_take_off_facilitator``), unless she renews it; the flag names nobody."""
    require_supervisor(user)
    certified = staff_holder_ids(paths.FACILITATOR_PATH, now)
    lapsed = (
        Participant.objects.filter(case=OuterRef("pk"), role__in=FACILITATOR_ROLES)
        .exclude(case__state=State.CLOSED)
        .exclude(user__in=certified)
    )
    return Case.objects.annotate(
        facilitator_lapsed=Exists(lapsed), check_failed=Exists(_failed_checks(OuterRef("pk")))
    ).order_by("-opened_at")


def _failed_checks(case: Case | OuterRef) -> QuerySet[ReaderKey]:
    return ReaderKey.objects.filter(item__case=case, check_failed_at__isnull=False)


def failed_checks(facilitator: Participant) -> dict[str, int]:
    """How many times a browser in her case could not check an item sealed to it (each
    item and reader once), by what it found (the code): for the case's team only."""
    if not facilitator.is_facilitator:
        raise not_found()
    found = _failed_checks(facilitator.case).values_list("check_failed").annotate(n=Count("id"))
    return dict(found.order_by("check_failed"))


def get_supervised_case(
    user: object, case_id: UUID, now: datetime
) -> WithAnnotations[Case, SupervisedFlags]:
    case = supervised_cases(user, now).filter(id=case_id).first()
    if case is None:
        raise not_found()
    return case


# --- The survivor's pages ----------------------------------------------------------------


def survivor_part(user: object, case_id: UUID) -> Participant:
    """Her part in her case, or 404 (to his account and the team as much as to strangers:
    her pages are hers)."""
    participant = get_participant(user, case_id)
    if not participant.is_survivor_party:
        raise not_found()
    return participant


def current_consent(participant: Participant) -> Consent | None:
    """Her consent that is not withdrawn, if any (which version she agreed to, and when)."""
    consents = Consent.objects.filter(case_id=participant.case_id, participant=participant)
    return consents.filter(withdrawn_at__isnull=True).order_by("-given_at").first()


def team_of(participant: Participant) -> list[Participant]:
    """The facilitators of this participant's case (lead first), with their accounts: she
    sees who they are, and her browser checks their staff keys."""
    team = Participant.objects.select_related("user").filter(case_id=participant.case_id)
    return sorted((p for p in team if p.is_facilitator), key=lambda p: not p.is_lead)


def staff_keys_of(participant: Participant) -> list[bytes]:
    """The staff keys of everyone who facilitates or facilitated this participant's case,
    for browsers to check what each signed: the team's case keys, the earlier keys a
    facilitator registered her new one in place of (`EarlierKey`), and former facilitators'
    keys. New items are sealed only to `sealable_staff_keys_of`."""
    roles = (*FACILITATOR_ROLES, PartyRole.FORMER)
    team = Participant.objects.filter(case_id=participant.case_id, role__in=roles)
    earlier = EarlierKey.objects.filter(participant__case_id=participant.case_id)
    return [bytes(p.box_public_key) for p in team if p.box_public_key is not None] + [
        bytes(k) for k in earlier.values_list("box_public_key", flat=True)
    ]


def sealable_staff_keys_of(participant: Participant) -> list[bytes]:
    """The case keys of this participant's case's facilitators that new items are sealed to:
    not a former facilitator's, an earlier one, or a staff key an admin retired."""
    retired = retired_key_holders(participant.case_id)
    team = Participant.objects.filter(case_id=participant.case_id, role__in=FACILITATOR_ROLES)
    return [
        bytes(p.box_public_key)
        for p in team
        if p.box_public_key is not None and p.id not in retired
    ]


def retired_key_holders(case_id: UUID) -> set[UUID]:
    """The facilitators of the case (their parts' ids) whose case key is a staff key of
    theirs that an admin retired (lost or compromised; none of their active keys): nothing
    new is sealed to it, by the server's rule (`actions._initial_readers`) and the
    browsers' (`GET …/team-keys` does not mark it sealable), and she may register her
    active, vouched staff key in its place (`actions.do_register_key`)."""
    team = [
        p
        for p in Participant.objects.filter(case_id=case_id, role__in=FACILITATOR_ROLES)
        if p.box_public_key is not None
    ]
    staff = CounselorKey.objects.filter(counselor_id__in={p.user_id for p in team})
    rows = [
        (owner, bytes(key), active)
        for owner, key, active in staff.values_list("counselor_id", "public_key", "active")
    ]
    active = {(owner, key) for owner, key, is_active in rows if is_active}
    retired = {(owner, key) for owner, key, is_active in rows if not is_active} - active
    return {p.id for p in team if (p.user_id, bytes(p.box_public_key or b"")) in retired}


# --- The supervision log ---------------------------------------------------------------------

#: RJC Practitioner Code: every facilitator has case supervision at least every 12 weeks.
SUPERVISION_EVERY = timedelta(weeks=12)


@dataclass(frozen=True)
class SupervisionDue:
    """Where one facilitator stands: her last session, the day the next one is due by, and
    whether that day has passed (or no session was ever recorded for her)."""

    username: str
    last_held_on: date | None
    due_on: date | None
    overdue: bool


def _standings(facilitators: QuerySet[User], today: date) -> list[SupervisionDue]:
    """Each of `facilitators` with her last session (one query), by username."""
    last = SupervisionSession.objects.filter(facilitator=OuterRef("pk")).order_by("-held_on")
    rows = (
        facilitators.annotate(last_held_on=Subquery(last.values("held_on")[:1]))
        .order_by("username")
        .values_list("username", "last_held_on")
    )
    standings = []
    for username, held_on in rows:
        due_on = held_on + SUPERVISION_EVERY if held_on is not None else None
        overdue = due_on is None or today > due_on
        standings.append(SupervisionDue(username, held_on, due_on, overdue))
    return standings


def supervision_log(user: object, today: date) -> list[SupervisionDue]:
    """Every active facilitator, by username, for a supervisor only (404 to anyone else)."""
    require_supervisor(user)
    return _standings(User.objects.filter(role=Role.FACILITATOR, is_active=True), today)


def facilitator_supervision(user: object, facilitator: User, today: date) -> SupervisionDue:
    """One facilitator's standing, for a supervisor or for herself (404 to anyone else)."""
    if not (is_supervisor(user) or (is_facilitator(user) and user == facilitator)):
        raise not_found()
    [standing] = _standings(User.objects.filter(pk=facilitator.pk), today)
    return standing
