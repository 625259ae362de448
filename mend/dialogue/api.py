"""The dialogue's JSON API under /api/v1/dialogue/ (ARCHITECTURE 10; docs/dialogue.md).

Every case URL loads through mend.dialogue.access (404 to anyone not in the case, staff
included); every write is one action in actions.py; every refusal is a
mend.lib.refusal.Refusal, declared per route. Signed out: 401 "signed_out". The server
receives ciphertext, signatures and sealed keys, never a key or a word anyone wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django_stubs_ext import WithAnnotations
from ninja import Router, Status

from mend.accounts.models import User
from mend.accounts.roles import is_supervisor
from mend.accounts.security import SignedInSession
from mend.crypto import envelope, labels
from mend.dialogue import access, actions, monitoring, retention
from mend.dialogue.models import Case, Item, Participant, PartyRole, PlanItem
from mend.dialogue.schemas import (
    AssignIn,
    CaseOut,
    CheckFailedIn,
    ChoicesIn,
    ConsentIn,
    EarlierKeyOut,
    FeedbackIn,
    FeedbackSideOut,
    FeedbackSummaryOut,
    InvitationOut,
    ItemIn,
    ItemOut,
    KeyIn,
    KeyStatementIn,
    MyKeyOut,
    OutcomeIn,
    PartyOut,
    PlanAnswerIn,
    PlanItemOut,
    ReminderOut,
    ScreeningIn,
    SharedOut,
    ShareIn,
    StepIn,
    StopIn,
    SupervisedCaseOut,
    SupervisionDueOut,
    SupervisionIn,
    TakeOffIn,
    TeamKeysOut,
)
from mend.dialogue.stages import Screening, Step
from mend.escrow import keys as escrow_keys
from mend.escrow import trust
from mend.escrow.schemas import CounselorKeyOut
from mend.lib import ratelimit
from mend.lib.ratelimit import Limit
from mend.lib.refusal import Refusal, refusals
from mend.lib.wire import WireError, b64, envelope_bytes, unb64

#: The largest item body: 64 KiB of text, in its envelope.
MAX_BODY = 64 * 1024 + envelope.OVERHEAD
#: The largest wrapped secret key a browser may store (an envelope of a 32-byte key).
WRAPPED_KEY = envelope.OVERHEAD + envelope.KEY_BYTES


class PartySession(SignedInSession):
    """Anyone who can take part in some case; which case is access.get_participant's call."""

    allows = staticmethod(access.may_take_part)


class SupervisorSession(SignedInSession):
    allows = staticmethod(is_supervisor)


router = Router(tags=["dialogue"], auth=PartySession())


def user_of(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def bytes_of(text: str, what: str, max_bytes: int) -> bytes:
    try:
        return unb64(text, what, max_bytes=max_bytes)
    except WireError as error:
        raise Refusal(400, "malformed", str(error)) from None


def exact(text: str, what: str, length: int) -> bytes:
    data = bytes_of(text, what, length)
    if len(data) != length:
        raise Refusal(400, "malformed", f"{what} must be {length} bytes")
    return data


def limit(scope: str, setting: tuple[int, int], value: str) -> None:
    verdict = ratelimit.hit(Limit.from_setting(scope, setting), value)
    if not verdict.allowed:
        wait = verdict.retry_after
        raise Refusal(429, "rate_limited", ratelimit.too_many_attempts(wait), retry_after=wait)


# --- Reading a case ----------------------------------------------------------------------------


def party_out(part: Participant) -> PartyOut:
    def text(data: object) -> str | None:
        return b64(data) if isinstance(data, bytes | memoryview) else None

    return PartyOut(
        id=part.id,
        role=part.role,
        box_public_key=text(part.box_public_key),
        signing_public_key=text(part.signing_public_key),
        key_statement=text(part.key_statement),
        earlier_keys=[
            EarlierKeyOut(
                box_public_key=b64(k.box_public_key), signing_public_key=b64(k.signing_public_key)
            )
            for k in part.earlier_keys.all()
        ],
    )


def case_dates_and_flags(case: Case) -> dict[str, Any]:
    """What the server knows of a case and shows its parties and its supervisor alike:
    stage, state, dates and flags (never contents; nothing of her own: `her_side_of`)."""
    return {
        "id": case.id,
        "stage": case.stage,
        "state": case.state,
        "opened_at": case.opened_at,
        "stage_changed_at": case.stage_changed_at,
        "closed_at": case.closed_at,
        "closure_reason": case.closure_reason,
        "words_kept_until": retention.words_kept_until(case),
        "words_deleted_at": case.words_deleted_at,
        "acknowledgment_accepted": case.acknowledgment_accepted,
    }


def her_side_of(me: Participant, case: Case) -> dict[str, Any]:
    """What a case says of the survivor herself, by who asks: her facilitators' decision on
    her readiness (a later assessment may say "defer" or "stop"), who paused, and her
    choices. She and her team read them; the responsible person reads none of them: the
    format only (his page offers letters alone in a letter bank), who paused as "" (the
    case is paused, by nobody he is told of), and null for the rest. His page needs no
    more (static/js/dialogue/responsible/)."""
    if me.plays(PartyRole.RESPONSIBLE):
        return {
            "assessment_proceeds": None,
            "paused_by": "",
            "format": case.format,
            "tell_read": None,
            "tell_plan_outcome": None,
        }
    return {
        "assessment_proceeds": case.assessment_proceeds,
        "paused_by": case.paused_by,
        "format": case.format,
        "tell_read": case.tell_read,
        "tell_plan_outcome": case.tell_plan_outcome,
    }


def case_out(me: Participant) -> CaseOut:
    """The case as this participant may see it: the same fields for everyone, with what
    it says of her withheld from him (`her_side_of`)."""
    case = me.case
    return CaseOut(
        **case_dates_and_flags(case),
        **her_side_of(me, case),
        me=me.id,
        my_role=me.role,
        parties=[
            party_out(p)
            for p in case.participants.prefetch_related("earlier_keys").order_by("joined_at")
        ],
        monitoring_ends_on=monitoring.monitoring_ends_on(case),
        reminders=[
            ReminderOut(**asdict(r))
            for r in monitoring.reminders(me, access.plan_items_of(me), timezone.localdate())
        ],
    )


@router.post("/cases", response={201: CaseOut, **refusals(401, 403, 404, 409, 503)})
def open_case(request: HttpRequest) -> Status[CaseOut]:
    """A survivor asks for a dialogue: only she can start one."""
    me = actions.do_open_case(user_of(request), timezone.now())
    return Status(201, case_out(me))


@router.get("/cases", response={200: list[CaseOut], **refusals(401, 404)})
def list_cases(request: HttpRequest) -> list[CaseOut]:
    return [case_out(me) for me in access.cases_for(user_of(request))]


@router.get("/cases/{case_id}", response={200: CaseOut, **refusals(401, 404)})
def show_case(request: HttpRequest, case_id: UUID) -> CaseOut:
    return case_out(access.get_participant(user_of(request), case_id))


# --- Consent, steps, stop rules, choices -------------------------------------------------------


@router.post(
    "/cases/{case_id}/consent", response={201: CaseOut, **refusals(400, 401, 403, 404, 422)}
)
def give_consent(request: HttpRequest, case_id: UUID, body: ConsentIn) -> Status[CaseOut]:
    me = access.get_participant(user_of(request), case_id)
    actions.do_give_consent(me, body.version, timezone.now())
    return Status(201, case_out(me))


@router.post(
    "/cases/{case_id}/consent/withdraw", response={200: CaseOut, **refusals(401, 403, 404)}
)
def withdraw_consent(request: HttpRequest, case_id: UUID) -> CaseOut:
    me = access.get_participant(user_of(request), case_id)
    actions.do_withdraw_consent(me, timezone.now())
    return case_out(me)


@router.post("/cases/{case_id}/forget", response={200: CaseOut, **refusals(401, 403, 404, 409)})
def forget_case(request: HttpRequest, case_id: UUID) -> CaseOut:
    """She deletes her closed case's words now, not on their day (mend.dialogue.retention)."""
    me = access.get_participant(user_of(request), case_id)
    retention.do_forget_now(me, timezone.now())
    me.case.refresh_from_db()
    return case_out(me)


@router.post("/cases/{case_id}/steps", response={200: CaseOut, **refusals(400, 401, 403, 404, 422)})
def take_step(request: HttpRequest, case_id: UUID, body: StepIn) -> CaseOut:
    """Advance (facilitator), pause and resume (who paused), end (the survivor or him)."""
    me = access.get_participant(user_of(request), case_id)
    actions.do_step(me, Step(body.step), timezone.now())
    return case_out(me)


@router.post("/cases/{case_id}/stops", response={201: CaseOut, **refusals(400, 401, 403, 404, 422)})
def record_stop(request: HttpRequest, case_id: UUID, body: StopIn) -> Status[CaseOut]:
    me = access.require_facilitator(access.get_participant(user_of(request), case_id))
    actions.do_record_stop(me, body.rule, body.end, timezone.now())
    return Status(201, case_out(me))


@router.put(
    "/cases/{case_id}/choices", response={200: CaseOut, **refusals(400, 401, 403, 404, 422)}
)
def set_choices(request: HttpRequest, case_id: UUID, body: ChoicesIn) -> CaseOut:
    me = access.get_participant(user_of(request), case_id)
    actions.do_set_choices(me, body.tell_read, body.tell_plan_outcome, body.format)
    return case_out(me)


# --- Keys ----------------------------------------------------------------------------------------


@router.put("/cases/{case_id}/key", response={204: None, **refusals(400, 401, 403, 404, 409, 422)})
def register_key(request: HttpRequest, case_id: UUID, body: KeyIn) -> Status[None]:
    me = access.get_participant(user_of(request), case_id)
    wrapped = bytes_of(body.wrapped_secret_key, "wrapped_secret_key", WRAPPED_KEY)
    try:
        envelope_bytes(wrapped, "wrapped_secret_key")
    except WireError as error:
        raise Refusal(400, "malformed", str(error)) from None
    keys = actions.KeyMaterial(
        box_public_key=exact(body.box_public_key, "box_public_key", 32),
        signing_public_key=exact(body.signing_public_key, "signing_public_key", 32),
        wrapped_secret_key=wrapped,
    )
    actions.do_register_key(me, keys)
    return Status(204, None)


@router.get("/cases/{case_id}/key", response={200: MyKeyOut, **refusals(401, 404)})
def my_key(request: HttpRequest, case_id: UUID) -> MyKeyOut:
    me = access.get_participant(user_of(request), case_id)
    wrapped = me.wrapped_secret_key
    return MyKeyOut(wrapped_secret_key=b64(wrapped) if wrapped is not None else None)


@router.post(
    "/cases/{case_id}/parties/{party_id}/statement",
    response={204: None, **refusals(400, 401, 403, 404, 409, 422)},
)
def vouch_for_key(
    request: HttpRequest, case_id: UUID, party_id: UUID, body: KeyStatementIn
) -> Status[None]:
    me = access.require_lead(access.get_participant(user_of(request), case_id))
    party = access.get_party(me, party_id)
    actions.do_vouch_for_key(me, party, exact(body.signature, "signature", 64))
    return Status(204, None)


# --- Invitation and joining ------------------------------------------------------------------


@router.post(
    "/cases/{case_id}/invitation",
    response={201: InvitationOut, **refusals(401, 403, 404, 409, 429)},
)
def invite(request: HttpRequest, case_id: UUID) -> Status[InvitationOut]:
    """A one-time code for the responsible person, shown once (the lead hands it over)."""
    me = access.require_lead(access.get_participant(user_of(request), case_id))
    limit("dialogue-invite", settings.RATE_LIMIT_DIALOGUE_INVITE_ACCOUNT, str(me.user_id))
    code = actions.do_invite_responsible(me, timezone.now())
    days = settings.DIALOGUE_INVITATION_DAYS
    return Status(201, InvitationOut(code=code, expires_in_days=days))


# --- Items ---------------------------------------------------------------------------------------


def sealed_key_size(item_id: UUID, reader: UUID, revision: int) -> int:
    """A sealed content key's exact length: version, ephemeral key and tag, context, key."""
    context = envelope.Context(labels.PURPOSE_DIALOGUE_READER_KEY, f"{item_id}/{reader}", revision)
    return 1 + envelope.BOX_SEAL_OVERHEAD + len(context.encode()) + envelope.KEY_BYTES


def sealed(text: str, item_id: UUID, reader: UUID, revision: int) -> bytes:
    return exact(text, "sealed key", sealed_key_size(item_id, reader, revision))


def new_item(me: Participant, body: ItemIn) -> actions.NewItem:
    raw = bytes_of(body.body, "body", MAX_BODY)
    try:
        envelope_bytes(raw, "body")
    except WireError as error:
        raise Refusal(400, "malformed", str(error)) from None
    keys = {r: sealed(k, body.id, r, body.revision) for r, k in body.reader_keys.items()}
    return actions.NewItem(
        id=body.id,
        kind=body.kind,
        revision=body.revision,
        replaces=body.replaces,
        body=raw,
        signature=exact(body.signature, "signature", 64),
        commitment=exact(body.commitment, "commitment", 32),
        reader_keys=keys,
        subject=body.subject or "",
        decision=body.decision or "",
        stop_rule=body.stop_rule or "",
        plan_kind=body.plan_kind or "",
        due_on=body.due_on,
        about=body.about,
    )


def item_out(me: Participant, item: Item, team: Sequence[UUID] = ()) -> ItemOut:
    """`team`: the case's facilitators with a key; those the item is not sealed to are
    named to its author (`lacking`), whose browser may share it with them."""
    readers = {k.reader_id: k for k in item.reader_keys.all()}
    mine = readers.get(me.id)
    lacking = [f for f in team if f not in readers] if item.author_id == me.id else []
    return ItemOut(
        id=item.id,
        kind=item.kind,
        revision=item.revision,
        replaces=item.replaces_id,
        about=item.about_id,
        author=item.author_id,
        created_at=item.created_at,
        size=item.size,
        screening=item.screening,
        return_reason=item.return_reason,
        body=b64(item.body),
        signature=b64(item.signature),
        commitment=b64(item.commitment),
        sealed_key=b64(mine.sealed_key) if mine is not None else None,
        read=read_flag(me, item),
        lacking=lacking,
    )


def read_flag(me: Participant, item: Item) -> bool | None:
    """Whether the recipient opened it, for those allowed to know: the team, the recipient
    himself, and the author of a message only if the survivor chose so (never a letter)."""
    opened = item.read_at is not None
    if me.is_facilitator or item.author_id != me.id:
        return opened
    if item.kind == "message" and me.case.tell_read:
        return opened
    return None


@router.post(
    "/cases/{case_id}/items", response={201: ItemOut, **refusals(400, 401, 403, 404, 409, 422, 429)}
)
def submit_item(request: HttpRequest, case_id: UUID, body: ItemIn) -> Status[ItemOut]:
    """An item its author encrypted and signed in her browser (ADR 0014)."""
    me = access.get_participant(user_of(request), case_id)
    limit("dialogue-item", settings.RATE_LIMIT_DIALOGUE_ITEM_ACCOUNT, str(me.user_id))
    item = actions.do_submit_item(me, new_item(me, body), timezone.now())
    return Status(201, item_out(me, item))


@router.get("/cases/{case_id}/items", response={200: list[ItemOut], **refusals(401, 404)})
def list_items(request: HttpRequest, case_id: UUID) -> list[ItemOut]:
    me = access.get_participant(user_of(request), case_id)
    items = access.readable_items(me).prefetch_related("reader_keys").order_by("created_at")
    team = [p.id for p in access.team_of(me) if p.box_public_key is not None]
    return [item_out(me, item, team) for item in items]


@router.get("/cases/{case_id}/items/{item_id}", response={200: ItemOut, **refusals(401, 404)})
def show_item(request: HttpRequest, case_id: UUID, item_id: UUID) -> ItemOut:
    me = access.get_participant(user_of(request), case_id)
    return item_out(me, access.get_item(me, item_id))


@router.post(
    "/cases/{case_id}/items/{item_id}/screening",
    response={200: ItemOut, **refusals(400, 401, 403, 404, 409, 422)},
)
def screen_item(request: HttpRequest, case_id: UUID, item_id: UUID, body: ScreeningIn) -> ItemOut:
    """Approve (with the recipient's sealed key), return with a reason, or reject."""
    me = access.require_facilitator(access.get_participant(user_of(request), case_id))
    item = access.get_item(me, item_id)
    recipient = actions.recipient_of(me.case, item)
    key = None
    if body.recipient_key is not None and recipient is not None:
        key = sealed(body.recipient_key, item.id, recipient.id, item.revision)
    note = new_item(me, body.note) if body.note is not None else None
    decision = actions.ScreeningDecision(
        Screening(body.decision), body.return_reason or "", key, note
    )
    return item_out(me, actions.do_screen_item(me, item, decision, timezone.now()))


@router.get("/cases/{case_id}/team-keys", response={200: TeamKeysOut, **refusals(401, 404)})
def team_keys(request: HttpRequest, case_id: UUID) -> TeamKeysOut:
    """The case's facilitators' staff keys (former ones and earlier ones too) and every key
    their chains pass through: the reader's browser checks each endorsement up to the
    operator's key itself. `sealable`: new items are sealed to this key (not to a retired
    one, kept only for checking what was signed with it)."""
    me = access.get_participant(user_of(request), case_id)
    listed = access.staff_keys_of(me)
    keys, sealable = trust.chain_for_public_keys(listed, access.sealable_staff_keys_of(me))
    return TeamKeysOut(
        operator_public_key=b64(escrow_keys.operator_public_key()),
        keys=[CounselorKeyOut.of(k, sealable=k.id in sealable) for k in keys],
    )


@router.post(
    "/cases/{case_id}/parties/{party_id}/shared-keys",
    response={200: SharedOut, **refusals(400, 401, 403, 404, 409, 422)},
)
def share_items(request: HttpRequest, case_id: UUID, party_id: UUID, body: ShareIn) -> SharedOut:
    """Keys of items written before a facilitator joined: the lead's to a late
    co-facilitator, or a party's own to a facilitator (`actions.do_share_items`)."""
    me = access.get_participant(user_of(request), case_id)
    if me.is_facilitator:
        access.require_lead(me)  # the co-facilitator has nothing to share: 404, as before
    reader = access.get_party(me, party_id)
    items = access.items_by_id(me, body.keys)
    keys = {items[i]: sealed(k, i, reader.id, items[i].revision) for i, k in body.keys.items()}
    return SharedOut(added=actions.do_share_items(me, reader, keys, timezone.now()))


@router.post(
    "/cases/{case_id}/items/{item_id}/read", response={204: None, **refusals(400, 401, 403, 404)}
)
def mark_read(request: HttpRequest, case_id: UUID, item_id: UUID) -> Status[None]:
    me = access.get_participant(user_of(request), case_id)
    actions.do_mark_read(me, access.get_item(me, item_id), timezone.now())
    return Status(204, None)


@router.post(
    "/cases/{case_id}/items/{item_id}/check-failed",
    response={204: None, **refusals(401, 403, 404, 422)},
)
def report_failed_check(
    request: HttpRequest, case_id: UUID, item_id: UUID, body: CheckFailedIn
) -> Status[None]:
    """Her browser could not check an item sealed to her (once per item and reader)."""
    me = access.get_participant(user_of(request), case_id)
    item = access.get_item(me, item_id)
    actions.do_report_failed_check(me, item, body.code, timezone.now())
    return Status(204, None)


# --- Plan and feedback ------------------------------------------------------------------------


def plan_out(me: Participant, plan: PlanItem) -> PlanItemOut:
    hidden = me.is_survivor_party and not me.case.tell_plan_outcome
    return PlanItemOut(
        id=plan.id,
        item=plan.item_id,
        kind=plan.kind,
        due_on=plan.due_on,
        answer=plan.answer,
        outcome=None if hidden else plan.outcome,
    )


@router.get("/cases/{case_id}/plan", response={200: list[PlanItemOut], **refusals(401, 404)})
def list_plan(request: HttpRequest, case_id: UUID) -> list[PlanItemOut]:
    me = access.get_participant(user_of(request), case_id)
    plans = access.plan_items_of(me)
    return [plan_out(me, p) for p in plans]


@router.post(
    "/cases/{case_id}/plan/{plan_id}/answer",
    response={200: PlanItemOut, **refusals(400, 401, 403, 404, 409, 422)},
)
def answer_plan_item(
    request: HttpRequest, case_id: UUID, plan_id: int, body: PlanAnswerIn
) -> PlanItemOut:
    me = access.get_participant(user_of(request), case_id)
    plan = actions.do_answer_plan_item(me, access.get_plan_item(me, plan_id), body.accept)
    return plan_out(me, plan)


@router.post(
    "/cases/{case_id}/plan/{plan_id}/outcome",
    response={200: PlanItemOut, **refusals(400, 401, 403, 404, 409, 422)},
)
def record_outcome(
    request: HttpRequest, case_id: UUID, plan_id: int, body: OutcomeIn
) -> PlanItemOut:
    me = access.require_facilitator(access.get_participant(user_of(request), case_id))
    plan = access.get_plan_item(me, plan_id)
    return plan_out(me, actions.do_record_outcome(me, plan, body.completed, timezone.now()))


@router.post(
    "/cases/{case_id}/feedback", response={204: None, **refusals(400, 401, 403, 404, 409, 422)}
)
def give_feedback(request: HttpRequest, case_id: UUID, body: FeedbackIn) -> Status[None]:
    me = access.get_participant(user_of(request), case_id)
    actions.do_give_feedback(me, body.answers, timezone.localdate())
    return Status(204, None)


# --- Supervision: stage, dates and flags ---------------------------------------------------


def supervised_out(case: WithAnnotations[Case, access.SupervisedFlags]) -> SupervisedCaseOut:
    return SupervisedCaseOut(
        **case_dates_and_flags(case),
        assessment_proceeds=case.assessment_proceeds,
        has_lead=any(p.is_lead for p in case.participants.all()),
        stop_rules=[s.rule for s in case.stops.all()],
        facilitator_lapsed=case.facilitator_lapsed,
        check_failed=case.check_failed,
    )


@router.get(
    "/supervision/cases",
    auth=SupervisorSession(),
    response={200: list[SupervisedCaseOut], **refusals(401, 404)},
)
def supervision_cases(request: HttpRequest) -> list[SupervisedCaseOut]:
    cases = access.supervised_cases(user_of(request), timezone.now())
    cases = cases.prefetch_related("participants", "stops")
    return [supervised_out(c) for c in cases]


@router.post(
    "/supervision/cases/{case_id}/team",
    auth=SupervisorSession(),
    response={201: SupervisedCaseOut, **refusals(400, 401, 403, 404, 409, 422)},
)
def assign_facilitator(
    request: HttpRequest, case_id: UUID, body: AssignIn
) -> Status[SupervisedCaseOut]:
    supervisor = user_of(request)
    case = access.get_supervised_case(supervisor, case_id, timezone.now())
    facilitator = actions.facilitator_named(body.username)
    actions.do_assign_facilitator(supervisor, case, facilitator, body.role, timezone.now())
    return Status(201, supervised_out(case))


@router.post(
    "/supervision/cases/{case_id}/team/take-off",
    auth=SupervisorSession(),
    response={200: SupervisedCaseOut, **refusals(400, 401, 403, 404, 409, 422)},
)
def take_off_facilitator(request: HttpRequest, case_id: UUID, body: TakeOffIn) -> SupervisedCaseOut:
    """A facilitator off an open case (`actions.do_take_off_facilitator`): her co-facilitator
    leads it if she led it."""
    supervisor = user_of(request)
    case = access.get_supervised_case(supervisor, case_id, timezone.now())
    actions.do_take_off_facilitator(supervisor, case, body.username)
    return supervised_out(access.get_supervised_case(supervisor, case_id, timezone.now()))


@router.get(
    "/supervision/feedback",
    auth=SupervisorSession(),
    response={200: FeedbackSummaryOut, **refusals(401, 404)},
)
def feedback_summary(request: HttpRequest) -> FeedbackSummaryOut:
    """Counts and averages in whole batches of FEEDBACK_MIN_ANSWERS answers, so that no one
    answer shows, not even as the difference between two readings."""
    access.require_supervisor(user_of(request))
    sides: dict[str, FeedbackSideOut] = {}
    for role in (PartyRole.SURVIVOR, PartyRole.RESPONSIBLE):
        answers, averages = actions.feedback_summary(role)
        sides[str(role)] = FeedbackSideOut(answers=answers, averages=averages)
    return FeedbackSummaryOut(**sides)


@router.get(
    "/supervision/facilitators",
    auth=SupervisorSession(),
    response={200: list[SupervisionDueOut], **refusals(401, 404)},
)
def supervision_log(request: HttpRequest) -> list[access.SupervisionDue]:
    """Each facilitator's last case-supervision session and the day the next is due by."""
    return access.supervision_log(user_of(request), timezone.localdate())


@router.post(
    "/supervision/sessions",
    auth=SupervisorSession(),
    response={201: SupervisionDueOut, **refusals(400, 401, 403, 404, 409, 422)},
)
def record_supervision(request: HttpRequest, body: SupervisionIn) -> Status[access.SupervisionDue]:
    """Record a session once it was held (at most a year ago); audited."""
    supervisor = access.require_supervisor(user_of(request))
    today = timezone.localdate()
    facilitator = actions.do_record_supervision(
        supervisor, body.username, body.held_on, today, timezone.now()
    )
    return Status(201, access.facilitator_supervision(supervisor, facilitator, today))
