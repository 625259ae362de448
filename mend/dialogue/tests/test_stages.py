"""The stage machine on its own: every step by every actor in every stage and state."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from mend.dialogue.stages import (
    Actor,
    Closure,
    Refused,
    Screening,
    Snapshot,
    Stage,
    State,
    Step,
    check_delivery,
    check_item,
    check_screening,
    check_step,
    closure_for,
    may_read,
    stop,
)

CASE_STAGES = [s for s in Stage if s != Stage.INFORMATION]  # stage 0 is a public page
# The stage is CLOSURE exactly when the state is CLOSED.
POSITIONS = [
    *((stage, state) for stage in CASE_STAGES[:-1] for state in (State.ACTIVE, State.PAUSED)),
    (Stage.CLOSURE, State.CLOSED),
]


def snapshot(stage: Stage, state: State, paused_by: Actor | None = None) -> Snapshot:
    if state == State.PAUSED and paused_by is None:
        paused_by = Actor.SURVIVOR
    # Every gate open: what a case looks like when only the stage machine could refuse.
    return Snapshot(
        stage=stage,
        state=state,
        paused_by=paused_by,
        consent_current=True,
        assessment_proceeds=True,
        acknowledgment_accepted=True,
        accepted_plan_items=1,
    )


def allowed(stage: Stage, state: State, paused_by: Actor | None, step: Step, actor: Actor) -> bool:
    """The table the machine must follow, written out independently of it."""
    if state == State.CLOSED:
        return False
    if step == Step.ADVANCE:
        return actor == Actor.FACILITATOR and state == State.ACTIVE
    if step == Step.PAUSE:
        return actor == Actor.SURVIVOR and state == State.ACTIVE
    if step == Step.RESUME:
        return state == State.PAUSED and actor == paused_by
    return actor in (Actor.SURVIVOR, Actor.RESPONSIBLE)  # END


COMBINATIONS = [
    (stage, state, paused_by, step, actor)
    for (stage, state), step, actor in itertools.product(POSITIONS, Step, Actor)
    for paused_by in ([Actor.SURVIVOR, Actor.FACILITATOR] if state == State.PAUSED else [None])
]


@pytest.mark.parametrize(("stage", "state", "paused_by", "step", "actor"), COMBINATIONS)
def test_every_step_is_allowed_or_refused_as_the_table_says(
    stage: Stage, state: State, paused_by: Actor | None, step: Step, actor: Actor
) -> None:
    before = snapshot(stage, state, paused_by)
    if not allowed(stage, state, paused_by, step, actor):
        with pytest.raises(Refused):
            check_step(before, step, actor)
        return
    after = check_step(before, step, actor)
    following = Stage(stage + 1) if stage < Stage.CLOSURE else stage
    advanced = State.CLOSED if following == Stage.CLOSURE else State.ACTIVE
    expected = {
        Step.ADVANCE: (following, advanced, None),
        Step.PAUSE: (stage, State.PAUSED, Actor.SURVIVOR),
        Step.RESUME: (stage, State.ACTIVE, None),
        Step.END: (Stage.CLOSURE, State.CLOSED, None),
    }[step]
    assert (after.stage, after.state, after.paused_by) == expected


SHUT_GATES = {
    Stage.REQUEST: ("no_consent", {"consent_current": False}),
    Stage.ASSESSMENT: ("not_assessed", {"assessment_proceeds": False}),
    Stage.FEASIBILITY: ("no_acknowledgment", {"acknowledgment_accepted": False}),
    Stage.PLAN: ("no_plan", {"accepted_plan_items": 0}),
}


@pytest.mark.parametrize("stage", list(SHUT_GATES))
def test_no_stage_is_left_before_its_gate_opens(stage: Stage) -> None:
    code, shut = SHUT_GATES[stage]
    closed_gate = replace(snapshot(stage, State.ACTIVE), **shut)  # type: ignore[arg-type]
    with pytest.raises(Refused) as refused:
        check_step(closed_gate, Step.ADVANCE, Actor.FACILITATOR)
    assert refused.value.code == code


def test_without_an_accepted_acknowledgment_the_case_never_reaches_the_exchange() -> None:
    case = Snapshot(Stage.FEASIBILITY, State.ACTIVE, consent_current=True, assessment_proceeds=True)
    with pytest.raises(Refused, match="acknowledgment"):
        check_step(case, Step.ADVANCE, Actor.FACILITATOR)
    with pytest.raises(Refused) as refused:
        check_item(case, "message", Actor.SURVIVOR)
    assert refused.value.code == "wrong_stage"


def test_a_facilitators_stop_rule_pauses_or_ends_and_only_she_resumes() -> None:
    paused = stop(snapshot(Stage.EXCHANGE, State.ACTIVE), end=False)
    assert (paused.state, paused.paused_by) == (State.PAUSED, Actor.FACILITATOR)
    with pytest.raises(Refused):
        check_step(paused, Step.RESUME, Actor.SURVIVOR)
    with pytest.raises(Refused, match="already paused"):
        stop(paused, end=False)
    ended = stop(paused, end=True)
    assert (ended.stage, ended.state) == (Stage.CLOSURE, State.CLOSED)
    with pytest.raises(Refused, match="ended"):
        stop(ended, end=True)


ITEM_TABLE = {
    # kind: (authors, stages)
    "acknowledgment": ({Actor.RESPONSIBLE}, {Stage.FEASIBILITY}),
    "message": ({Actor.SURVIVOR, Actor.RESPONSIBLE}, {Stage.EXCHANGE, Stage.PLAN}),
    "letter": ({Actor.RESPONSIBLE}, {Stage.EXCHANGE, Stage.PLAN}),
    "assessment": (
        {Actor.FACILITATOR},
        set(Stage) - {Stage.INFORMATION, Stage.REQUEST, Stage.CLOSURE},
    ),
    "plan-item": ({Actor.FACILITATOR}, {Stage.PLAN}),
}


@pytest.mark.parametrize(
    ("kind", "author", "stage", "state"),
    [
        (k, a, stage, state)
        for k, a, (stage, state) in itertools.product(ITEM_TABLE, Actor, POSITIONS)
    ],
)
def test_each_item_kind_is_written_only_by_its_authors_in_its_stages(
    kind: str, author: Actor, stage: Stage, state: State
) -> None:
    authors, stages = ITEM_TABLE[kind]
    ok = (
        state != State.CLOSED
        and author in authors
        and stage in stages
        and (state == State.ACTIVE or author == Actor.FACILITATOR)
    )
    case = snapshot(stage, state)
    if ok:
        check_item(case, kind, author)
    else:
        with pytest.raises(Refused):
            check_item(case, kind, author)


def test_nobody_sends_after_the_end_and_an_unknown_kind_is_named() -> None:
    ended = snapshot(Stage.CLOSURE, State.CLOSED)
    for actor in Actor:
        with pytest.raises(Refused, match="nothing more can be sent"):
            check_item(ended, "message", actor)
    with pytest.raises(Refused, match="Unknown item kind 'gift'"):
        check_item(snapshot(Stage.EXCHANGE, State.ACTIVE), "gift", Actor.SURVIVOR)


@pytest.mark.parametrize("screening", list(Screening))
def test_the_other_party_reads_only_approved_items(screening: Screening) -> None:
    approved = screening == Screening.APPROVED
    assert may_read("message", Actor.SURVIVOR, Actor.RESPONSIBLE, screening) is approved
    assert may_read("letter", Actor.RESPONSIBLE, Actor.SURVIVOR, screening) is approved
    assert may_read("message", Actor.SURVIVOR, Actor.SURVIVOR, screening)
    assert may_read("message", Actor.SURVIVOR, Actor.FACILITATOR, screening)
    assert not may_read("assessment", Actor.FACILITATOR, Actor.SURVIVOR, screening)
    assert may_read("plan-item", Actor.FACILITATOR, Actor.RESPONSIBLE, screening)
    assert may_read("plan-item", Actor.FACILITATOR, Actor.SURVIVOR, screening)


def test_an_item_is_screened_once_and_to_a_real_decision() -> None:
    for decision in (Screening.APPROVED, Screening.RETURNED, Screening.REJECTED):
        check_screening(Screening.PENDING, decision)
        with pytest.raises(Refused, match="screened already"):
            check_screening(decision, Screening.APPROVED)
    with pytest.raises(Refused, match="approve, return or reject"):
        check_screening(Screening.PENDING, Screening.PENDING)


def test_monitoring_advances_to_a_completed_closure() -> None:
    closed = check_step(snapshot(Stage.MONITORING, State.ACTIVE), Step.ADVANCE, Actor.FACILITATOR)
    assert (closed.stage, closed.state) == (Stage.CLOSURE, State.CLOSED)
    assert closure_for(Actor.FACILITATOR) == Closure.COMPLETED


def test_ending_it_herself_or_himself_names_the_closure() -> None:
    assert closure_for(Actor.SURVIVOR) == Closure.SURVIVOR_ENDED
    assert closure_for(Actor.RESPONSIBLE) == Closure.RESPONSIBLE_DECLINED


def test_nothing_is_delivered_while_paused_or_screened_after_the_end() -> None:
    paused = snapshot(Stage.EXCHANGE, State.PAUSED)
    with pytest.raises(Refused, match="paused"):
        check_delivery(paused, Screening.APPROVED, "message")
    check_delivery(paused, Screening.RETURNED, "message")
    check_delivery(snapshot(Stage.EXCHANGE, State.ACTIVE), Screening.APPROVED, "message")
    with pytest.raises(Refused, match="ended"):
        check_delivery(snapshot(Stage.CLOSURE, State.CLOSED), Screening.REJECTED, "message")


def test_once_she_chose_the_letter_bank_only_his_letters_are_written_and_delivered() -> None:
    bank = replace(snapshot(Stage.EXCHANGE, State.ACTIVE), letter_bank=True)
    for author in (Actor.SURVIVOR, Actor.RESPONSIBLE):
        with pytest.raises(Refused, match="letter bank"):
            check_item(bank, "message", author)
    check_item(bank, "letter", Actor.RESPONSIBLE)
    with pytest.raises(Refused, match="letter bank"):
        check_delivery(bank, Screening.APPROVED, "message")
    check_delivery(bank, Screening.APPROVED, "letter")
    check_delivery(bank, Screening.RETURNED, "message")  # a waiting message can go back
    check_delivery(bank, Screening.REJECTED, "message")
