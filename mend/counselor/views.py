"""The counselor workspace (/counselor/): sign-in with a second factor, her groups, one group.

Opening a group happens in her browser (static/js/counselor/group.js): the server hands it
the group's sealed shares and ciphertexts through the API and never sees an entry. Every
page but the sign-in gives 404 to anyone who is not a counselor signed in with her second
factor; a group page gives 404 to every counselor it is not assigned to.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token

from mend.accounts.admin_login import staff_sign_in_wait
from mend.accounts.models import User
from mend.accounts.pages import page_config
from mend.accounts.roles import (
    is_counselor,
    is_counselor_account,
    is_facilitator_account,
    is_workspace_staff,
    signs_in_to_workspace,
)
from mend.accounts.security import WASM_CSP, keep_alive
from mend.certificates.paths import COUNSELOR_PATH
from mend.counselor import actions
from mend.counselor.forms import CounselorLoginForm, DecisionForm
from mend.counselor.strings import counselor_strings
from mend.escrow import actions as escrow_actions
from mend.escrow import threads, trust
from mend.escrow.access import (
    counselor_standing,
    get_group_for_counselor,
    get_membership_for_counselor,
    groups_for_counselor,
    notices_for_user,
    pending_keys_for_counselor,
)
from mend.escrow.actions import do_mark_notices_read
from mend.escrow.models import GroupState
from mend.lib import ratelimit
from mend.lib.refusal import Refusal
from mend.lib.runtime import page_strings


def counselor_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-out visitors go to the sign-in; everyone else who is not a counselor: 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('counselor:login')}?next={request.path}")
        if not is_counselor(request.user):
            raise Http404
        keep_alive(request)  # her key opens in this browser: the survivors' idle rule holds
        return view(request, *args, **kwargs)

    return wrapper


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("passphrase", "otp_token")
def log_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and not is_workspace_staff(request.user):
        raise Http404
    form = CounselorLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = staff_sign_in_wait(request, form.cleaned_data["username"])
        user = None if wait else _check_sign_in(request, form.cleaned_data)
        if user is not None:
            return redirect(staff_next(request, user))
        wrong = _("These details do not match a staff account.")
        form.add_error(None, ratelimit.too_many_attempts(wait) if wait else wrong)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "timed_out": request.GET.get("timeout") == "1"}
    return render(request, "counselor/login.html", context, status=status)


# Control characters (dropped by URL parsers) and backslashes (read as "/"): "/\evil" and
# "/<tab>/evil" are "//evil" to a browser (as mend/static/js/lib/next.js refuses them).
UNSAFE_IN_NEXT = re.compile(r"[\x00-\x1f\x7f\\]")


def staff_next(request: HttpRequest, user: User) -> str:
    """Where the sign-in sends her: back to the page that sent her here (``next``: a staff
    page she was signed out of, after an idle time-out) if it is a path on this site, else
    her workspace home. Never another site, however the address is written."""
    wanted = request.GET.get("next", "")
    on_this_site = (
        wanted.startswith("/")
        and not wanted.startswith("//")
        and not UNSAFE_IN_NEXT.search(wanted)
        and url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    )
    return wanted if on_this_site else workspace_home(user)


def workspace_home(user: User) -> str:
    """Where each staff role's work is: a counselor's groups, a facilitator's dialogue
    cases, a supervisor's list of cases (mend/dialogue/pages_staff.py)."""
    if is_counselor_account(user):
        return reverse("counselor:home")
    if is_facilitator_account(user):
        return reverse("dialogue:staff_cases")
    return reverse("dialogue:supervision")


def _check_sign_in(request: HttpRequest, data: dict[str, Any]) -> User | None:
    user = authenticate(request, username=data["username"], password=data["passphrase"])
    if not isinstance(user, User) or not signs_in_to_workspace(user):
        return None
    device = match_token(user, data["otp_token"].strip())
    if device is None:
        return None
    login(request, user)
    otp_login(request, device)
    return user


@require_GET
@csp_override(WASM_CSP)
@counselor_page
def home(request: HttpRequest) -> HttpResponse:
    counselor = _user(request)
    unread = notices_for_user(counselor).filter(read_at=None)
    notices = list(unread[:20])
    do_mark_notices_read(unread.filter(id__in=[n.id for n in notices]), timezone.now())
    key = escrow_actions.active_key(counselor)
    standing = counselor_standing(counselor)
    context = {
        **_script_context("js/counselor/home.js"),
        "groups": groups_for_counselor(counselor),
        "standing": standing,
        "training_url": reverse("training:path", args=[COUNSELOR_PATH]),
        "has_key": key is not None,
        # Never her own fingerprint: a database writer could swap her public keys, and
        # she would read his. Her browser works it out from her secret key (home.js).
        "key_endorsed": key is not None and key.id in trust.sealable_ids(),
        "pending_keys": [
            (k, trust.key_fingerprint(k)) for k in pending_keys_for_counselor(counselor)
        ],
        "reseal_count": actions.reseal_candidates(counselor).count(),
        "notices": notices,
    }
    return _workspace_page(request, "counselor/home.html", context)


def _workspace_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """A page of the workspace, with the idle clock and its warning (js/lib/idle-page.js),
    which sign her out to the counselor sign-in; so does an API's 401 (static/js/lib/api.js)."""
    back = reverse("counselor:login")
    urls = {
        "login": back,
        "logout": reverse("accounts:logout"),
        "signed_out": back,
        "home": reverse("counselor:home"),
    }
    context = {
        **context,
        "mend_config": page_config(request, **context.get("script_config", {}), urls=urls),
        "mend_strings": page_strings(counselor_strings()),
    }
    return render(request, template, context, status=status)


def _script_context(script: str, **config: Any) -> dict[str, Any]:
    return {"page_script": script, "script_config": config}


@require_GET
@csp_override(WASM_CSP)
@counselor_page
def group(request: HttpRequest, group_id: UUID) -> HttpResponse:
    found = get_group_for_counselor(request.user, group_id)
    members = list(found.members.order_by("joined_at"))
    forms = [
        (m, DecisionForm(initial={"member": m.id, "decision": m.decision}, auto_id=f"d-{m.id}-%s"))
        for m in members
    ]
    context = {
        **_script_context("js/counselor/group.js", group_id=str(found.id)),
        "group": found,
        "member_forms": forms,
        "closed": found.state == GroupState.CLOSED,
    }
    return _workspace_page(request, "counselor/group.html", context)


@require_POST
@counselor_page
def decide(request: HttpRequest, group_id: UUID) -> HttpResponse:
    member_id = request.POST.get("member", "")
    try:
        membership = get_membership_for_counselor(request.user, group_id, UUID(member_id))
    except ValueError:
        raise Http404 from None
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the decisions."))
        return redirect("counselor:group", group_id)
    try:
        actions.do_record_decision(_user(request), membership, form.cleaned_data["decision"])
    except Refusal:
        messages.error(
            request, _("This survivor withdrew her entry, or the group is closed: nothing changed.")
        )
        return redirect("counselor:group", group_id)
    messages.success(request, _("The decision is recorded."))
    return redirect("counselor:group", group_id)


@require_POST
@counselor_page
def close(request: HttpRequest, group_id: UUID) -> HttpResponse:
    found = get_group_for_counselor(request.user, group_id)
    if found.state != GroupState.CLOSED:
        actions.do_close_group(_user(request), found)
        messages.success(request, _("The group is closed. Each survivor has been told in Mend."))
    return redirect("counselor:home")


@require_http_methods(["GET", "POST"])
@counselor_page
def thread(request: HttpRequest, group_id: UUID, member_id: UUID) -> HttpResponse:
    membership = get_membership_for_counselor(request.user, group_id, member_id)
    form, status, sent = threads.message_form(
        request, membership, _user(request), from_counselor=True
    )
    if sent:
        return redirect("counselor:thread", group_id, member_id)
    shown = threads.shown(membership, counselor_side=True)
    context = {"membership": membership, "messages_shown": shown, "form": form}
    return _workspace_page(request, "counselor/thread.html", context, status=status)
