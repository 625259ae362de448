"""Find others, safely keeps her unsaved words through the idle sign-out, in Chromium.

What she typed in an entry (the identifiers of the person she names, what happened, how to
reach her) or in a message to her counselor, and did not save or send, is locked with her
vault key into the browser tab when the idle clock signs her out (static/js/escrow/entry.js
and thread.js, through lib/draft.js), and comes back in the same page after she logs in
again with her passphrase, as the record form's words do (test_vault.py). A draft for one
entry never lands in another's form or in a new entry's. After each step the whole database
and every request body the browser sent are searched for what she typed: nothing of a
draft ever leaves the tab. The page's clock is installed and run forward, never waited for.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from mend.accounts.models import Role, User
from mend.escrow import testing
from mend.escrow.models import Entry, EntryTag, Membership, Message
from tests.browser.conftest import (
    PASSPHRASE,
    SLOW,
    Signed,
    check_survivor_page,
    submit_with_python,
)
from tests.browser.leaks import Wire, assert_not_leaked, encodings
from tests.browser.test_escrow import Tab, register_key_like_the_browser, write_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RUN = uuid.uuid4().hex[:8]
IDLE = 600  # seconds; the page warns VAULT_IDLE_WARNING_SECONDS (120) before the end
ENTRY_SLOT = "mend-vault-draft:escrow-entry"
MESSAGE_SLOT = "mend-vault-draft:escrow-message"
# What she types and does not save: each must come back, and none may reach the server.
EMAIL_TYPED = f"Robin.Vale.{RUN}@Example.COM"
EMAIL = f"email:robin.vale.{RUN}@example.com"
HANDLE = f"rv_{RUN}"
PROFILE_TYPED = f"https://www.instagram.com/{HANDLE}/"
PROFILE = f"social:instagram:{HANDLE}"
LABEL = f"CANARY-label-{RUN}"
WHAT = f"CANARY-what-happened-at-the-party-{RUN}"
DETAIL = f"CANARY-reach-me-at-work-{RUN}"
EDITED = f"CANARY-what-she-added-later-{RUN}"
SAVED_WHAT = f"CANARY-what-she-saved-{RUN}"
TO_COUNSELOR = f"CANARY-she-had-not-sent-this-{RUN}"
SECRETS = [EMAIL_TYPED, EMAIL, HANDLE, PROFILE_TYPED, PROFILE, LABEL, WHAT, DETAIL]


# --- what she does -----------------------------------------------------------------------------


def recorded(context: BrowserContext) -> Wire:
    """Every request her browser sends from now on."""
    wire = Wire()
    context.on("request", wire.record)
    return wire


def open_for_entries() -> None:
    """A counselor key that entries can be sealed to, as on a running deployment."""
    carol = User.objects.create_user(
        username=f"carol{RUN}", password="unused-in-these-tests", role=Role.COUNSELOR
    )
    register_key_like_the_browser(carol)


def open_form(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#entry-form:not([hidden])", timeout=SLOW)


def signed_out_for_idleness(page: Page, path: str) -> None:
    """She walks away: the page's clock runs past the idle time, no warning answered."""
    page.clock.fast_forward((IDLE + 1) * 1000)
    page.wait_for_url(f"**/account/login/?timeout=1&next={quote(path, safe='')}", timeout=SLOW)
    assert page.evaluate("sessionStorage.getItem('mend-vault-key')") is None
    expect(page.locator("[data-qa=draft-kept]")).to_be_visible()


def log_in_again(page: Page, username: str) -> None:
    page.fill("#username", username)
    page.fill("#passphrase", PASSPHRASE)
    page.click("[data-qa=login]")


def kept(page: Page, slot: str) -> Any:
    return page.evaluate("slot => sessionStorage.getItem(slot)", slot)


def assert_locked(page: Page, slot: str, secrets: list[str]) -> None:
    """The slot holds a draft, and none of her words in any form a leak could take."""
    stored = kept(page, slot)
    assert stored is not None
    for secret in secrets:
        for form in encodings(secret):
            assert form.decode("latin-1") not in stored, secret


def saved_entry(context: BrowserContext, page: Page, base: str, signed_in: Signed) -> Entry:
    """Her verified account with one entry saved through the page, as the edits start."""
    open_for_entries()
    testing.verify(signed_in.user)
    write_entry(Tab(context, page, []), base, [("email", EMAIL_TYPED, "")], SAVED_WHAT)
    return Entry.objects.get(owner=signed_in.user)


def identifier(page: Page, n: int, name: str) -> str:
    return page.locator("[data-qa=identifier]").nth(n).locator(f"[data-field={name}]").input_value()


# --- the tests --------------------------------------------------------------------------------


def test_a_new_entrys_words_come_back_after_the_idle_sign_out_and_go_in_when_she_confirms(
    context: BrowserContext, page: Page, live_server: LiveServer, signed_in: Signed, settings: Any
) -> None:
    settings.VAULT_IDLE_SECONDS = IDLE
    base = live_server.url
    wire = recorded(context)
    open_for_entries()
    testing.verify(signed_in.user)
    page.clock.install()
    open_form(page, base + "/find-others/new/")
    page.locator("[data-qa=identifier] [data-field=value]").fill(EMAIL_TYPED)
    page.click("[data-qa=add-identifier]")
    second = page.locator("[data-qa=identifier]").nth(1)
    second.locator("[data-field=kind]").select_option("social")
    second.locator("[data-field=value]").fill(PROFILE_TYPED)
    page.fill("#entry-label", LABEL)
    page.fill("#entry-what", WHAT)
    page.check("#contact-email")
    page.fill("#contact-detail", DETAIL)

    signed_out_for_idleness(page, "/find-others/new/")
    assert_locked(page, ENTRY_SLOT, SECRETS)
    assert not Entry.objects.exists()
    assert_not_leaked(wire, SECRETS, "the idle sign-out on her new entry")

    log_in_again(page, signed_in.survivor.username)
    page.wait_for_url(base + "/find-others/new/", timeout=SLOW)
    page.wait_for_selector("#entry-form:not([hidden])", timeout=SLOW)
    assert identifier(page, 0, "value") == EMAIL_TYPED
    assert identifier(page, 1, "kind") == "social"
    assert identifier(page, 1, "value") == PROFILE_TYPED
    assert page.input_value("#entry-label") == LABEL
    assert page.input_value("#entry-what") == WHAT
    assert page.is_checked("#contact-email")
    assert page.input_value("#contact-detail") == DETAIL
    expect(page.locator("[data-qa=status]")).to_have_text(
        "What you typed before you were signed out is back in the form. It is not saved yet: "
        "press Continue when you want to check it and save it."
    )
    assert not Entry.objects.exists()  # back in the form, not put in
    check_survivor_page(page)

    page.click("[data-qa=review]")
    page.check("[data-qa=understood]")
    page.click("[data-qa=confirm]")
    page.wait_for_url("**/find-others/?saved=1", timeout=SLOW)
    entry = Entry.objects.get(owner=signed_in.user)
    assert EntryTag.objects.filter(entry=entry).count() == 2
    assert kept(page, ENTRY_SLOT) is None
    assert_not_leaked(wire, SECRETS, "her entry put in from the words brought back")


def test_an_edits_unsaved_words_never_land_in_a_new_entry_and_come_back_in_that_entry(
    context: BrowserContext, page: Page, live_server: LiveServer, signed_in: Signed, settings: Any
) -> None:
    settings.VAULT_IDLE_SECONDS = IDLE
    base = live_server.url
    wire = recorded(context)
    entry = saved_entry(context, page, base, signed_in)
    path = f"/es/find-others/entries/{entry.id}/"
    page.clock.install()
    open_form(page, base + path)
    assert page.input_value("#entry-what") == SAVED_WHAT
    page.fill("#entry-what", EDITED)

    signed_out_for_idleness(page, path)
    assert_locked(page, ENTRY_SLOT, [EDITED, SAVED_WHAT, EMAIL_TYPED, EMAIL])
    assert_not_leaked(wire, [EDITED, EMAIL_TYPED, EMAIL], "the idle sign-out on her edit")

    # She logs in and starts a new entry instead: the edit's words are not in its form.
    page.goto(base + "/es/account/login/?next=" + quote("/es/find-others/new/", safe=""))
    log_in_again(page, signed_in.survivor.username)
    page.wait_for_url(base + "/es/find-others/new/", timeout=SLOW)
    page.wait_for_selector("#entry-form:not([hidden])", timeout=SLOW)
    assert page.input_value("#entry-what") == ""
    assert identifier(page, 0, "value") == ""
    expect(page.locator("[data-qa=status]")).to_be_hidden()
    assert kept(page, ENTRY_SLOT) is not None  # still waiting for its own entry

    open_form(page, base + path)
    assert page.input_value("#entry-what") == EDITED
    assert identifier(page, 0, "value") == EMAIL.removeprefix("email:")
    expect(page.locator("[data-qa=status]")).to_contain_text(
        "Lo que escribiste antes de que se cerrara tu sesión está de nuevo en el formulario."
    )
    check_survivor_page(page)
    entry.refresh_from_db()
    assert entry.version == 1  # back in the form, not saved

    # Logging out wipes the words kept in this tab, as the quick exit does.
    page.click("[data-qa=logout]")
    page.wait_for_url("**/account/signed-out/")
    assert kept(page, ENTRY_SLOT) is None
    assert_not_leaked(wire, [EDITED, EMAIL_TYPED, EMAIL], "her edit brought back, unsaved")


def test_a_wrong_passphrase_on_saving_her_edit_keeps_her_words_and_the_right_one_saves_them(
    context: BrowserContext, page: Page, live_server: LiveServer, signed_in: Signed
) -> None:
    """Saving an edit takes her passphrase again (review 5b: her open session alone
    overwrote her entry). A wrong one saves nothing and is said on its field; what she
    typed stays in the form, and locked in this tab, until the right one saves it."""
    base = live_server.url
    wire = recorded(context)
    entry = saved_entry(context, page, base, signed_in)
    open_form(page, f"{base}/find-others/entries/{entry.id}/")
    page.fill("#entry-what", EDITED)
    page.fill("#entry-label", LABEL)
    page.click("[data-qa=review]")
    page.check("[data-qa=understood]")
    wrong = f"not-her-passphrase-{RUN}"
    page.fill("[data-qa=save-passphrase]", wrong)
    page.click("[data-qa=confirm]")
    expect(page.locator("[data-qa=save-error]")).to_have_text(
        "That passphrase is not right.", timeout=SLOW
    )
    passphrase = page.locator("[data-qa=save-passphrase]")
    expect(passphrase).to_be_focused()
    assert passphrase.get_attribute("aria-invalid") == "true"
    entry.refresh_from_db()
    assert entry.version == 1
    expect(page.locator("[data-qa=review-panel]")).to_be_visible()
    assert page.input_value("#entry-what") == EDITED
    assert page.input_value("#entry-label") == LABEL
    assert identifier(page, 0, "value") == EMAIL.removeprefix("email:")
    assert_locked(page, ENTRY_SLOT, [EDITED, LABEL, EMAIL_TYPED, EMAIL])
    assert_not_leaked(wire, [EDITED, LABEL, wrong, PASSPHRASE], "a refused save of her edit")

    passphrase.fill(PASSPHRASE)
    page.click("[data-qa=confirm]")
    page.wait_for_url("**/find-others/?saved=1", timeout=SLOW)
    entry.refresh_from_db()
    assert entry.version == 2
    assert kept(page, ENTRY_SLOT) is None
    open_form(page, f"{base}/find-others/entries/{entry.id}/")
    assert page.input_value("#entry-what") == EDITED
    assert page.input_value("#entry-label") == LABEL
    assert_not_leaked(wire, [EDITED, LABEL, wrong, PASSPHRASE], "her edit saved")


def test_her_unsent_message_to_her_counselor_comes_back_after_the_idle_sign_out(
    context: BrowserContext, page: Page, live_server: LiveServer, signed_in: Signed, settings: Any
) -> None:
    settings.VAULT_IDLE_SECONDS = IDLE
    base = live_server.url
    wire = recorded(context)
    open_for_entries()
    her = signed_in.user
    bob = User.objects.create_user(username=f"bob{RUN}", password="unused-in-these-tests")
    for survivor in (her, bob):
        testing.verify(survivor)
        submit_with_python(survivor, [EMAIL], SAVED_WHAT)
    thread = Membership.objects.get(survivor=her)
    path = f"/find-others/messages/{thread.id}/"
    page.clock.install()
    page.goto(base + path)
    page.fill("#id_text", TO_COUNSELOR)

    signed_out_for_idleness(page, path)
    assert_locked(page, MESSAGE_SLOT, [TO_COUNSELOR])
    assert not Message.objects.exists()
    assert_not_leaked(wire, [TO_COUNSELOR], "the idle sign-out on her message")

    log_in_again(page, signed_in.survivor.username)
    page.wait_for_url(base + path, timeout=SLOW)
    status = page.locator("[data-qa=status]")
    expect(status).to_have_text(
        "The message you were writing when you were signed out is back. It is not sent yet.",
        timeout=SLOW,
    )
    expect(page.locator("#id_text")).to_have_value(TO_COUNSELOR)
    assert not Message.objects.exists()  # back in the box, not sent
    check_survivor_page(page)
    assert_not_leaked(wire, [TO_COUNSELOR], "her message brought back, unsent")

    with page.expect_navigation():  # now she sends it: the server reads it, as she is told
        page.click("[data-qa=send]")
    page.wait_for_function(
        "slot => sessionStorage.getItem(slot) === null", arg=MESSAGE_SLOT, timeout=SLOW
    )
    expect(page.locator("[data-qa=messages]")).to_contain_text(TO_COUNSELOR)
    expect(page.locator("#id_text")).to_have_value("")
    assert Message.objects.filter(membership=thread, from_counselor=False).count() == 1


def test_a_quick_exit_wipes_an_entrys_kept_words_too(
    page: Page, live_server: LiveServer, signed_in: Signed, settings: Any
) -> None:
    settings.VAULT_IDLE_SECONDS = IDLE
    open_for_entries()
    testing.verify(signed_in.user)
    page.clock.install()
    open_form(page, live_server.url + "/find-others/new/")
    page.fill("#entry-what", WHAT)
    signed_out_for_idleness(page, "/find-others/new/")
    assert kept(page, ENTRY_SLOT) is not None
    page.get_by_role("link", name="Exit this page").click()
    page.wait_for_url(lambda url: not url.startswith(live_server.url))
    page.goto(live_server.url + "/account/login/")
    assert kept(page, ENTRY_SLOT) is None
    expect(page.locator("[data-qa=draft-kept]")).to_be_hidden()
