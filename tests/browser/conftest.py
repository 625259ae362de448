"""Playwright end-to-end tests against a live Django server, in Debian's Chromium.

Playwright cannot download its own browser here, so we launch /usr/bin/chromium. The
quick-exit destinations are other origins: requests to them are answered locally by
route interception, so no test ever leaves this machine.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("MEND_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NEUTRAL_PAGE = "<!doctype html><html lang='en'><title>Weather</title><h1>Weather</h1></html>"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="en-US")
    # Anything not on our live server is answered with a neutral page, never fetched.
    context.route(
        lambda url: not url.startswith("http://localhost") and not url.startswith("http://127."),
        lambda route: route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE),
    )
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and "CSP" in m.text else None,
    )
    yield page
    assert errors == [], f"the page reported errors: {errors}"


def axe_violations(page: Page, context: BrowserContext | None = None) -> list[dict[str, Any]]:
    """Run axe-core (from npm) for WCAG 2.0-2.2 A and AA; return the violations.

    axe is evaluated as a function body through the DevTools protocol, which a page's
    CSP does not govern, so the page under test keeps its strict policy.
    """
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;window.__axe = axe;")
    result = page.evaluate(
        """async () => (await window.__axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa',
                 'best-practice']}})).violations"""
    )
    return list(result)


def describe(violations: list[dict[str, Any]]) -> str:
    return json.dumps(
        [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in violations],
        indent=1,
    )


def current_code(device: TOTPDevice) -> str:
    """The one-time code the staff member's authenticator app shows now."""
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"


def fill_staff_login(page: Page, base: str, username: str, passphrase: str, code: str) -> None:
    """A staff member signs in to the admin through its form, as a person does."""
    page.goto(base + "/staff/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", passphrase)
    page.fill("#id_otp_token", code)
    page.click("input[type=submit]")
