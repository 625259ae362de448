"""What the facilitator's pages ask and offer, as data: the readiness and safety questions
(reference A.10 stage 2, with Project Restore's remote checklist, A.2), the stop rules,
the screening's return reasons and the plan's kinds, each in plain, translated words.

The answers to the questions never reach the server as words: the page encrypts them in
her browser as one "assessment" item (ADR 0014); only the decision and the stop rule are
flags the server reads. Codes here are the server's own (mend.dialogue.stages, models).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mend.dialogue.models import PlanKind, ReturnReason
from mend.dialogue.stages import Closure, Stage, StopRule


@dataclass(frozen=True)
class Question:
    code: str
    text: Promise


#: A.10's screening questions for the survivor, asked by a facilitator, not self-service.
SURVIVOR_QUESTIONS = (
    Question("hopes", _("What does the survivor hope to get from this?")),
    Question("pressure", _("Is anyone pressuring the survivor to take part?")),
    Question(
        "contact",
        _("Is the survivor still in contact with, living with or co-parenting with this person?"),
    ),
    Question(
        "proceedings",
        _("Is there a current court case, protective order or workplace investigation?"),
    ),
    Question("support", _("Who supports the survivor?")),
    Question("device", _("Does the survivor have a private, safe device and space?")),
    Question("stop", _("What would make the survivor want to stop?")),
)

#: A.10's screening questions for the responsible person.
RESPONSIBLE_QUESTIONS = (
    Question(
        "accepts", _("Do they accept that they did what is described, and that it caused harm?")
    ),
    Question("impact", _("What do they think the impact was?")),
    Question("why", _("Why do they want to take part?")),
    Question("repair", _("What would they be willing to do to repair the harm?")),
    Question("treatment", _("Have they had, or will they accept, assessment or treatment?")),
    Question("violence", _("Have they ever been violent to a partner or family member?")),
    Question("weapons", _("Have they used weapons or substances to overcome someone?")),
    Question(
        "no_contact",
        _(
            "Do they know how to contact the survivor, and do they agree never to contact the "
            "survivor outside this process?"
        ),
    ),
)

#: Project Restore's remote checklist (A.2, A.10 stage 2): any one is a reason to stop or defer.
RISK_CHECKLIST = (
    Question("coercive_control", _("An ongoing relationship or coercive control")),
    Question("shared_children", _("Shared children")),
    Question(
        "legal_case",
        _("An active protective order or criminal case, without legal advice"),
    ),
    Question("acute_crisis", _("An acute crisis")),
    Question("no_private_space", _("No private space or device")),
    Question("no_support", _("No support person")),
    Question(
        "high_risk",
        _("High-risk signs: prior violence, weapons, drugging (RESTORE's exclusions)"),
    ),
)

STOP_RULES: dict[str, Promise] = {
    StopRule.SURVIVOR_REQUEST: _("The survivor asked to stop"),
    StopRule.NEW_RISK: _("New information about risk"),
    StopRule.ACKNOWLEDGMENT_RETRACTED: _("The person responsible took back their acknowledgment"),
    StopRule.NO_ACKNOWLEDGMENT: _("The person responsible does not acknowledge responsibility"),
    StopRule.OUT_OF_BAND_CONTACT: _("Contact outside Mend"),
    StopRule.SOUGHT_HER_DETAILS: _("The person responsible tried to learn the survivor's details"),
    StopRule.REPEATED_SCREENING_FAILURES: _("Messages keep failing screening"),
    StopRule.THREATS: _("Threats"),
    StopRule.COERCION: _("Signs the survivor is being coerced"),
    StopRule.RETRAUMATISATION: _("Going on would harm the survivor again"),
    StopRule.NOT_READY: _("Not ready yet"),
    StopRule.NON_COMPLIANCE: _("Plan commitments not kept"),
}

#: What each return reason tells the author, in plain words (the page shows both).
RETURN_REASONS: dict[str, tuple[Promise, Promise]] = {
    ReturnReason.ASKS_FORGIVENESS: (
        _("Asks for forgiveness, a reply or contact"),
        _(
            "It asks the survivor for forgiveness, for an answer or to meet: nothing may be "
            "asked of the survivor."
        ),
    ),
    ReturnReason.EXCUSES: (
        _("Excuses or blame"),
        _("It explains the harm away or puts some of the blame on the survivor or on others."),
    ),
    ReturnReason.IDENTIFYING: (
        _("Identifying or locating details"),
        _("It holds a name, a place, a contact detail or anything that could locate someone."),
    ),
    ReturnReason.BARGAINING: (
        _("Legal threats or bargaining"),
        _("It threatens legal steps or offers something in exchange for something."),
    ),
    ReturnReason.HARMFUL: (
        _("Harmful or inappropriate content"),
        _("It could hurt the reader: cruel, sexual, graphic or abusive words."),
    ),
    ReturnReason.MINIMISES: (
        _("Denies or minimises what happened"),
        _("It denies what happened, or makes it sound smaller than it was."),
    ),
    ReturnReason.OTHER: (
        _("Something else, explained in person"),
        _("Another reason, which you explain to the author outside the written exchange."),
    ),
}

PLAN_KINDS: dict[str, Promise] = {
    PlanKind.APOLOGY: _("Apology"),
    PlanKind.TREATMENT: _("Counselling or a treatment programme"),
    PlanKind.TRAINING: _("Mend training modules"),
    PlanKind.RESTITUTION: _("Restitution"),
    PlanKind.NO_CONTACT: _("No-contact commitment"),
    PlanKind.BEHAVIOUR: _("Behaviour commitment"),
}

STAGES: dict[int, Promise] = {
    Stage.INFORMATION: _("Information"),
    Stage.REQUEST: _("Request and consent"),
    Stage.ASSESSMENT: _("Readiness and safety assessment"),
    Stage.FEASIBILITY: _("Invitation and acknowledgment"),
    Stage.PREPARATION: _("Preparation"),
    Stage.EXCHANGE: _("Exchange"),
    Stage.PLAN: _("Accountability plan"),
    Stage.MONITORING: _("Monitoring"),
    Stage.CLOSURE: _("Closed"),
}

CLOSURES: dict[str, Promise] = {
    Closure.COMPLETED: _("Completed"),
    Closure.SURVIVOR_ENDED: _("The survivor ended it"),
    Closure.RESPONSIBLE_DECLINED: _("The person responsible declined or did not acknowledge"),
    Closure.STOPPED_FOR_SAFETY: _("Stopped for safety"),
    Closure.NON_COMPLIANCE: _("Plan commitments not kept"),
}


@dataclass(frozen=True)
class TrainingModule:
    id: str
    number: int
    title: str


@lru_cache(maxsize=2)
def _modules_in(directory: str) -> tuple[TrainingModule, ...]:
    found = []
    for path in sorted(Path(directory, "modules").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        front = text.split("+++", 2)[1] if text.startswith("+++") else ""
        data = tomllib.loads(front)
        found.append(TrainingModule(str(data["id"]), int(data["number"]), str(data["title"])))
    return tuple(found)


def training_modules() -> tuple[TrainingModule, ...]:
    """Mend's training modules, by number, read from the content files (the training app is
    a part of its own that no app imports: ADR 0010), for a "training" plan item to name."""
    return _modules_in(str(settings.TRAINING_CONTENT_DIR))
