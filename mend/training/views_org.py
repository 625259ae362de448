"""Learner accounts and organisations: joining with a code, signing in and out, and the
organisation administrator's dashboard with its CSV export.

Why a plain password form (docs/training.md, "Learners"): a learner keeps no vault, so
nothing needs a key derived in the browser. A learner is a mend.accounts User with the
LEARNER role and Django's password hashing; the form works without JavaScript, is limited
per username and per address (mend.lib.ratelimit), and admits learners only: a survivor's
or a staff member's credentials are refused here as wrong.
"""

from __future__ import annotations

import csv
from uuid import UUID

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mend.accounts.actions import normalize_username
from mend.lib import ratelimit
from mend.lib.ratelimit import Limit
from mend.training import access, actions, curriculum, progress
from mend.training.forms import InviteForm, JoinForm, LoginForm
from mend.training.models import Organisation


def _refuse(
    request: HttpRequest, template: str, context: dict[str, object], wait: int
) -> HttpResponse:
    context["error"] = ratelimit.too_many_attempts(wait)
    response = render(request, template, context, status=429)
    response.headers["Retry-After"] = str(wait)
    return response


@never_cache
@sensitive_post_parameters("passphrase", "code")
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    if request.method != "POST":
        return render(request, "training/join.html", context)
    limit = Limit.from_setting("training-join-ip", settings.RATE_LIMIT_TRAINING_JOIN_IP)
    wait = ratelimit.seconds_to_wait((limit, ratelimit.client_address(request)))
    if wait:
        return _refuse(request, "training/join.html", context, wait)
    if not form.is_valid():
        return render(request, "training/join.html", context, status=400)
    try:
        user = actions.do_join(actions.Joining(**form.cleaned_data), timezone.now())
    except actions.JoinError as error:
        form.add_error(error.field, error.message)
        return render(request, "training/join.html", context, status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("training:home")


@never_cache
@sensitive_post_parameters("passphrase")
@require_http_methods(["GET", "POST"])
def log_in(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    if request.method != "POST":
        return render(request, "training/login.html", context)
    if not form.is_valid():
        return render(request, "training/login.html", context, status=400)
    username = normalize_username(form.cleaned_data["username"])
    wait = ratelimit.seconds_to_wait(
        (
            Limit.from_setting("training-login", settings.RATE_LIMIT_TRAINING_LOGIN_USERNAME),
            username,
        ),
        (
            Limit.from_setting("training-login-ip", settings.RATE_LIMIT_TRAINING_LOGIN_IP),
            ratelimit.client_address(request),
        ),
    )
    if wait:
        return _refuse(request, "training/login.html", context, wait)
    user = authenticate(request, username=username, password=form.cleaned_data["passphrase"])
    if user is None or access.find_membership(user) is None:
        context["error"] = _("The username or the passphrase is not right.")
        return render(request, "training/login.html", context, status=400)
    login(request, user)
    return redirect("training:home")


@require_POST
def log_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("training:home")


# --- the organisation's dashboard ------------------------------------------------------------


def _rows(organisation: Organisation) -> list[progress.LearnerProgress]:
    members = access.members_of(organisation)
    return progress.progress_of(members, curriculum.current(), timezone.now())


@never_cache
@require_GET
def dashboard(request: HttpRequest, organisation_id: UUID) -> HttpResponse:
    organisation = access.get_organisation_for_admin(request.user, organisation_id)
    context = {"organisation": organisation, "rows": _rows(organisation), "form": InviteForm()}
    return render(request, "training/dashboard.html", context)


@never_cache
@require_POST
def invite(request: HttpRequest, organisation_id: UUID) -> HttpResponse:
    organisation = access.get_organisation_for_admin(request.user, organisation_id)
    form = InviteForm(request.POST)
    context: dict[str, object] = {"organisation": organisation, "form": form}
    if not form.is_valid():
        context["rows"] = _rows(organisation)
        return render(request, "training/dashboard.html", context, status=400)
    admin = access.get_membership(request.user).user
    try:
        context["codes"] = actions.do_issue_invitations(
            organisation, admin, form.cleaned_data["count"], as_admin=False, now=timezone.now()
        )
    except actions.TooManyCodes as refused:
        form.add_error("count", too_many_codes(refused.room))
        context["rows"] = _rows(organisation)
        return render(request, "training/dashboard.html", context, status=409)
    context["days"] = settings.TRAINING_INVITATION_DAYS
    return render(request, "training/codes.html", context)


def too_many_codes(room: int) -> str:
    waiting = settings.TRAINING_MAX_WAITING_CODES
    if room == 0:
        return _(
            "Your organisation has %(waiting)s codes waiting to be used, as many as it may"
            " have. Codes that are used or expire make room for new ones."
        ) % {"waiting": waiting}
    return ngettext(
        "Your organisation may have %(waiting)s codes waiting to be used: ask for %(room)s"
        " code at most now.",
        "Your organisation may have %(waiting)s codes waiting to be used: ask for %(room)s"
        " codes at most now.",
        room,
    ) % {"waiting": waiting, "room": room}


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """The value as a CSV cell that no spreadsheet reads as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


CSV_HEADER = (
    "name",
    "username",
    "administrator",
    "joined",
    "path",
    "modules_passed",
    "modules_in_path",
    "status",
    "completed",
    "recertification_reason",
    "certificate_expires",
)


def _day(value: object) -> str:
    return value.date().isoformat() if hasattr(value, "date") else ""


@never_cache
@require_GET
def export_csv(request: HttpRequest, organisation_id: UUID) -> HttpResponse:
    """One row per learner and path she has started (one row without a path if none)."""
    organisation = access.get_organisation_for_admin(request.user, organisation_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="training-progress.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for row in _rows(organisation):
        member = row.membership
        person = [member.name, member.user.username, "yes" if member.is_admin else "no"]
        person.append(member.joined_at.date().isoformat())
        statuses: list[progress.PathStatus | None] = [*row.active_paths()] or [None]
        for status in statuses:
            cells = person + _path_cells(status)
            writer.writerow([csv_cell(cell) for cell in cells])
    return response


def _path_cells(status: progress.PathStatus | None) -> list[object]:
    if status is None:
        return ["", "", "", "", "", "", ""]
    return [
        status.path.id,
        status.passed,
        status.total,
        status.status,
        _day(status.completed_at),
        status.reason,
        _day(status.expires_at),
    ]
