"""Typed bodies of the dialogue API: unknown fields are refused, bytes travel as base64."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field

from mend.accounts.schemas import SignUpIn
from mend.dialogue.models import PlanKind, ReturnReason
from mend.dialogue.stages import StopRule
from mend.escrow.schemas import CounselorKeyOut
from mend.lib.text import OneLine
from mend.lib.wire import Base64, Strict


class ConsentIn(Strict):
    version: int = Field(ge=1, le=1000)


class StepIn(Strict):
    step: Literal["advance", "pause", "resume", "end"]


class StopIn(Strict):
    rule: StopRule
    end: bool


class ChoicesIn(Strict):
    tell_read: bool
    tell_plan_outcome: bool
    #: "indirect" (screened messages both ways) or "letter_bank" (his letters only).
    format: Literal["indirect", "letter_bank"]


class AssignIn(Strict):
    username: OneLine = Field(max_length=150)
    role: Literal["lead", "co", "specialist"]


class TakeOffIn(Strict):
    """The facilitator to take off a case, by her username."""

    username: OneLine = Field(max_length=150)


class KeyIn(Strict):
    box_public_key: Base64
    signing_public_key: Base64
    wrapped_secret_key: Base64


class KeyStatementIn(Strict):
    signature: Base64


class JoinIn(SignUpIn):
    """The survivor sign-up's fields, and the invitation code the facilitator handed over."""

    code: str = Field(min_length=20, max_length=40)


class ItemIn(Strict):
    id: UUID
    kind: Literal["message", "letter", "acknowledgment", "assessment", "plan-item", "return-note"]
    revision: int = Field(default=1, ge=1, le=1000)
    replaces: UUID | None = None
    body: Base64
    signature: Base64
    commitment: Base64
    #: participant id -> the content key sealed to that participant.
    reader_keys: dict[UUID, Base64] = Field(max_length=8)
    subject: Literal["survivor", "responsible"] | None = None
    decision: Literal["proceed", "defer", "stop"] | None = None
    stop_rule: StopRule | None = None
    plan_kind: PlanKind | None = None
    due_on: date | None = None
    #: A return note's returned item (and only a return note's).
    about: UUID | None = None


class TeamKeysOut(Schema):
    """The facilitators' staff keys with their endorsement chains, for a party's browser to
    check that the lead's key is an endorsed staff key (ADR 0014, "Facilitator keys")."""

    operator_public_key: str
    keys: list[CounselorKeyOut]


class ShareIn(Strict):
    """The lead seals earlier items' content keys to a co-facilitator who joined later:
    item id -> the key sealed to her (at most 200 a request; the page sends batches)."""

    keys: dict[UUID, Base64] = Field(min_length=1, max_length=200)


class SharedOut(Schema):
    added: int


class ScreeningIn(Strict):
    decision: Literal["approved", "returned", "rejected"]
    return_reason: ReturnReason | None = None
    recipient_key: Base64 | None = None
    #: With a return: the facilitator's note to the author, a "return-note" item about this
    #: one, sealed in her browser to the team and the author; stored with the return or not
    #: at all.
    note: ItemIn | None = None


class CheckFailedIn(Strict):
    #: What the browser found (case-core.js): an altered signature, a sealed key that does
    #: not open, or a payload not in the agreed form. Not the waits of a normal case
    #: (an author the lead has not vouched for yet, an item not shared yet).
    code: Literal["bad_signature", "does_not_open", "malformed"]


class PlanAnswerIn(Strict):
    accept: bool


class OutcomeIn(Strict):
    completed: bool


class FeedbackIn(Strict):
    answers: dict[str, int] = Field(max_length=10)


class EarlierKeyOut(Schema):
    """A facilitator's case key before her current one (her staff key was retired): for
    checking what she signed with it, never for sealing."""

    box_public_key: str
    signing_public_key: str


class PartyOut(Schema):
    id: UUID
    role: str
    box_public_key: str | None
    signing_public_key: str | None
    key_statement: str | None
    earlier_keys: list[EarlierKeyOut] = []


class ReminderOut(Schema):
    """Something due or done in the plan, for this party (mend.dialogue.monitoring)."""

    kind: Literal["due_soon", "overdue", "to_verify", "monitoring_over", "outcome"]
    plan_item: int | None
    due_on: date | None
    outcome: str | None


class CaseOut(Schema):
    """A case as one participant sees it (api.case_out). To the responsible person,
    nothing of her own: `paused_by` is "", and `assessment_proceeds`, `tell_read` and
    `tell_plan_outcome` are null."""

    id: UUID
    stage: int
    state: str
    #: "survivor" or "facilitator" while paused; "" otherwise, and always to him.
    paused_by: str
    format: str
    opened_at: datetime
    stage_changed_at: datetime
    closed_at: datetime | None
    closure_reason: str
    #: Closed: when its words are deleted (DIALOGUE_CLOSED_KEEP_DAYS after), until they are.
    words_kept_until: datetime | None
    words_deleted_at: datetime | None
    assessment_proceeds: bool | None
    acknowledgment_accepted: bool
    tell_read: bool | None
    tell_plan_outcome: bool | None
    me: UUID
    my_role: str
    parties: list[PartyOut]
    #: The default end of monitoring (stage 7 only): DIALOGUE_MONITORING_DAYS after it began.
    monitoring_ends_on: date | None
    reminders: list[ReminderOut]


class MyKeyOut(Schema):
    wrapped_secret_key: str | None


class SupervisedCaseOut(Schema):
    """What a supervisor sees: stage, dates and flags, never content or who."""

    id: UUID
    stage: int
    state: str
    opened_at: datetime
    stage_changed_at: datetime
    closed_at: datetime | None
    closure_reason: str
    #: Closed: when its words are deleted (DIALOGUE_CLOSED_KEEP_DAYS after), until they are.
    words_kept_until: datetime | None
    words_deleted_at: datetime | None
    assessment_proceeds: bool
    acknowledgment_accepted: bool
    has_lead: bool
    stop_rules: list[str]
    #: Open, and a facilitator of it holds no current certificate of her training path.
    facilitator_lapsed: bool
    #: A browser in the case could not check an item sealed to it (it may have been altered).
    check_failed: bool


class SupervisionIn(Strict):
    """A case-supervision session a facilitator had: whose (her username) and which day."""

    username: OneLine = Field(max_length=150)
    held_on: date


class SupervisionDueOut(Schema):
    """One facilitator in the supervision log: no case, nothing of what was said."""

    username: str
    last_held_on: date | None
    #: Her last session and 12 weeks (RJC); none while no session was recorded.
    due_on: date | None
    #: The day it was due by has passed, or no session was ever recorded for her.
    overdue: bool


class InvitationOut(Schema):
    code: str
    expires_in_days: int


class ItemOut(Schema):
    id: UUID
    kind: str
    revision: int
    replaces: UUID | None
    about: UUID | None
    author: UUID
    created_at: datetime
    size: int
    screening: str
    return_reason: str
    body: str
    signature: str
    commitment: str
    #: The content key sealed to whoever asks; null when it was not sealed to her (him).
    sealed_key: str | None
    read: bool | None
    #: For its author only: the case's facilitators (with a key) it is not sealed to,
    #: because they joined after it was written; her browser may share it with them.
    lacking: list[UUID] = []


class PlanItemOut(Schema):
    id: int
    item: UUID
    kind: str
    due_on: date
    answer: str
    #: Null for the survivor when she chose not to be told.
    outcome: str | None


class FeedbackSideOut(Schema):
    #: The answers published: a multiple of five (a sixth shows with the tenth).
    answers: int
    #: Each question's average over them, or None before the first five.
    averages: dict[str, float] | None


class FeedbackSummaryOut(Schema):
    """Each side's answers apart: hers, and those of the people responsible."""

    survivor: FeedbackSideOut
    responsible: FeedbackSideOut
