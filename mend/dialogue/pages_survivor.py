"""The survivor's dialogue pages (stages 1-8): her cases, and one page per case.

Each page is served only to the survivor of the case (`survivor_script_page`: signed out
are sent to log in, every other account gets 404; `access.survivor_part`: any case not hers
is 404, whoever asks). The server renders what it knows (stage, dates, state, consent, the
team); the page script (static/js/dialogue/survivor/) opens, writes and checks everything
that is encrypted, through static/js/dialogue/case.js. No word she writes reaches the server
unencrypted.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from mend.accounts.pages import render_survivor_page
from mend.accounts.security import survivor_script_page
from mend.dialogue import access, availability, retention, survey
from mend.dialogue.actions import CONSENT_VERSION
from mend.dialogue.models import Case, Format, Participant
from mend.dialogue.stages import Stage, State
from mend.dialogue.strings_survivor import CLOSURES, STAGES, script_strings
from mend.lib.refusal import Refusal


def _page(
    request: HttpRequest,
    name: str,
    script: str,
    config: dict[str, Any],
    context: dict[str, Any],
) -> HttpResponse:
    cases = reverse("dialogue:survivor_cases")
    return render_survivor_page(
        request,
        f"dialogue/survivor/{name}.html",
        f"dialogue/survivor/{script}",
        strings=script_strings(),
        config={**config, "urls": {"case": cases + "{id}/", "cases": cases}},
        context=context,
    )


def _stage(case: Case) -> dict[str, Any]:
    name, next_step = STAGES.get(case.stage, STAGES[Stage.REQUEST])
    return {"number": case.stage, "name": name, "next": next_step}


@survivor_script_page
def my_cases(request: HttpRequest) -> HttpResponse:
    """Her dialogues, and the one button that asks for a new one."""
    rows = [
        {"case": p.case, "stage": _stage(p.case), **retention.page_context(p.case)}
        for p in access.cases_for(request.user)
    ]
    offered = availability.offered(timezone.now())
    return _page(request, "cases", "cases.js", {}, {"rows": rows, "offered": offered})


def _case_context(me: Participant) -> dict[str, Any]:
    case = me.case
    consent = access.current_consent(me)
    closed = case.state == State.CLOSED
    letter_bank = case.format == Format.LETTER_BANK
    return {
        "case": case,
        "stage": _stage(case),
        "closed": closed,
        "paused": case.state == State.PAUSED,
        "she_paused": case.paused_by == "survivor",
        "closure": CLOSURES.get(case.closure_reason, ""),
        **retention.page_context(case),
        "consent": consent,
        "needs_consent": not closed
        and case.stage == Stage.REQUEST
        and (consent is None or consent.version != CONSENT_VERSION),
        "team": access.team_of(me),
        "letter_bank": letter_bank,
        "can_write": case.state == State.ACTIVE
        and case.stage in (Stage.EXCHANGE, Stage.PLAN)
        and not letter_bank,
        "shows_exchange": case.stage >= Stage.FEASIBILITY,
        "shows_plan": case.stage >= Stage.PLAN,
        **survey.page_context(me),
    }


@survivor_script_page
def case_page(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """Everything she does in her case, at her pace; 404 unless the case is hers."""
    try:
        me = access.survivor_part(request.user, case_id)
    except Refusal:  # the one door's 404, as a page's
        raise Http404 from None
    config = {
        "case_id": str(me.case_id),
        "consent_version": CONSENT_VERSION,
        **survey.SCRIPT_CONFIG,
    }
    return _page(request, "case", "case-page.js", config, _case_context(me))
