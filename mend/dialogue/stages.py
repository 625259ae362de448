"""The dialogue's stage machine, in pure Python: which step is open to whom, and when.

Stages, gates and stop rules come from the reference's synthesis (A.10) and are written up
with their sources in docs/dialogue.md. The server enforces them through this module
(actions call `check_step`, `check_item` and `check_read` before every write); pages only
reflect them.

Guarantees (each proved by mend/dialogue/tests/test_stages.py):
- Nothing moves once the case is closed; nobody writes anything after the end.
- Only the survivor pauses and resumes the case for herself, and she can pause, resume or
  end it at any stage without giving a reason. A facilitator pauses or ends only through a
  recorded stop rule; what she paused, she resumes.
- No stage is skipped: each advance is one stage and passes its gate (consent before the
  assessment; an assessment that decided to proceed before feasibility contact; an accepted
  acknowledgment before preparation and any exchange; an accepted plan item before
  monitoring).
- The responsible person writes only his acknowledgment (stage 3) and, from stage 5,
  messages and letters; the survivor only messages from stage 5; assessment notes and plan
  items only come from facilitators.
- Nobody but the author and the facilitators reads an item before a facilitator approved
  it; the other party reads only approved items. Plan items are for both parties (they
  answer and keep them); assessment notes stay with the facilitators.

Not protected here: who is a participant (mend.dialogue.access decides that).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import IntEnum, StrEnum
from typing import Final


class Stage(IntEnum):
    INFORMATION = 0
    REQUEST = 1
    ASSESSMENT = 2
    FEASIBILITY = 3
    PREPARATION = 4
    EXCHANGE = 5
    PLAN = 6
    MONITORING = 7
    CLOSURE = 8


class State(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    CLOSED = "closed"


class Actor(StrEnum):
    """Who acts, as the stage machine sees it (lead and co-facilitator alike)."""

    SURVIVOR = "survivor"
    RESPONSIBLE = "responsible"
    FACILITATOR = "facilitator"


class Step(StrEnum):
    ADVANCE = "advance"
    PAUSE = "pause"
    RESUME = "resume"
    END = "end"


class Screening(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    RETURNED = "returned"
    REJECTED = "rejected"


class Closure(StrEnum):
    """Why a case closed (A.10's data table, after OpenLattice's closure reasons)."""

    COMPLETED = "completed"
    SURVIVOR_ENDED = "survivor_ended"
    RESPONSIBLE_DECLINED = "responsible_declined"
    STOPPED_FOR_SAFETY = "stopped_for_safety"
    NON_COMPLIANCE = "non_compliance"


class StopRule(StrEnum):
    """A.10's facilitator stop rules (any one pauses or ends the process), and stage 2 and
    3's stop-or-defer reasons."""

    SURVIVOR_REQUEST = "survivor_request"
    NEW_RISK = "new_risk"
    ACKNOWLEDGMENT_RETRACTED = "acknowledgment_retracted"
    NO_ACKNOWLEDGMENT = "no_acknowledgment"
    OUT_OF_BAND_CONTACT = "out_of_band_contact"
    SOUGHT_HER_DETAILS = "sought_her_details"
    REPEATED_SCREENING_FAILURES = "repeated_screening_failures"
    THREATS = "threats"
    COERCION = "coercion"
    RETRAUMATISATION = "retraumatisation"
    NOT_READY = "not_ready"
    NON_COMPLIANCE = "non_compliance"


#: What each item kind may be written by, and in which stages.
ITEM_RULES: Final[dict[str, tuple[frozenset[Actor], frozenset[Stage]]]] = {
    "acknowledgment": (frozenset({Actor.RESPONSIBLE}), frozenset({Stage.FEASIBILITY})),
    "message": (
        frozenset({Actor.SURVIVOR, Actor.RESPONSIBLE}),
        frozenset({Stage.EXCHANGE, Stage.PLAN}),
    ),
    # The letter bank: he writes, it is screened and deposited; she decides if she reads it.
    "letter": (frozenset({Actor.RESPONSIBLE}), frozenset({Stage.EXCHANGE, Stage.PLAN})),
    "assessment": (
        frozenset({Actor.FACILITATOR}),
        frozenset(Stage) - {Stage.INFORMATION, Stage.REQUEST, Stage.CLOSURE},
    ),
    "plan-item": (frozenset({Actor.FACILITATOR}), frozenset({Stage.PLAN})),
    # Written with a return (actions.do_screen_item): where items are screened.
    "return-note": (
        frozenset({Actor.FACILITATOR}),
        frozenset({Stage.FEASIBILITY, Stage.EXCHANGE, Stage.PLAN}),
    ),
}

#: Items a facilitator screens before the other party may read them.
SCREENED_KINDS: Final = frozenset({"acknowledgment", "message", "letter"})

LETTER_BANK_ONLY: Final = "She chose the letter bank: his letters only, no message either way."


class Refused(Exception):
    """A step the machine does not allow; `code` is stable, `detail` says why in English."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Snapshot:
    """What the gates read of a case (all of it non-sensitive)."""

    stage: Stage
    state: State
    paused_by: Actor | None = None
    consent_current: bool = False
    assessment_proceeds: bool = False
    acknowledgment_accepted: bool = False
    accepted_plan_items: int = 0
    #: She chose the letter bank only (Case.format): his letters, and no message either way.
    letter_bank: bool = False


def _gate(snapshot: Snapshot) -> Refused | None:
    """The gate out of the current stage, or None when it is open."""
    stage = snapshot.stage
    if stage == Stage.REQUEST and not snapshot.consent_current:
        return Refused("no_consent", "The survivor's written consent is needed first.")
    if stage == Stage.ASSESSMENT and not snapshot.assessment_proceeds:
        return Refused("not_assessed", "The readiness assessment has not decided to proceed.")
    if stage == Stage.FEASIBILITY and not snapshot.acknowledgment_accepted:
        return Refused(
            "no_acknowledgment",
            "Nothing proceeds without an accepted acknowledgment of responsibility.",
        )
    if stage == Stage.PLAN and snapshot.accepted_plan_items < 1:
        return Refused("no_plan", "The survivor has accepted no plan item yet.")
    return None


def check_step(snapshot: Snapshot, step: Step, actor: Actor) -> Snapshot:
    """The case after `step` by `actor`, or Refused. The stage is CLOSURE exactly when the
    state is CLOSED: END and an ADVANCE out of monitoring give that; the caller records the
    closure reason (`closure_for`)."""
    if snapshot.state == State.CLOSED:
        raise Refused("closed", "This case has ended.")
    if step == Step.PAUSE:
        return _pause(snapshot, actor)
    if step == Step.RESUME:
        return _resume(snapshot, actor)
    if step == Step.END:
        if actor == Actor.FACILITATOR:
            raise Refused("stop_rule_needed", "A facilitator ends a case by recording a stop rule.")
        return replace(snapshot, state=State.CLOSED, stage=Stage.CLOSURE, paused_by=None)
    return _advance(snapshot, actor)


def _pause(snapshot: Snapshot, actor: Actor) -> Snapshot:
    if actor != Actor.SURVIVOR:
        raise Refused("not_yours", "Only the survivor pauses the case herself.")
    if snapshot.state == State.PAUSED:
        raise Refused("paused", "The case is already paused.")
    return replace(snapshot, state=State.PAUSED, paused_by=Actor.SURVIVOR)


def _resume(snapshot: Snapshot, actor: Actor) -> Snapshot:
    if snapshot.state != State.PAUSED:
        raise Refused("not_paused", "The case is not paused.")
    if actor != snapshot.paused_by:
        raise Refused("not_yours", "Only who paused the case resumes it.")
    return replace(snapshot, state=State.ACTIVE, paused_by=None)


def _advance(snapshot: Snapshot, actor: Actor) -> Snapshot:
    if actor != Actor.FACILITATOR:
        raise Refused("not_yours", "The facilitator moves the case to its next stage.")
    if snapshot.state == State.PAUSED:
        raise Refused("paused", "The case is paused.")
    refused = _gate(snapshot)
    if refused is not None:
        raise refused
    following = Stage(snapshot.stage + 1)
    # Advancing out of monitoring is closure with the reason "completed" (`COMPLETED_BY`).
    state = State.CLOSED if following == Stage.CLOSURE else State.ACTIVE
    return replace(snapshot, stage=following, state=state)


def stop(snapshot: Snapshot, end: bool) -> Snapshot:
    """A facilitator's recorded stop rule: it ends the case, or pauses it (for her to
    resume once it is safe). Refused once closed."""
    if snapshot.state == State.CLOSED:
        raise Refused("closed", "This case has ended.")
    if end:
        return replace(snapshot, state=State.CLOSED, stage=Stage.CLOSURE, paused_by=None)
    if snapshot.state == State.PAUSED:
        raise Refused("paused", "The case is already paused.")
    return replace(snapshot, state=State.PAUSED, paused_by=Actor.FACILITATOR)


def check_item(snapshot: Snapshot, kind: str, author: Actor) -> None:
    """Refused unless `author` may write an item of `kind` now."""
    if snapshot.state == State.CLOSED:
        raise Refused("closed", "This case has ended: nothing more can be sent.")
    if kind not in ITEM_RULES:
        raise Refused("unknown_kind", f"Unknown item kind {kind!r}.")
    authors, stages = ITEM_RULES[kind]
    if author not in authors:
        raise Refused("not_yours", f"A {kind} is not written by the {author.value}.")
    if snapshot.state == State.PAUSED and author != Actor.FACILITATOR:
        raise Refused("paused", "The case is paused: nothing is sent until it resumes.")
    if snapshot.stage not in stages:
        raise Refused("wrong_stage", f"A {kind} cannot be written at this stage.")
    if kind == "message" and snapshot.letter_bank:
        raise Refused("letter_bank", LETTER_BANK_ONLY)


def may_read(kind: str, author: Actor, reader: Actor, screening: Screening) -> bool:
    """Whether `reader` may be given this item's sealed key (the author and facilitators
    always; the other party only once approved; a plan item both parties, from the start;
    assessment notes never leave the team)."""
    if reader == Actor.FACILITATOR or reader == author or kind == "plan-item":
        return True
    if kind not in SCREENED_KINDS:
        return False
    return screening == Screening.APPROVED


def check_screening(current: Screening, decision: Screening) -> None:
    """Only a pending item is screened, and only to approved, returned or rejected."""
    if decision == Screening.PENDING:
        raise Refused("bad_decision", "A decision is approve, return or reject.")
    if current != Screening.PENDING:
        raise Refused("screened", "This item has been screened already.")


def check_delivery(snapshot: Snapshot, decision: Screening, kind: str) -> None:
    """Nothing is screened once the case has ended, and nothing is delivered (approved)
    while it is paused, nor a message once she chose the letter bank (one written before
    her choice waits, and is delivered only if she changes it back): she controls the
    pace; returning or rejecting can go on."""
    if snapshot.state == State.CLOSED:
        raise Refused("closed", "This case has ended: nothing more is delivered.")
    if decision != Screening.APPROVED:
        return
    if snapshot.state == State.PAUSED:
        raise Refused("paused", "The case is paused: nothing is delivered until it resumes.")
    if kind == "message" and snapshot.letter_bank:
        raise Refused("letter_bank", LETTER_BANK_ONLY)


def closure_for(actor: Actor) -> Closure:
    """The closure reason of a step that closed the case: the facilitator's advance out of
    monitoring completes it; a participant ends it herself (himself)."""
    if actor == Actor.FACILITATOR:
        return Closure.COMPLETED
    if actor == Actor.SURVIVOR:
        return Closure.SURVIVOR_ENDED
    return Closure.RESPONSIBLE_DECLINED
