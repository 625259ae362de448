"""After signing in, the page follows `next` only to a path on this site (issue 9, item 4).

`next=/%5Cevil.example/` and `next=/%09/evil.example/` once sent the survivor to another
site (a browser reads "/\\evil" and "/<tab>/evil" as "//evil"). Now they land on her records.
"""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from mend.accounts import actions as account_actions
from mend.vault.testing import Survivor, recovery_auth

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSPHRASE = f"harbour lantern {uuid.uuid4().hex[:8]} meadow"
SLOW = 60_000  # ms: Argon2id at production cost, in a test machine's browser


@pytest.fixture
def survivor() -> Survivor:
    sam = Survivor(f"sam{uuid.uuid4().hex[:6]}", PASSPHRASE)
    account_actions.do_sign_up_survivor(
        sam.username,
        sam.vault_id,
        account_actions.VaultKeyMaterial(sam.keys.auth_key, sam.params, sam.wrapped_vk()),
        account_actions.RecoveryMaterial(
            recovery_auth(sam.recovery_key), sam.recovery_wrapped_vk()
        ),
    )
    return sam


def log_in_with(page: Page, base: str, sam: Survivor, query: str) -> None:
    page.goto(f"{base}/account/login/{query}")
    page.fill("#username", sam.username)
    page.fill("#passphrase", PASSPHRASE)
    page.click("[data-qa=login]")


@pytest.mark.parametrize("query", ["?next=/%5Cevil.example/", "?next=/%09/evil.example/"])
def test_it_stays_on_this_site_whatever_next_says(
    page: Page, live_server: LiveServer, survivor: Survivor, query: str
) -> None:
    page.route("**://evil.example/**", lambda route: route.abort())  # never leave the machine
    log_in_with(page, live_server.url, survivor, query)
    page.wait_for_selector(
        "[data-qa=record-list][data-state=ready]", state="attached", timeout=SLOW
    )
    assert page.url == f"{live_server.url}/record/"


def test_it_follows_next_to_a_page_of_this_site(
    page: Page, live_server: LiveServer, survivor: Survivor
) -> None:
    log_in_with(page, live_server.url, survivor, "?next=/record/new/")
    page.wait_for_url(f"{live_server.url}/record/new/", timeout=SLOW)
