"""What she types in a form that a page script answers never leaves the browser before the
script runs: libsodium still loading on a slow phone, or failed to load. Before
js/lib/hold-forms.js, pressing Enter sent the form as a GET, with her passphrase or her
record's words in the URL, the server's access log and the browser's history (found by an
attacker-minded review, session 22). Here libsodium never arrives, so the page's own
script never runs, and every request the tab makes is recorded."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Request
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import PASSPHRASE, Signed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = "He grabbed me in the stairwell"


def without_its_script(page: Page) -> list[Request]:
    """Every request the tab makes from now on; libsodium's files are refused."""
    sent: list[Request] = []
    page.on("request", lambda request: sent.append(request))
    page.route("**/vendor/libsodium/**", lambda route: route.abort())
    return sent


def carried(sent: list[Request], text: str) -> list[str]:
    """The requests whose URL or body carry ``text`` (as typed, or form-encoded)."""
    forms = (text, text.replace(" ", "+"), text.replace(" ", "%20"))
    return [
        f"{r.method} {r.url}"
        for r in sent
        if any(f in r.url or f in (r.post_data or "") for f in forms)
    ]


def test_the_log_in_form_sends_nothing_before_its_script_runs(
    page: Page, live_server: LiveServer
) -> None:
    sent = without_its_script(page)
    page.goto(f"{live_server.url}/account/login/")
    page.fill("#username", "alice")
    page.fill("#passphrase", PASSPHRASE)
    page.press("#passphrase", "Enter")
    page.click("[data-qa=login-form] button[type=submit]")
    page.wait_for_timeout(300)  # a navigation, had one started, would have by now
    assert page.url == f"{live_server.url}/account/login/"
    assert carried(sent, PASSPHRASE) == []
    assert page.input_value("#passphrase") == PASSPHRASE  # nothing lost either


def test_the_record_form_sends_none_of_her_words_before_its_script_runs(
    page: Page, live_server: LiveServer, signed_in: Signed
) -> None:
    sent = without_its_script(page)
    page.goto(f"{live_server.url}/record/new/")
    page.fill("#field-what", WORDS)
    page.press("#field-title", "Enter")
    page.click("[data-qa=save]")
    page.wait_for_timeout(300)
    assert page.url == f"{live_server.url}/record/new/"
    assert carried(sent, WORDS) == []
    assert page.input_value("#field-what") == WORDS
