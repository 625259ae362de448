"""The facilitator's and the supervisor's pages (/dialogue/staff/…, /dialogue/supervision/).

Guarantees:
- A facilitator's case page loads only through mend.dialogue.access: 404 to anyone who is
  not the lead or co-facilitator of that case (a facilitator of another case, the
  supervisor, the parties, every other staff role). Signed out: the staff sign-in.
- The server renders only stage, dates, flags and the server's own lists (questions, stop
  rules, reasons, plan kinds). Every word anyone wrote is opened, and every answer sealed,
  in her browser (static/js/dialogue/staff/, the shared module dialogue/case.js).
- The supervisor's list shows stage, dates and flags: no item, no name, no username.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_POST

from mend.accounts.models import User
from mend.accounts.pages import page_config
from mend.accounts.roles import is_facilitator, is_supervisor, runs_idle_clock
from mend.accounts.security import WASM_CSP, keep_alive
from mend.certificates import paths
from mend.dialogue import access, actions, retention, staff_forms
from mend.dialogue.models import Case, Participant, PartyRole
from mend.dialogue.staff_strings import staff_strings
from mend.dialogue.stages import Stage
from mend.escrow import trust
from mend.lib.refusal import Refusal
from mend.lib.runtime import page_strings


def staff_page(allows: Callable[[object], bool]) -> Callable[..., Callable[..., HttpResponse]]:
    """Signed out: the staff sign-in, and back here after; anyone `allows` refuses: 404."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect(f"{reverse('counselor:login')}?next={request.path}")
            if not allows(request.user):
                raise Http404
            if runs_idle_clock(request.user):  # a facilitator: her staff key opens here
                keep_alive(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def facilitated_part(user: object, case_id: UUID) -> Participant:
    """Her part (lead or co) in the case, or 404: the API's one door, as a page's 404."""
    try:
        return access.require_facilitator(access.get_participant(user, case_id))
    except Refusal:
        raise Http404 from None


def stage_name(stage: int) -> str:
    return str(staff_forms.STAGES[Stage(stage)])


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    urls = {"login": reverse("counselor:login"), "cases": reverse("dialogue:staff_cases")}
    config = page_config(request, **context.pop("script_config", {}), urls=urls)
    context = {
        **context,
        "mend_config": config,
        "mend_strings": page_strings(staff_strings()),
        "runs_idle_clock": runs_idle_clock(request.user),  # what the parties wrote is shown
    }
    return render(request, template, context)


@require_GET
@csp_override(WASM_CSP)
@staff_page(is_facilitator)
def staff_cases(request: HttpRequest) -> HttpResponse:
    """Her cases, as lead or co-facilitator, with stage and state; her staff key, made here
    in her browser if she has none yet (Argon2id: WebAssembly)."""
    parts = [(p, stage_name(p.case.stage)) for p in access.cases_for(request.user)]
    assert isinstance(request.user, User)  # staff_page let only a facilitator in
    standing = access.facilitator_standing(request.user, timezone.now())
    supervision = access.facilitator_supervision(request.user, request.user, timezone.localdate())
    context = {
        "parts": parts,
        "standing": standing,
        "training_url": reverse("training:path", args=[paths.FACILITATOR_PATH]),
        "supervision": supervision,
        # Whether she has a key and its standing, never its fingerprint: a database writer
        # could swap her public keys for his; her browser works it out from her secret key.
        "staff_key": _key_standing(request.user),
        "page_script": "js/dialogue/staff/cases.js",
        "script_optional": True,  # only making her key and showing its fingerprint need it
    }
    return _render(request, "dialogue/staff/cases.html", context)


def _key_standing(user: User) -> dict[str, bool] | None:
    state = trust.key_state(user)
    return None if state is None else {"vouched": state.vouched}


@require_GET
@csp_override(WASM_CSP)
@staff_page(is_facilitator)
def staff_case(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """One case: keys, fingerprints, assessment, invitation, screening, plan, stops, stages.
    The page is a frame; her browser fills it once her staff key is unlocked."""
    me = facilitated_part(request.user, case_id)
    case = me.case
    found = failed_checks(me)
    context = {
        "page_script": "js/dialogue/staff/case.js",
        "me": me,
        "case": case,
        **retention.page_context(case),
        "stage": stage_name(case.stage),
        "survivor_questions": staff_forms.SURVIVOR_QUESTIONS,
        "responsible_questions": staff_forms.RESPONSIBLE_QUESTIONS,
        "checklist": staff_forms.RISK_CHECKLIST,
        "stop_rules": staff_forms.STOP_RULES.items(),
        "return_reasons": [(c, t, m) for c, (t, m) in staff_forms.RETURN_REASONS.items()],
        "plan_kinds": staff_forms.PLAN_KINDS.items(),
        "modules": staff_forms.training_modules(),
        "failed_checks": found,
        "failed_total": sum(n for _, n in found),
        "script_config": {
            "case_id": str(case.id),
            "me": str(me.id),
            "stages": {int(k): str(v) for k, v in staff_forms.STAGES.items()},
            "stop_rules": {k: str(v) for k, v in staff_forms.STOP_RULES.items()},
            "reasons": {k: str(t) for k, (t, _m) in staff_forms.RETURN_REASONS.items()},
            "plan_kinds": {k: str(v) for k, v in staff_forms.PLAN_KINDS.items()},
            "questions": _question_texts(),
        },
    }
    return _render(request, "dialogue/staff/case.html", context)


#: What a browser found when it could not check an item (CheckFailedIn's codes).
FOUND = {
    "bad_signature": gettext_lazy("a signature that does not check out"),
    "does_not_open": gettext_lazy("a sealed key that does not open"),
    "malformed": gettext_lazy("words not in the agreed form"),
}


def failed_checks(me: Participant) -> list[tuple[str, int]]:
    """What browsers in her case could not check, in her words, with how many times."""
    return [(str(FOUND.get(code, code)), n) for code, n in access.failed_checks(me).items()]


def _question_texts() -> dict[str, str]:
    """Every question's words by code, so her browser shows stored answers beside them."""
    every = (
        *staff_forms.SURVIVOR_QUESTIONS,
        *staff_forms.RESPONSIBLE_QUESTIONS,
        *staff_forms.RISK_CHECKLIST,
    )
    return {q.code: str(q.text) for q in every}


@require_GET
@staff_page(is_supervisor)
def supervision(request: HttpRequest) -> HttpResponse:
    """Every case's stage, dates and flags: no content, no names (docs/dialogue.md)."""
    return _supervision_page(request)


def _supervision_page(
    request: HttpRequest, failed: tuple[UUID, str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    """The list of cases; after a refused step (`failed`: the case, "form" or "take_off",
    the bound form with its errors), that case's form as she filled it, with the error next
    to the field it concerns and the field focused."""
    cases = access.supervised_cases(request.user, timezone.now())
    cases = cases.prefetch_related("participants", "stops")

    def form(case: Case, key: str, empty: type[CaseForm]) -> forms.Form:
        if failed is not None and failed[:2] == (case.id, key):
            return failed[2]
        return empty(auto_id=_ids(empty, case.id))

    rows = [
        {
            "case": c,
            "stage": stage_name(c.stage),
            "has_lead": any(p.is_lead for p in c.participants.all()),
            "stops": [staff_forms.STOP_RULES[s.rule] for s in c.stops.all()],
            "closure": staff_forms.CLOSURES.get(c.closure_reason, ""),
            "form": form(c, "form", AssignForm),
            "take_off": form(c, "take_off", TakeOffForm),
        }
        for c in cases
    ]
    context = {"rows": rows, "staff_home": "supervision"}
    return render(request, "dialogue/staff/supervision.html", context, status=status)


def _ids(form: type[CaseForm], case_id: UUID) -> str:
    """One case's form's element ids, the same on the list and after a refused post."""
    return f"{form.ID_PREFIX}-{case_id}-%s"


class CaseForm(forms.Form):
    ID_PREFIX = ""


def _username(qa: str) -> forms.CharField:
    attrs = {"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
    return forms.CharField(
        max_length=150,
        label=gettext_lazy("Facilitator's username"),
        widget=forms.TextInput(attrs={**attrs, "data-qa": qa}),
    )


class AssignForm(CaseForm):
    ID_PREFIX = "assign"
    username = _username("assign-username")
    role = forms.ChoiceField(
        choices=[
            (PartyRole.LEAD, gettext_lazy("Lead facilitator")),
            (PartyRole.CO, gettext_lazy("Co-facilitator")),
            (PartyRole.SPECIALIST, gettext_lazy("Survivor specialist")),
        ],
        label=gettext_lazy("Part in the case"),
    )


#: Why an assignment was refused (actions.do_assign_facilitator's codes), in plain words.
ASSIGN_REFUSALS = {
    "closed": gettext_lazy("This case has ended: nobody can be assigned to it."),
    "bad_role": gettext_lazy("Choose the lead, the co-facilitator or the survivor specialist."),
    "not_a_facilitator": gettext_lazy("There is no facilitator with this username."),
    "assigned": gettext_lazy("The case has this part already, or this person is in it."),
    "not_certified": gettext_lazy(
        "This facilitator holds no current certificate of the facilitators' training path."
    ),
    "key_not_vouched": gettext_lazy(
        "No counselor has vouched for this facilitator's staff key yet, so nobody in the case"
        " could write to them. They make the key on their list of cases; a counselor vouches"
        " for it in the counselor workspace after comparing its fingerprint with them."
    ),
}


def supervised_case(user: object, case_id: UUID) -> Case:
    try:
        return access.get_supervised_case(user, case_id, timezone.now())
    except Refusal:
        raise Http404 from None


#: The field a refusal concerns, where it is not the username; None: the whole form.
REFUSAL_FIELDS: dict[str, str | None] = {
    "closed": None,
    "bad_role": "role",
    "future": "held_on",
    "too_old": "held_on",
    "recorded": "held_on",
}


def _supervisor_step(
    request: HttpRequest,
    form: forms.Form,
    *,
    back_to: str,
    refusals: Mapping[str, Promise],
    act: Callable[[User, dict[str, Any]], str],
    again: Callable[[forms.Form, int], HttpResponse],
) -> HttpResponse:
    """A supervisor's form (assigning, taking off, recording a session): what `act` says it
    did, then `back_to`. Else the page `again`, with the form as she filled it: what is
    missing, or the step's refusal in plain words, next to the field it concerns."""
    if form.is_valid():
        assert isinstance(request.user, User)
        try:
            done = act(request.user, form.cleaned_data)
        except Refusal as refusal:
            field = REFUSAL_FIELDS.get(refusal.code, "username")
            form.add_error(field, str(refusals.get(refusal.code, refusal.detail)))
            return again(_focused(form), refusal.status)
        messages.success(request, done)
        return redirect(back_to)
    return again(_focused(form), 400)


def _focused(form: forms.Form) -> forms.Form:
    """Focus the first field in error (the first field, for an error of the whole form), so
    that a keyboard or screen-reader user lands on it and hears the error it describes."""
    name = next((n for n in form.fields if n in form.errors), next(iter(form.fields)))
    form.fields[name].widget.attrs["autofocus"] = True
    return form


@require_POST
@staff_page(is_supervisor)
def assign(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """A supervisor gives a case its lead, co-facilitator or survivor specialist
    (certified facilitators only)."""
    case = supervised_case(request.user, case_id)

    def act(supervisor: User, data: dict[str, Any]) -> str:
        facilitator = actions.facilitator_named(data["username"])
        actions.do_assign_facilitator(supervisor, case, facilitator, data["role"], timezone.now())
        return _("The facilitator is assigned. The case is on their list now.")

    return _supervisor_step(
        request,
        AssignForm(request.POST, auto_id=_ids(AssignForm, case.id)),
        back_to="dialogue:supervision",
        refusals=ASSIGN_REFUSALS,
        act=act,
        again=lambda form, status: _supervision_page(request, (case.id, "form", form), status),
    )


class TakeOffForm(CaseForm):
    ID_PREFIX = "take-off"
    username = _username("take-off-username")


#: Why a facilitator was not taken off (actions.do_take_off_facilitator's codes).
TAKE_OFF_REFUSALS = {
    "closed": gettext_lazy("This case has ended: its team stays as it was."),
    "not_on_case": gettext_lazy("No facilitator of this case has this username."),
}


@require_POST
@staff_page(is_supervisor)
def take_off(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """A supervisor takes a facilitator off an open case (docs/dialogue.md)."""
    case = supervised_case(request.user, case_id)

    def act(supervisor: User, data: dict[str, Any]) -> str:
        if actions.do_take_off_facilitator(supervisor, case, data["username"]) is None:
            return _(
                "They are off the case. It has no lead now: assign one. A new lead reads what the "
                "parties wrote before joining once the parties allow it, and never the team's "
                "earlier notes."
            )
        return _(
            "They are off the case. Its lead now vouches for the parties' keys again before the "
            "parties' words pass between them."
        )

    return _supervisor_step(
        request,
        TakeOffForm(request.POST, auto_id=_ids(TakeOffForm, case.id)),
        back_to="dialogue:supervision",
        refusals=TAKE_OFF_REFUSALS,
        act=act,
        again=lambda form, status: _supervision_page(request, (case.id, "take_off", form), status),
    )


class SessionForm(forms.Form):
    username = _username("session-username")
    held_on = forms.DateField(
        label=gettext_lazy("Day of the session"),
        widget=forms.DateInput(attrs={"type": "date", "data-qa": "session-day"}, format="%Y-%m-%d"),
    )


SESSION_IDS = "session-%s"

#: Why a session was not recorded (actions.do_record_supervision's codes), in plain words.
SESSION_REFUSALS = {
    "not_a_facilitator": gettext_lazy("There is no facilitator with this username."),
    "future": gettext_lazy("Record a session once it was held: this day has not come yet."),
    "too_old": gettext_lazy("This day is more than a year ago: check the year."),
    "recorded": gettext_lazy("A session of this facilitator on this day is recorded already."),
}


@require_GET
@staff_page(is_supervisor)
def supervision_log(request: HttpRequest) -> HttpResponse:
    """Each facilitator's last case-supervision session and the day the next is due by: a
    page of its own, so that the list of cases stays one that names nobody."""
    today = timezone.localdate()
    return _supervision_log_page(
        request, SessionForm(initial={"held_on": today}, auto_id=SESSION_IDS)
    )


def _supervision_log_page(
    request: HttpRequest, form: forms.Form, status: int = 200
) -> HttpResponse:
    context = {
        "log": access.supervision_log(request.user, timezone.localdate()),
        "session_form": form,
        "staff_home": "supervision",
    }
    return render(request, "dialogue/staff/supervision_log.html", context, status=status)


@require_POST
@staff_page(is_supervisor)
def record_session(request: HttpRequest) -> HttpResponse:
    """A supervisor records a facilitator's case-supervision session (RJC: every 12 weeks)."""

    def act(supervisor: User, data: dict[str, Any]) -> str:
        username, held_on = data["username"], data["held_on"]
        today, now = timezone.localdate(), timezone.now()
        actions.do_record_supervision(supervisor, username, held_on, today, now)
        return _("The session is recorded.")

    return _supervisor_step(
        request,
        SessionForm(request.POST, auto_id=SESSION_IDS),
        back_to="dialogue:supervision_log",
        refusals=SESSION_REFUSALS,
        act=act,
        again=lambda form, status: _supervision_log_page(request, form, status),
    )
