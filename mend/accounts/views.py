"""Survivor account pages. The work happens in the browser (static/js/accounts/), which
derives every key and talks to mend.accounts.api; these views only serve the pages."""

from __future__ import annotations

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import csrf_exempt, ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_POST

from mend.accounts.pages import render_survivor_page
from mend.accounts.roles import is_responsible
from mend.accounts.security import (
    WASM_CSP,
    is_same_origin_request,
    key_holder_script_page,
    not_for_staff,
)
from mend.lib.runtime import page_strings


@require_GET
@csp_override(WASM_CSP)
@ensure_csrf_cookie
@not_for_staff
def sign_up(request: HttpRequest) -> HttpResponse:
    return render_survivor_page(request, "accounts/signup.html", "accounts/signup.js")


@require_GET
@csp_override(WASM_CSP)
@ensure_csrf_cookie
@not_for_staff
def log_in(request: HttpRequest) -> HttpResponse:
    timed_out = request.GET.get("timeout") == "1"
    return render_survivor_page(
        request, "accounts/login.html", "accounts/login.js", context={"timed_out": timed_out}
    )


@require_GET
@csp_override(WASM_CSP)
@ensure_csrf_cookie
@not_for_staff
def recover(request: HttpRequest) -> HttpResponse:
    return render_survivor_page(request, "accounts/recover.html", "accounts/recover.js")


@key_holder_script_page
def change_passphrase(request: HttpRequest) -> HttpResponse:
    return render_survivor_page(request, "accounts/passphrase.html", "accounts/passphrase.js")


@key_holder_script_page
def delete_account(request: HttpRequest) -> HttpResponse:
    return render_survivor_page(request, "accounts/delete.html", "accounts/delete.js")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Where signing in (or recovering) lands when no page asked for it: a survivor's
    records; a dialogue's responsible person's case, the only part of Mend he has."""
    if is_responsible(request.user):
        return redirect("dialogue:responsible_home")
    return redirect("vault:list")


@require_POST
def log_out(request: HttpRequest) -> HttpResponse:
    """End the session. The page has wiped the keys in the browser before posting here."""
    logout(request)
    return redirect("accounts:signed_out")


# A beacon cannot carry the X-CSRFToken header, and public pages hold no token (the CSRF
# cookie is HttpOnly), so Django's token check is replaced here by a same-origin check on
# the browser's own headers. What a forged request could do is log someone out: nothing
# else happens here (docs/adr/0008-quick-exit-session.md).
@csrf_exempt
@require_POST
def end_session_on_exit(request: HttpRequest) -> HttpResponse:
    """The quick exit's beacon: ends the session on the server, whoever is signed in.

    Guarantees: POST only; refused (403, session kept) unless the browser says the request
    comes from one of our pages; nothing is logged or audited, so pressing the exit leaves
    no record of its own. The browser has already wiped its keys and left the page.
    """
    if not is_same_origin_request(request):
        return HttpResponseForbidden()
    logout(request)
    return HttpResponse(status=204)


@require_GET
def signed_out(request: HttpRequest) -> HttpResponse:
    """Also wipes any key left in this tab (its script runs the same wipe as quick exit)."""
    deleted = request.GET.get("deleted") == "1"
    context = {"deleted": deleted, "mend_strings": page_strings({})}
    return render(request, "accounts/signed_out.html", context)
