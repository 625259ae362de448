"""Playwright end-to-end tests against a live Django server, in Debian's Chromium.

Playwright cannot download its own browser here, so we launch /usr/bin/chromium. The
quick-exit destinations are other origins: requests to them are answered locally by
route interception, so no test ever leaves this machine.
"""

from __future__ import annotations

import functools
import json
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from pytest_django.live_server_helper import LiveServer

from mend.accounts import actions as account_actions
from mend.accounts.models import User
from mend.escrow import testing as escrow_testing
from mend.escrow.models import MatchGroup
from mend.vault import actions as vault_actions
from mend.vault.testing import Draft, Survivor, recovery_auth

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
PASSPHRASE = f"river window {uuid.uuid4().hex[:8]} kettle"  # survivors' (test_vault's)
SLOW = 60_000  # ms: Argon2id at production cost, in a test machine's browser
WIDTHS = {"desktop": 1280, "phone": 390}


# The files with the longest tests (half a minute to a minute each) run first, so that no
# worker is left with one of them while the others have finished (make test-browser). Not
# the journeys: a worker's first search is slow (26 s of its 30 s click time-out on a busy
# machine) and, moved first, it fell in their walk; it stays in test_directory as before.
LONG_FIRST = ("test_dialogue_walk.py", "test_escrow.py", "test_training.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONG_FIRST.index(name) if name in LONG_FIRST else len(LONG_FIRST)

    items.sort(key=rank)  # stable: the order within a file stays as written


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On SQLite, each worker's test database is a file of its own, not the shared-cache
    in-memory database: there the live server's thread and the test's share one cache and
    its table locks, and a read met a write with "database table is locked" on a busy
    machine. A file in WAL mode lets a reader go on while the other thread writes."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = tmp_path_factory.mktemp("database") / "browser.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)


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


@functools.cache
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Page, context: BrowserContext | None = None) -> list[dict[str, Any]]:
    """Run axe-core (from npm) for WCAG 2.0-2.2 A and AA; return the violations.

    axe is evaluated as a function body through the DevTools protocol, which a page's
    CSP does not govern, so the page under test keeps its strict policy. It runs from the
    top of the page: axe places the sticky quick-exit bar as if it were in the flow
    (axe-core#3720), so a link scrolled half under the bar would read as a tiny target.
    """
    page.evaluate("window.scrollTo(0, 0)")
    # The trailing 0 is the script's value: without it the value was axe itself, which
    # Playwright serialised and sent back each time (seconds per call, most of the sweep).
    page.evaluate(axe_source() + "\n;window.__axe = axe; 0")
    result = page.evaluate(
        """async () => (await window.__axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa',
                 'best-practice']}})).violations"""
    )
    return list(result)


def wait_until_signed_out(page: Page, session_key: str | None = None) -> None:
    """After a quick exit, wait (up to 5 s) for its beacon to end the session (this one, or
    every one). Playwright does not report a beacon sent by a page that is leaving, so the
    wait watches the session table; the test then checks what the server says."""
    sessions = Session.objects.all()
    if session_key is not None:
        sessions = sessions.filter(session_key=session_key)
    wait_until(page, lambda: not sessions.exists())


def wait_until(page: Page, done: Callable[[], bool]) -> None:
    """Wait up to 5 s for ``done()``, letting Playwright deliver the browser's events
    meanwhile (route handlers, for one, run in this process while it waits on the
    browser); the test then checks what it needs."""
    for _ in range(100):
        if done():
            return
        page.wait_for_timeout(50)


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


# --- walking a journey: her language, her screen's width, nothing from elsewhere ---------


@contextmanager
def walking(browser: Browser, base: str, lang: str, width: int) -> Iterator[Page]:
    """A tab in a fresh context as a person in ``lang`` ("en" or "es") with a screen
    ``width`` px wide. On leaving: no request went to another origin, no page error."""
    context = browser.new_context(
        locale="es-ES" if lang == "es" else "en-US", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    elsewhere: list[str] = []
    errors: list[str] = []
    context.on(
        "request", lambda r: None if r.url.startswith(base + "/") else elsewhere.append(r.url)
    )
    context.on("weberror", lambda error: errors.append(str(error.error)))
    yield page
    context.close()
    assert elsewhere == [], f"requests to another origin: {elsewhere}"
    assert errors == [], f"the pages reported errors: {errors}"


def check_page(page: Page) -> None:
    """No axe violation (best practice included) and nothing wider than the screen (a
    phone must never scroll sideways to read a line)."""
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {describe(violations)}"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow} px wider than the screen"


def check_survivor_page(page: Page) -> None:
    """``check_page``, and the quick exit is the first thing the keyboard reaches."""
    first = page.locator("a, button, input, select, textarea").first
    assert first.get_attribute("data-qa") == "quick-exit", f"{page.url}: no quick exit first"
    check_page(page)


# --- survivors -------------------------------------------------------------------------


def sign_up(
    page: Page, base: str, username: str, check_each: Callable[[Page], None] | None = None
) -> list[str]:
    """She signs up in the browser (Argon2id at production cost) and confirms she wrote
    the recovery words down; returns the words. ``check_each`` runs on the form and on
    the words."""
    page.goto(base + "/account/signup/")
    if check_each:
        check_each(page)  # the sign-up form, before she types
    page.fill("#username", username)
    page.fill("#passphrase", PASSPHRASE)
    page.fill("#passphrase2", PASSPHRASE)
    page.click("[data-qa=signup]")
    page.wait_for_selector("[data-qa=recovery]:not([hidden])", timeout=SLOW)
    if check_each:
        check_each(page)
    words = page.locator("[data-qa=recovery-words] li").all_inner_texts()
    page.check("[data-qa=recovery-saved]")
    page.click("[data-qa=recovery-continue]")
    page.wait_for_selector("[data-qa=record-list][data-state=ready]", state="attached")
    return words


@dataclass
class Signed:
    survivor: Survivor
    user: User
    record: Draft


def sign_in_survivor(
    context: BrowserContext, page: Page, base: str, survivor: Survivor | None = None
) -> Signed:
    """A survivor made in Python with one record, signed in to this tab (cookie and
    vault key): faster than the sign-up, which test_vault walks."""
    survivor = survivor or Survivor(f"sam{uuid.uuid4().hex[:6]}", PASSPHRASE)
    user = account_actions.do_sign_up_survivor(
        survivor.username,
        survivor.vault_id,
        account_actions.VaultKeyMaterial(
            survivor.keys.auth_key, survivor.params, survivor.wrapped_vk()
        ),
        account_actions.RecoveryMaterial(
            recovery_auth(survivor.recovery_key), survivor.recovery_wrapped_vk()
        ),
    )
    draft = Draft(vk=survivor.vk)
    sealed = draft.seal(
        {"v": 1, "fields": {"title": "A record", "what": "words"}, "attachments": []}, 1
    )
    vault_actions.do_save_version(
        user, draft.id, vault_actions.NewVersion(1, sealed, draft.wrapped_key())
    )
    draft.version = 1
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
    page.goto(base + "/safety/")
    stored = json.dumps({"vaultId": str(survivor.vault_id), "vk": survivor.vk.hex()})
    page.evaluate("v => sessionStorage.setItem('mend-vault-key', v)", stored)
    return Signed(survivor, user, draft)


@pytest.fixture
def signed_in(context: BrowserContext, page: Page, live_server: LiveServer) -> Signed:
    """A survivor with one record, signed in to this browser tab (cookie and vault key)."""
    return sign_in_survivor(context, page, live_server.url)


# --- Find others, safely ----------------------------------------------------------------


def submit_with_python(user: User, identifiers: list[str], canary: str) -> str:
    """An entry made with the Python twin of the browser (mend.escrow.testing)."""
    client = Client()
    client.force_login(user)
    response = escrow_testing.SurvivorBrowser(client).submit(identifiers, {"what": canary})
    assert response.status_code == 201, response.content
    return str(response.json()["id"])


def open_group_in_browser(page: Page, base: str, group: MatchGroup, passphrase: str) -> None:
    """The counselor opens a match group with her key's passphrase, in her browser."""
    page.goto(f"{base}/counselor/groups/{group.id}/")
    page.fill("#open-passphrase", passphrase)
    page.click("[data-qa=open]")
    page.wait_for_selector("[data-qa=entries][data-state=opened]", state="attached", timeout=SLOW)
