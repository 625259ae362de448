"""The doors of signed-in pages and API routes, in one place for every app.

Who someone is comes from ``mend.accounts.roles``; here are the decorators of pages
(``survivor_page``: signed out → sign in, anyone else → 404) and the ninja auth classes of
the JSON API (``SurvivorSession``, ``CounselorSession``, ``IdleClockSession``: signed out
→ 401 ``signed_out``, which the page runtime turns into "sign in again"; signed in but
not allowed → 404), and the idle clock they restart.

Staff roles (counselor, facilitator, editor, admin) are never survivors here: every vault,
escrow and survivor-account URL answers them 404, as it answers anyone who is not the owner.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET
from ninja.security import APIKeyCookie

from mend.accounts.models import User
from mend.accounts.roles import (
    holds_browser_keys,
    holds_staff_key,
    is_counselor,
    is_other_account,
    is_survivor,
    runs_idle_clock,
)
from mend.lib import refusal

TOUCHED = "mend_vault_touched"

# Pages that run libsodium's WebAssembly: the site's policy plus 'wasm-unsafe-eval'
# (never 'unsafe-eval'). Applied with django.views.decorators.csp.csp_override.
_SITE_CSP = cast(dict[str, list[str]], settings.SECURE_CSP)
WASM_CSP: dict[str, list[str]] = {
    **_SITE_CSP,
    "script-src": [*_SITE_CSP["script-src"], CSP.WASM_UNSAFE_EVAL],
}


def auth_user(request: HttpRequest) -> User:
    """The user a ninja auth class (SurvivorSession) put on the request."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise Http404
    return user


def idle_throttle_seconds() -> int:
    """How stale the stored idle clock may be before a request rewrites it."""
    return min(60, int(settings.VAULT_IDLE_SECONDS) // 4)


def keep_alive(request: HttpRequest) -> None:
    """Restart the idle clock: the session ends after VAULT_IDLE_SECONDS without a request.

    The session is rewritten at most every quarter of the idle time (and at most once a
    minute), not on every request: a save then costs no extra write.
    """
    idle = int(settings.VAULT_IDLE_SECONDS)
    now = int(time.time())
    if now - int(request.session.get(TOUCHED, 0)) >= idle_throttle_seconds():
        request.session[TOUCHED] = now
        request.session.set_expiry(idle)


def session_seconds_left(request: HttpRequest) -> int:
    """Seconds until the server ends this session for inactivity (after ``keep_alive``).

    The page's idle warning counts down to the earlier of this and its own idle clock, so
    it never promises time that the server has already taken away (the stored clock can
    be up to ``idle_throttle_seconds()`` old).
    """
    idle = int(settings.VAULT_IDLE_SECONDS)
    touched = int(request.session.get(TOUCHED, 0))
    if not touched:
        return idle
    return max(0, min(idle, touched + idle - int(time.time())))


def is_same_origin_request(request: HttpRequest) -> bool:
    """True when the browser says this request comes from one of our own pages.

    Fetch metadata (``Sec-Fetch-Site``, sent by every current browser) is trusted first;
    without it, the ``Origin`` header must name this site. A request carrying neither is
    refused: every browser that can send a beacon sends at least one of them.
    """
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("Origin")
    return origin is not None and origin == f"{request.scheme}://{request.get_host()}"


def page_for(
    allows: Callable[[object], bool],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A page for whom ``allows`` admits: signed out → sign in first; anyone else → 404;
    restarts the idle clock."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allows(request.user):
                raise Http404
            keep_alive(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


#: A page for the signed-in survivor: others sign in first; staff get 404.
survivor_page = page_for(is_survivor)

#: A page of the account itself (passphrase, deletion) for whoever holds browser-made keys:
#: a survivor, or a dialogue's responsible person (mend.accounts.roles.holds_browser_keys).
key_holder_page = page_for(holds_browser_keys)


def survivor_script_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page (GET) for the signed-in survivor whose script runs libsodium's WebAssembly:
    ``survivor_page`` with the CSP that allows it."""
    return require_GET(csp_override(WASM_CSP)(survivor_page(view)))


def key_holder_script_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``survivor_script_page`` for any holder of browser-made keys (``key_holder_page``)."""
    return require_GET(csp_override(WASM_CSP)(key_holder_page(view)))


def not_for_staff(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A survivor page that needs no session (sign up, log in, recovery): staff get 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if is_other_account(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


class SignedInSession(APIKeyCookie):
    """ninja auth: the signed-in person that ``allows`` admits, after Django's CSRF check;
    restarts her idle clock. Signed out (or timed out): Refusal 401 ``signed_out``, so the
    page asks her to sign in again. Anyone else: 404, like every other such URL."""

    param_name = settings.SESSION_COOKIE_NAME

    @staticmethod
    def allows(user: object) -> bool:
        raise NotImplementedError

    def authenticate(self, request: HttpRequest, key: str | None) -> User:
        if not request.user.is_authenticated:
            raise refusal.signed_out()
        if not self.allows(request.user):
            raise Http404
        keep_alive(request)
        assert isinstance(request.user, User)
        return request.user


class SurvivorSession(SignedInSession):
    """The signed-in survivor: every vault, escrow and survivor-account endpoint."""

    allows = staticmethod(is_survivor)


class KeyHolderSession(SignedInSession):
    """A survivor or a responsible person: the account's own passphrase and deletion."""

    allows = staticmethod(holds_browser_keys)


class CounselorSession(SignedInSession):
    """A counselor signed in with her second factor: the counselor workspace's endpoints."""

    allows = staticmethod(is_counselor)


class StaffKeySession(SignedInSession):
    """A counselor or a facilitator, second factor done: her own staff key (make, unlock)."""

    allows = staticmethod(holds_staff_key)


class IdleClockSession(SignedInSession):
    """The idle clock's ping (``/accounts/alive``): a survivor, a responsible person or a
    counselor."""

    allows = staticmethod(runs_idle_clock)


class CsrfOnly(APIKeyCookie):
    """ninja auth for signed-out endpoints (log in, sign up): no user, but the CSRF check.

    ninja exempts its views from Django's CSRF middleware and checks CSRF only in
    cookie-based auth classes; this one makes log-in CSRF (signing someone into an
    attacker's account) impossible too.
    """

    param_name = settings.CSRF_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return True  # APIKeyCookie has already refused a request without a valid CSRF token
