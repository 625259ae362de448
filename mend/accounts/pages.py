"""Rendering survivor pages: the crypto modules need a little configuration and words.

Keys live in the browser, so these pages are mostly JavaScript over server-rendered HTML.
What the scripts need (idle time-out, limits, URLs, translated messages) reaches them
through json_script, never inline code (STYLE: CSP with nonces, no inline handlers).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language

from mend.accounts.roles import holds_browser_keys, is_responsible, is_survivor
from mend.accounts.security import session_seconds_left
from mend.accounts.strings import messages
from mend.lib.runtime import page_strings


def page_config(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    """The "mend-config" of a page: the runtime's settings and URLs, and the page's own
    (`extra`; its "urls" are added to the default ones, replacing those of the same name:
    the counselor pages' "login" is the counselor sign-in, where a 401 sends her)."""
    urls = {
        "login": reverse("accounts:login"),
        "home": reverse("accounts:home"),
        "logout": reverse("accounts:logout"),
        "signed_out": reverse("accounts:signed_out"),
        "records": reverse("vault:list"),
        "new_record": reverse("vault:new"),
        "record": reverse("vault:list") + "{id}/",
        **extra.pop("urls", {}),
    }
    return {
        "language": get_language(),
        "idle_seconds": settings.VAULT_IDLE_SECONDS,
        "idle_warning_seconds": settings.VAULT_IDLE_WARNING_SECONDS,
        "session_seconds_left": session_seconds_left(request),
        "max_attachment_bytes": settings.VAULT_MAX_ATTACHMENT_BYTES,
        "max_attachments_per_save": settings.VAULT_MAX_ATTACHMENTS_PER_SAVE,
        "api": "/api/v1/",
        # Her (his) own username, which the account pages derive keys with; never anyone else's.
        "username": request.user.get_username() if holds_browser_keys(request.user) else "",
        "urls": urls,
        **extra,
    }


def account_kind(user: object) -> str:
    """Which account bar and idle clock a page of browser-made keys shows: "survivor",
    "responsible" (a dialogue's responsible person: his case, his account, nothing else)
    or "" (signed out)."""
    if is_survivor(user):
        return "survivor"
    return "responsible" if is_responsible(user) else ""


def render_survivor_page(
    request: HttpRequest,
    template: str,
    script: str,
    *,
    strings: dict[str, Promise] | None = None,
    config: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """A page whose module `script` (under static/js/) does the work in the browser."""
    full_context = {
        "page_script": f"js/{script}",
        "mend_config": page_config(request, **(config or {})),
        "mend_strings": page_strings({**messages(), **(strings or {})}),
        "account_kind": account_kind(request.user),
        **(context or {}),
    }
    return render(request, template, full_context)
