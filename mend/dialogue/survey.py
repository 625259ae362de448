"""The anonymous survey after closure (Project Restore; RJC 2.7), as both parties read it:
the questions in their words, answered from 1 to 5 on their case page (dialogue/_survey.html,
static/js/dialogue/survey.js) and stored with no link (``actions.do_give_feedback``)."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mend.dialogue.actions import FEEDBACK_QUESTIONS
from mend.dialogue.models import Participant, PartyRole
from mend.dialogue.stages import State

#: Each question's words (actions.FEEDBACK_QUESTIONS) for her, and for him: the same in
#: English; in Spanish his are in the masculine ("seguro", "escuchado").
QUESTIONS: dict[str, dict[str, Promise]] = {
    PartyRole.SURVIVOR: {
        "felt_safe": _("I felt safe taking part."),
        "felt_heard": _("I felt heard."),
        "facilitation": _("The facilitators guided it well."),
        "would_recommend": _("I would suggest it to someone in my place."),
    },
    PartyRole.RESPONSIBLE: {
        "felt_safe": pgettext_lazy("responsible person", "I felt safe taking part."),
        "felt_heard": pgettext_lazy("responsible person", "I felt heard."),
        "facilitation": _("The facilitators guided it well."),
        "would_recommend": _("I would suggest it to someone in my place."),
    },
}


def questions(role: str) -> list[tuple[str, Promise]]:
    """The questions, as ``role``'s side reads them, in the order they are asked."""
    return [(code, QUESTIONS[role][code]) for code in FEEDBACK_QUESTIONS]


def page_context(me: Participant) -> dict[str, Any]:
    """What dialogue/_survey.html needs on a party's case page: whether to ask (the case
    has closed and she has not answered), and the questions in her side's words."""
    return {
        "feedback_due": me.case.state == State.CLOSED and not me.feedback_given,
        "questions": questions(me.role),
    }


#: What the page script (static/js/dialogue/survey.js) needs: the questions' codes.
SCRIPT_CONFIG = {"feedback_questions": list(FEEDBACK_QUESTIONS)}
