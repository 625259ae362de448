"""The responsible person's pages: joining by invitation code, and his case.

He has an account of role "responsible", made only by the one-time code a facilitator
hands him outside Mend (api_join.py). Every page of his loads his part in a case through
mend.dialogue.access, so any other account (survivor, staff, another case's responsible
person) gets 404 and the signed-out are asked to sign in. The pages are shells: his
browser unwraps his case key with his vault key, opens what he may read and seals what he
writes (static/js/dialogue/responsible/); the server sends stages and dates, never words.

He never sees her username: nothing here names the survivor's account; the case is shown
under a neutral name (docs/dialogue.md "Not built yet": the name she chooses).
"""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

from mend.accounts.pages import render_survivor_page
from mend.accounts.roles import is_responsible
from mend.accounts.security import WASM_CSP, page_for
from mend.dialogue import access, monitoring, retention, survey
from mend.dialogue.models import Format, Participant
from mend.dialogue.stages import Stage, State
from mend.dialogue.strings_responsible import closure_words, join_strings, page_words, stage_words
from mend.lib.refusal import Refusal

#: A page of his (signed out: sign in first; anyone but a responsible person: 404).
responsible_page = page_for(is_responsible)

#: The longest text he may write in one item: even at four bytes a character, and in its
#: JSON wrapping, it stays under the API's 64 KiB body (mend.dialogue.api.MAX_BODY).
MAX_TEXT_CHARS = 12_000


@require_GET
@csp_override(WASM_CSP)
@ensure_csrf_cookie
def join(request: HttpRequest) -> HttpResponse:
    """The invitation code and a sign-up, made in his browser as a survivor's is. Signed
    in as him already: his case. Signed in as anyone else: 404 (a survivor or staff
    member has no business making a responsible person's account from her session)."""
    if is_responsible(request.user):
        return redirect("dialogue:responsible_home")
    if request.user.is_authenticated:
        raise Http404
    return render_survivor_page(
        request,
        "dialogue/responsible/join.html",
        "dialogue/responsible/join.js",
        strings=join_strings(),
        context={"continue_url": reverse("dialogue:responsible_home")},
    )


@require_GET
@responsible_page
def home(request: HttpRequest) -> HttpResponse:
    """His case (he takes part in one; should there be several, the newest)."""
    part = access.cases_for(request.user).first()
    if part is None:
        raise Http404
    return redirect("dialogue:responsible_case", part.case_id)


@require_GET
@csp_override(WASM_CSP)
@responsible_page
def case(request: HttpRequest, case_id: UUID) -> HttpResponse:
    return case_page(request, his_part(request.user, case_id))


def his_part(user: object, case_id: UUID) -> Participant:
    """His part in the case through the one door; its API refusal (404) is a page's 404."""
    try:
        return access.get_participant(user, case_id)
    except Refusal:
        raise Http404 from None


def case_page(request: HttpRequest, me: Participant) -> HttpResponse:
    case = me.case
    stage_name, stage_next = stage_words().get(case.stage, ("", ""))
    return render_survivor_page(
        request,
        "dialogue/responsible/case.html",
        "dialogue/responsible/case-page.js",
        strings=page_words(),
        config={
            "case_id": str(case.id),
            "max_text": MAX_TEXT_CHARS,
            **survey.SCRIPT_CONFIG,
        },
        context={
            "case": case,
            "stage": case.stage,
            "stage_name": stage_name,
            "stage_next": stage_next,
            "paused": case.state == State.PAUSED,
            "closed": case.state == State.CLOSED,
            "closure": closure_words().get(case.closure_reason, ""),
            **retention.page_context(case),
            "acknowledging": case.stage == Stage.FEASIBILITY,
            "prepared": case.stage >= Stage.PREPARATION and case.acknowledgment_accepted,
            "writing": Stage.EXCHANGE <= case.stage <= Stage.PLAN,
            "letter_bank": case.format == Format.LETTER_BANK,
            "exchanged": case.stage >= Stage.EXCHANGE and case.acknowledgment_accepted,
            "planned": case.stage >= Stage.PLAN and case.acknowledgment_accepted,
            "monitoring_ends_on": monitoring.monitoring_ends_on(case),
            **survey.page_context(me),
        },
    )
