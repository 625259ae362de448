"""Survivor pages of "Find others, safely" (/find-others/).

Verification, the list of entries and messages are plain server-rendered forms (the
messages page's script only keeps her unsent words through the idle sign-out). Writing and
editing an entry is done by static/js/escrow/entry.js in her browser (the server never
sees the identifiers or the words); withdrawing by static/js/escrow/withdraw.js, since
both saving an edit and withdrawing take her passphrase again, whose proof only her
browser can derive. Staff get 404 on every page; signed-out visitors
are sent to log in first; an entry or thread loads only for its owner (404 for anyone else).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csp import csp_override
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mend.accounts.models import User
from mend.accounts.pages import page_config
from mend.accounts.security import WASM_CSP, survivor_page
from mend.escrow import actions, threads, trust, verification
from mend.escrow.access import (
    code_pending,
    entries_for_survivor,
    get_entry_for_user,
    get_escrow_account,
    get_membership_for_survivor,
    matched_tags_for_survivor,
    memberships_for_survivor,
    notices_for_user,
)
from mend.escrow.errors import RateLimited
from mend.escrow.forms import AddressForm, CodeForm, InvitationForm
from mend.escrow.models import Membership
from mend.escrow.strings import DECISION_WORDS, NOTICE_WORDS, STATE_WORDS, survivor_strings
from mend.lib.refusal import Refusal
from mend.lib.runtime import page_strings


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render a survivor page; the vault's idle time-out runs on it (js/lib/idle-page.js,
    or the page's own script where it keeps unsaved words: the entry and message pages).
    Its script's own settings (`script_config`) join the runtime's in "mend-config"."""
    context = {
        **context,
        "mend_config": page_config(request, **context.get("script_config", {})),
        "mend_strings": page_strings(survivor_strings()),
    }
    return render(request, template, context, status=status)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _home_context(user: User, **forms: Any) -> dict[str, Any]:
    return {
        "account": get_escrow_account(user),
        "entries": entries_for_survivor(user).order_by("-created_at"),
        "entry_groups": _entry_groups(user),
        "threshold": settings.ESCROW_THRESHOLD,
        "open_for_entries": bool(trust.sealable_ids()),
        "code_pending": code_pending(user),
        "threads": memberships_for_survivor(user),
        "invitation_form": forms.get("invitation_form") or InvitationForm(),
        "address_form": forms.get("address_form") or AddressForm(),
        "code_form": forms.get("code_form") or CodeForm(),
    }


def _entry_groups(user: User) -> dict[str, str]:
    """Her entries' match groups, as "entry id: group ids": her page's script names the
    entry a notice or a thread is about (no more than the page already says: matched)."""
    groups: dict[str, set[str]] = defaultdict(set)
    rows = matched_tags_for_survivor(user).values_list("entry_id", "group_id")
    for entry_id, group_id in rows:
        groups[str(entry_id)].add(str(group_id))
    return {entry: " ".join(sorted(ids)) for entry, ids in groups.items()}


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    """What "Find others, safely" is, does and does not do: public, since reading it must
    not need an account (only making an entry does)."""
    threshold = settings.ESCROW_THRESHOLD
    return render(request, "escrow/about.html", {"threshold": threshold})


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Her entries, notices and threads; a signed-out visitor gets the explanation."""
    if not request.user.is_authenticated:
        return about(request)
    return survivor_home(request)


@csp_override(WASM_CSP)  # its script opens her entries' summaries in the browser
@survivor_page
def survivor_home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    notices = list(notices_for_user(user)[:20])
    actions.do_mark_notices_read(notices_for_user(user), timezone.now())
    threads = dict(memberships_for_survivor(user).values_list("group_id", "id"))
    shown = [
        {
            "notice": n,
            "words": NOTICE_WORDS.get(n.kind, ""),
            "thread_id": threads.get(n.group_id) if n.group_id else None,
        }
        for n in notices
    ]
    context = {
        **_home_context(user),
        "notices": shown,
        "saved": "saved" in request.GET,
        "withdrawn": "withdrawn" in request.GET,  # js/escrow/withdraw.js comes back here
        "page_script": "js/escrow/home.js",
        "script_optional": True,  # the page works without it; the script only adds detail
    }
    return _page(request, "escrow/home.html", context)


def _home_again(request: HttpRequest, status: int, error: str = "", **forms: Any) -> HttpResponse:
    """The home page again, with the form that was refused and why."""
    context = {**_home_context(_user(request), **forms), "error": error, "notices": []}
    return _page(request, "escrow/home.html", context, status=status)


def _refused(request: HttpRequest, error: Refusal, **forms: Any) -> HttpResponse:
    if isinstance(error, RateLimited):  # its detail is the API's, in English: say it plainly
        return _home_again(request, error.status, str(TOO_MANY), **forms)
    return _home_again(request, error.status, str(error), **forms)


#: A verification step refused for its rate (codes guessed, codes mailed to her or to one
#: mailbox): the same words for each, which tell no one whether others asked too.
TOO_MANY = gettext_lazy("Too many attempts. Please wait a while and try again.")


@require_POST
@survivor_page
@sensitive_post_parameters("code")
def verify_invitation(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _home_again(request, 400, invitation_form=form)
    try:
        verification.do_redeem_invitation(_user(request), form.cleaned_data["code"])
    except Refusal as error:
        return _refused(request, error, invitation_form=form)
    messages.success(request, _("Your account is verified. You can now make an entry."))
    return redirect("escrow:home")


@require_POST
@survivor_page
@sensitive_post_parameters("address")
def verify_address(request: HttpRequest) -> HttpResponse:
    form = AddressForm(request.POST)
    if not form.is_valid():
        return _home_again(request, 400, address_form=form)
    try:
        verification.do_send_address_code(_user(request), form.cleaned_data["address"])
    except Refusal as error:
        return _refused(request, error, address_form=form)
    messages.success(
        request,
        _("If this address can be used, a code is on its way. The address is not kept."),
    )
    return redirect("escrow:home")


@require_POST
@survivor_page
@sensitive_post_parameters("code")
def verify_code(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _home_again(request, 400, code_form=form)
    try:
        verification.do_confirm_address_code(_user(request), form.cleaned_data["code"])
    except Refusal as error:
        return _refused(request, error, code_form=form)
    messages.success(request, _("Your account is verified. You can now make an entry."))
    return redirect("escrow:home")


def _entry_page(request: HttpRequest, entry_id: UUID | None) -> HttpResponse:
    config = {
        "entry_id": str(entry_id) if entry_id else None,
        "max_identifiers": settings.ESCROW_MAX_IDENTIFIERS,
        "urls": {"home": reverse("escrow:home")},
        # Said before she writes anything: no counselor key can receive a new entry yet.
        "open_for_entries": bool(trust.sealable_ids()),
    }
    context = {
        "script_config": config,
        "page_script": "js/escrow/entry.js",
        "own_idle_clock": True,  # entry.js runs it, to lock her unsaved words (escrow/_page.html)
        "editing": entry_id is not None,
        "threshold": settings.ESCROW_THRESHOLD,
    }
    return _page(request, "escrow/entry.html", context)


@require_GET
@csp_override(WASM_CSP)
@survivor_page
def new_entry(request: HttpRequest) -> HttpResponse:
    if get_escrow_account(_user(request)) is None:
        return redirect("escrow:home")
    return _entry_page(request, None)


@require_GET
@csp_override(WASM_CSP)
@survivor_page
def edit_entry(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    entry = get_entry_for_user(request.user, entry_id)
    return _entry_page(request, entry.id)


@require_GET
@csp_override(WASM_CSP)  # its script derives the proof of her passphrase (Argon2id)
@survivor_page
def withdraw_entry(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    """Withdrawing takes her passphrase again (mend.escrow.api.withdraw_entry), which only
    her browser can turn into its proof: the page's script sends it to the API. So this page
    withdraws nothing itself, and without JavaScript it shows no form (a POST is 405)."""
    entry = get_entry_for_user(request.user, entry_id)
    context = {
        "entry": entry,
        "matched": entry.tags.exclude(group=None).exists(),
        "script_config": {"entry_id": str(entry.id), "urls": {"home": reverse("escrow:home")}},
        "page_script": "js/escrow/withdraw.js",
    }
    return _page(request, "escrow/withdraw.html", context)


@require_http_methods(["GET", "POST"])
@csp_override(WASM_CSP)  # its script locks unsent words with her vault key (libsodium)
@survivor_page
def thread(request: HttpRequest, thread_id: UUID) -> HttpResponse:
    membership = get_membership_for_survivor(request.user, thread_id)
    form, status, sent = threads.message_form(
        request, membership, _user(request), from_counselor=False
    )
    if sent:
        return redirect("escrow:thread", membership.id)
    shown = threads.shown(membership, counselor_side=False)
    config = {
        "thread_id": str(membership.id),
        # How many she has sent: words kept before a send are forgotten once it went.
        "messages_sent": sum(1 for m in shown if m["mine"]),
    }
    context = {
        "membership": membership,
        "decision": decision_line(membership),
        "group_state": STATE_WORDS[membership.group.state],
        "messages_shown": shown,
        "form": form,
        "script_config": config,
        "page_script": "js/escrow/thread.js",
        "own_idle_clock": True,  # thread.js runs it, to lock her unsent words (escrow/_page.html)
        "script_optional": True,  # the form works without it; the script keeps unsent words
    }
    return _page(request, "escrow/thread.html", context, status=status)


def decision_line(membership: Membership) -> str:
    """What her counselor recorded about her, and on which day, in the words her copy uses
    too (js/escrow/copy.js): it is recorded about her, so her thread page says it."""
    words = DECISION_WORDS[membership.decision]
    if membership.decided_at is None:
        return str(words)
    day = date_format(timezone.localtime(membership.decided_at), "DATE_FORMAT")
    return _("On {date}: {decision}").format(date=day, decision=words)
