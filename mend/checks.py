"""System checks that refuse insecure production settings (ARCHITECTURE 1.6).

They run with ``manage.py check --deploy`` and at every production start-up
(mend/wsgi.py), so a misconfigured server does not serve a single request.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from mend.directory import hotlines
from mend.lib.env import hex_key

DEV_KEY_PREFIX = "dev-only-"


@register(Tags.security, deploy=True)
def check_production_settings(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[Error]:
    if not settings.PRODUCTION:
        return []
    errors: list[Error] = []

    def refuse(ok: bool, message: str, code: str) -> None:
        if not ok:
            errors.append(Error(message, id=f"mend.E{code}"))

    refuse(not settings.DEBUG, "DEBUG must be off in production.", "001")
    refuse(
        not settings.SECRET_KEY.startswith(DEV_KEY_PREFIX) and len(settings.SECRET_KEY) >= 50,
        "SECRET_KEY must be a long random value (50+ characters), not the development key.",
        "002",
    )
    refuse(bool(settings.ALLOWED_HOSTS), "ALLOWED_HOSTS must name this site's hosts.", "003")
    refuse("*" not in settings.ALLOWED_HOSTS, "ALLOWED_HOSTS must not contain '*'.", "004")
    refuse(settings.SESSION_COOKIE_SECURE, "SESSION_COOKIE_SECURE must be on.", "005")
    refuse(settings.CSRF_COOKIE_SECURE, "CSRF_COOKIE_SECURE must be on.", "006")
    refuse(settings.SECURE_HSTS_SECONDS >= 31536000, "HSTS must last at least a year.", "007")
    script_src = [str(s) for s in settings.SECURE_CSP.get("script-src", [])]  # type: ignore[attr-defined]
    refuse(
        bool(script_src) and not any("unsafe" in s for s in script_src),
        "The Content Security Policy must not allow unsafe scripts in production.",
        "008",
    )
    return errors


@register(Tags.security, deploy=True)
def check_escrow_settings(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[Error]:
    """Escrow (docs/escrow.md): a real OPRF seed and server key in production; t >= 2 always."""
    from mend.escrow.keys import secret_problems

    errors = [Error(m, id="mend.E050") for m in secret_problems(production=settings.PRODUCTION)]
    if settings.ESCROW_THRESHOLD < 2:
        errors.append(Error("ESCROW_THRESHOLD must be 2 or more.", id="mend.E051"))
    return errors


@register(Tags.security, deploy=True)
def check_receipt_signing_key(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[Error]:
    """Production signs vault receipts with its own secret key, never the development one."""
    return signing_key_errors("RECEIPT_SIGNING_KEY", settings.DEV_RECEIPT_SIGNING_KEY, "02")


@register(Tags.security, deploy=True)
def check_certificate_signing_key(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[Error]:
    """Production signs training certificates with its own secret key, never the development
    one (with a key written in the source, anyone could forge a certificate)."""
    return signing_key_errors("CERTIFICATE_SIGNING_KEY", settings.DEV_CERTIFICATE_SIGNING_KEY, "07")


def signing_key_errors(name: str, development: str, code: str) -> list[Error]:
    """An Ed25519 seed setting: 64 hex characters, and not the development value
    (errors mend.E<code>0 and mend.E<code>1)."""
    if not settings.PRODUCTION:
        return []
    key = str(getattr(settings, name, ""))
    try:
        hex_key(name, key)
    except ImproperlyConfigured as error:
        return [Error(f"{error}.", id=f"mend.E{code}0")]
    if key.strip().lower() == development:
        return [Error(f"{name} must not be the development key.", id=f"mend.E{code}1")]
    return []


@register(deploy=True)
def check_hotlines(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[Error]:
    """The help lines every page offers must load: a broken HOTLINES_FILE would otherwise
    fail the first page that shows them."""
    try:
        hotlines.for_country()
    except (OSError, ValueError) as error:
        return [Error(f"HOTLINES_FILE: {error}", id="mend.E060")]
    return []


@register(deploy=True)
def check_search_file_dir(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[Error]:
    """Every web server maps the search copy from a folder of its own disk (ADR 0018):
    production must name it, as an absolute path, so that no process writes it into
    whatever folder it was started from."""
    folder = settings.SEARCH_FILE_DIR
    if not folder:
        return [Error("SEARCH_FILE_DIR must name a folder for the search file.", id="mend.E070")]
    if not os.path.isabs(folder):
        return [Error("SEARCH_FILE_DIR must be an absolute path.", id="mend.E071")]
    return []
