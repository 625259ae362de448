"""Find others, safely, end to end in Chromium (issue 5).

Survivors write entries in their own browser tabs (identifiers canonicalised, VOPRF with
the live server, entry encrypted and shares sealed, all in JavaScript); a counselor makes
her key and opens the match group in hers. After each step the whole database and every
request body any browser sent are searched for the identifiers (as typed and canonical) and
the entries' canaries: none may appear. Also: t = 3; a forged share is named and the others
still open; every escrow and workspace URL gives 404 to anyone who should not see it; axe
finds no WCAG 2.2 AA violation on these pages, in English and Spanish.

Survivor accounts are made on the server and their vault key put into the tab's
sessionStorage, as the vault's own browser tests do (the sign-up flow is tested there).
"""

from __future__ import annotations

import io
import itertools
import json
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect
from pytest_django.live_server_helper import LiveServer

from mend.accounts.models import Role, User
from mend.certificates.testing import certify
from mend.counselor import actions as counselor_actions
from mend.crypto import envelope
from mend.escrow import testing, trust
from mend.escrow.models import (
    CounselorKey,
    Entry,
    EntryTag,
    MatchGroup,
    Membership,
    SealedShare,
)
from mend.test import login_with_otp
from mend.vault.testing import Survivor
from tests.browser.conftest import (
    NEUTRAL_PAGE,
    PASSPHRASE,
    axe_violations,
    describe,
    open_group_in_browser,
    sign_in_survivor,
    submit_with_python,
)
from tests.browser.leaks import Wire, assert_not_leaked

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RUN = uuid.uuid4().hex[:8]
KEY_PASSPHRASE = f"lantern orchard {RUN} meadow"
SLOW = 60_000  # ms: Argon2id at production cost in a test machine's browser
CANARY_A = f"CANARY-ALICE-{RUN}"
CANARY_B = f"CANARY-BOB-{RUN}"
CANARY_M = f"CANARY-MALLORY-{RUN}"
HANDLE = f"jd_{RUN}"
EMAIL_LOCAL = f"jordan.doe.{RUN}"
PHONE = "4155550134"
# What the survivors type, and the canonical forms their browsers compute.
TYPED = [
    f"{EMAIL_LOCAL.title()}@Example.COM",
    f"{EMAIL_LOCAL}@example.com",
    f"https://www.instagram.com/{HANDLE}/",
    HANDLE,
    "+1 (415) 555-0134",
    "415.555.0134",
    f"other.person.{RUN}@example.org",
]
CANONICAL = [
    f"email:{EMAIL_LOCAL}@example.com",
    f"social:instagram:{HANDLE}",
    f"phone:+1{PHONE}",
    f"email:other.person.{RUN}@example.org",
]
SECRETS = [*TYPED, *CANONICAL, EMAIL_LOCAL, PHONE, CANARY_A, CANARY_B, CANARY_M]


@dataclass
class Tab:
    context: BrowserContext
    page: Page
    errors: list[str]

    def goto(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")


class Tabs:
    """One browser context per person (own cookies and sessionStorage), all on one wire."""

    def __init__(self, browser: Browser, live_server: LiveServer, wire: Wire) -> None:
        self.browser, self.base, self.wire = browser, live_server.url, wire
        self.open: list[Tab] = []

    def new(self, session_cookie: str, locale: str = "en-US") -> Tab:
        context = self.browser.new_context(locale=locale)
        context.route(
            lambda url: not url.startswith(self.base),
            lambda route: route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE),
        )
        context.add_cookies([{"name": "sessionid", "value": session_cookie, "url": self.base}])
        context.on("request", self.wire.record)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on(
            "console",
            lambda m: errors.append(m.text) if m.type == "error" and "CSP" in m.text else None,
        )
        tab = Tab(context, page, errors)
        self.open.append(tab)
        return tab

    def survivor(self, name: str, *, verified: bool = True) -> tuple[Tab, User]:
        user = User.objects.create_user(username=f"{name}{RUN}", password="unused-in-these-tests")
        if verified:
            testing.verify(user)
        client = Client()
        client.force_login(user)
        tab = self.new(client.cookies["sessionid"].value)
        tab.goto(self.base + "/safety/")
        stored = json.dumps({"vaultId": str(uuid.uuid4()), "vk": envelope.new_key().hex()})
        tab.page.evaluate("v => sessionStorage.setItem('mend-vault-key', v)", stored)
        return tab, user

    def survivor_with_passphrase(self, name: str) -> tuple[Tab, User]:
        """A verified survivor whose account has a real passphrase (PASSPHRASE), signed in:
        saving an edit and withdrawing ask for it again."""
        tab = self.new("none")
        survivor = Survivor(f"{name}{RUN}", PASSPHRASE)
        signed = sign_in_survivor(tab.context, tab.page, self.base, survivor)
        testing.verify(signed.user)
        return tab, signed.user

    def staff(self, name: str, role: str) -> tuple[Tab, User]:
        user = User.objects.create_user(
            username=f"{name}{RUN}", password=f"{name}-passphrase", role=role
        )
        client = Client()
        login_with_otp(client, user)
        return self.new(client.cookies["sessionid"].value), user

    def anonymous(self) -> Tab:
        return self.new("none")

    def close(self) -> None:
        for tab in self.open:
            tab.context.close()
        for tab in self.open:
            assert tab.errors == [], f"a page reported errors: {tab.errors}"


@pytest.fixture
def wire() -> Wire:
    return Wire()


@pytest.fixture
def tabs(browser: Browser, live_server: LiveServer, wire: Wire) -> Iterator[Tabs]:
    opened = Tabs(browser, live_server, wire)
    yield opened
    opened.close()


# --- what people do ---------------------------------------------------------------------------


def make_key_in_browser(tab: Tab, base: str, counselor: User | None = None) -> None:
    """She makes her key in her browser; with `counselor`, the operator then vouches for it
    from the command line, as for the first counselor of a deployment, and she holds the
    staff certificate that groups need before they are assigned to her."""
    tab.goto(base + "/counselor/")
    tab.page.fill("#key-passphrase", KEY_PASSPHRASE)
    tab.page.fill("#key-passphrase-again", KEY_PASSPHRASE)
    tab.page.click("#make-key button[type=submit]")
    tab.page.wait_for_selector("[data-qa=has-key]", timeout=SLOW)
    if counselor is not None:
        endorse_as_operator(counselor)
        certify(counselor)


def read_own_fingerprint(tab: Tab, passphrase_field: str) -> str:
    """She unlocks her key to see its fingerprint, which her browser works out from her
    secret key: the page the server sends holds none (a database writer could swap it)."""
    assert tab.page.locator("[data-qa=key-fingerprint]").inner_text() == ""
    tab.page.wait_for_selector("[data-qa=own-fingerprint]:not([hidden])")  # its script runs
    tab.page.fill(passphrase_field, KEY_PASSPHRASE)
    tab.page.click("[data-qa=show-fingerprint]")
    tab.page.wait_for_selector("[data-qa=own-fingerprint-shown]:not([hidden])", timeout=SLOW)
    return tab.page.inner_text("[data-qa=key-fingerprint]")


def endorse_as_operator(counselor: User) -> None:
    with tempfile.TemporaryDirectory() as folder:
        seed_file = Path(folder) / "operator.seed"
        seed_file.write_text(settings.DEV_ESCROW_OPERATOR_SEED)
        call_command(
            "endorse_counselor_key",
            counselor.username,
            "--seed-file",
            str(seed_file),
            stdout=io.StringIO(),
        )


def write_entry(tab: Tab, base: str, identifiers: list[tuple[str, str, str]], canary: str) -> None:
    """identifiers: (kind, what she types, platform or region)."""
    tab.goto(base + "/find-others/new/")
    tab.page.wait_for_selector("#entry-form:not([hidden])")
    for i, (kind, text, extra) in enumerate(identifiers):
        if i:
            tab.page.click("[data-qa=add-identifier]")
        row = tab.page.locator("[data-qa=identifier]").nth(i)
        row.locator("[data-field=kind]").select_option(kind)
        if kind == "social" and extra:
            row.locator("[data-field=platform]").select_option(extra)
        if kind == "phone" and extra:
            row.locator("[data-field=region]").select_option(extra)
        row.locator("[data-field=value]").fill(text)
    tab.page.fill("#entry-what", canary)
    tab.page.click("[data-qa=review]")
    tab.page.wait_for_selector("[data-qa=review-panel]:not([hidden])")
    tab.page.check("[data-qa=understood]")
    tab.page.click("[data-qa=confirm]")
    tab.page.wait_for_url("**/find-others/?saved=1", timeout=SLOW)


def opened_texts(tab: Tab) -> dict[str, str]:
    return {
        el.get_attribute("data-entry-id") or "": el.inner_text()
        for el in tab.page.locator("[data-qa=opened-entry]").all()
    }


ALICE_IDS = [
    ("email", TYPED[0], ""),
    ("social", TYPED[2], ""),
    ("phone", TYPED[4], ""),
]
BOB_IDS = [("email", TYPED[1], ""), ("social", TYPED[3], "instagram"), ("phone", TYPED[5], "US")]


# --- the proof ---------------------------------------------------------------------------------


def test_differently_written_identifiers_match_and_nothing_leaks(
    tabs: Tabs, live_server: LiveServer, wire: Wire
) -> None:
    base = live_server.url
    carol_tab, carol = tabs.staff("carol", Role.COUNSELOR)
    make_key_in_browser(carol_tab, base, carol)
    assert CounselorKey.objects.filter(counselor=carol, active=True).count() == 1

    alice_tab, alice = tabs.survivor("alice")
    write_entry(alice_tab, base, ALICE_IDS, CANARY_A)
    assert alice_tab.page.locator("[data-qa=entry] [data-qa=state]").inner_text() == "Waiting"
    assert EntryTag.objects.filter(owner=alice).count() == 3
    assert_not_leaked(wire, SECRETS, "alice's entry")

    bob_tab, bob = tabs.survivor("bob")
    write_entry(bob_tab, base, BOB_IDS, CANARY_B)
    group = MatchGroup.objects.get()
    assert {m.survivor for m in group.members.all()} == {alice, bob}
    assert EntryTag.objects.filter(group=group).count() == 6  # all three identifiers matched
    assert group.counselor == carol
    assert_not_leaked(wire, SECRETS, "bob's entry and the match")

    mallory_tab, mallory = tabs.survivor("mallory")
    write_entry(mallory_tab, base, [("email", TYPED[6], "")], CANARY_M)
    assert MatchGroup.objects.count() == 1
    assert not EntryTag.objects.filter(owner=mallory).exclude(group=None).exists()
    assert_not_leaked(wire, SECRETS, "mallory's entry")

    alice_tab.goto(base + "/find-others/")
    assert alice_tab.page.locator("[data-qa=entry] [data-qa=state]").inner_text() == "Matched"
    assert alice_tab.page.locator("[data-qa=notice-match]").count() == 1
    mallory_tab.goto(base + "/find-others/")
    assert mallory_tab.page.locator("[data-qa=notice-match]").count() == 0

    open_group_in_browser(carol_tab.page, base, group, KEY_PASSPHRASE)
    texts = opened_texts(carol_tab)
    alice_entry = str(Entry.objects.get(owner=alice).id)
    bob_entry = str(Entry.objects.get(owner=bob).id)
    assert set(texts) == {alice_entry, bob_entry}
    assert CANARY_A in texts[alice_entry]
    assert CANARY_B in texts[bob_entry]
    # She reads the identifiers canonicalised, and as a person writes them.
    assert f"Email address: {CANONICAL[0].removeprefix('email:')}" in texts[bob_entry]
    assert f"Instagram: @{CANONICAL[1].split(':')[2]}" in texts[bob_entry]
    assert "Survivor 1, entry 1" in texts[alice_entry] or "Survivor 1, entry 1" in texts[bob_entry]
    assert carol_tab.page.locator("[data-qa=share-warnings]").is_hidden()
    assert_not_leaked(wire, SECRETS, "the counselor opened the group")

    # the survivor reads her own entry back, in her browser, with her vault key
    alice_tab.goto(f"{base}/find-others/entries/{alice_entry}/")
    alice_tab.page.wait_for_selector("#entry-form:not([hidden])")
    assert alice_tab.page.input_value("#entry-what") == CANARY_A


def test_with_t_three_two_survivors_do_not_match_and_three_do(
    tabs: Tabs, live_server: LiveServer, settings: Any
) -> None:
    settings.ESCROW_THRESHOLD = 3
    base = live_server.url
    carol_tab, carol = tabs.staff("carol", Role.COUNSELOR)
    make_key_in_browser(carol_tab, base, carol)
    for name, ids, canary in (("alice", ALICE_IDS[:1], CANARY_A), ("bob", BOB_IDS[:1], CANARY_B)):
        tab, _ = tabs.survivor(name)
        write_entry(tab, base, ids, canary)
    assert MatchGroup.objects.count() == 0
    tab, _ = tabs.survivor("mallory")
    write_entry(tab, base, [("email", TYPED[1].upper(), "")], CANARY_M)
    group = MatchGroup.objects.get()
    assert group.members.count() == 3
    open_group_in_browser(carol_tab.page, base, group, KEY_PASSPHRASE)
    assert len(opened_texts(carol_tab)) == 3


def test_she_reads_changes_and_withdraws_her_entry(tabs: Tabs, live_server: LiveServer) -> None:
    """Saving her changes and withdrawing take her passphrase again: a wrong one changes
    nothing and is said on its field (review 5b: her open session alone withdrew or
    overwrote her entry)."""
    base = live_server.url
    carol_tab, carol = tabs.staff("carol", Role.COUNSELOR)
    make_key_in_browser(carol_tab, base, carol)
    tab, alice = tabs.survivor_with_passphrase("alice")
    write_entry(tab, base, ALICE_IDS[:1], CANARY_A)
    entry = Entry.objects.get(owner=alice)
    tab.goto(f"{base}/find-others/entries/{entry.id}/")
    tab.page.wait_for_selector("#entry-form:not([hidden])")
    assert tab.page.input_value("[data-qa=identifier] [data-field=value]") == CANONICAL[0][6:]
    tab.page.fill("#entry-what", CANARY_B)
    tab.page.click("[data-qa=review]")
    tab.page.check("[data-qa=understood]")
    tab.page.fill("[data-qa=save-passphrase]", PASSPHRASE)
    tab.page.click("[data-qa=confirm]")
    tab.page.wait_for_url("**/find-others/?saved=1", timeout=SLOW)
    entry.refresh_from_db()
    assert entry.version == 2
    tab.goto(f"{base}/find-others/entries/{entry.id}/")
    tab.page.wait_for_selector("#entry-form:not([hidden])")
    assert tab.page.input_value("#entry-what") == CANARY_B

    tab.goto(f"{base}/find-others/entries/{entry.id}/withdraw/")
    tab.page.fill("[data-qa=withdraw-passphrase]", f"not {PASSPHRASE}")
    tab.page.click("[data-qa=withdraw]")
    expect(tab.page.locator("[data-qa=withdraw-error]")).to_have_text(
        "That passphrase is not right.", timeout=SLOW
    )
    assert tab.page.get_attribute("[data-qa=withdraw-passphrase]", "aria-invalid") == "true"
    assert Entry.objects.filter(id=entry.id, version=2).exists()
    assert EntryTag.objects.filter(entry=entry).exists()
    tab.page.fill("[data-qa=withdraw-passphrase]", PASSPHRASE)
    tab.page.click("[data-qa=withdraw]")
    tab.page.wait_for_url(f"{base}/find-others/?withdrawn=1", timeout=SLOW)
    expect(tab.page.locator("[data-qa=withdrawn]")).to_have_text(
        "Your entry is withdrawn and deleted."
    )
    assert tab.page.locator("[data-qa=no-entries]").count() == 1
    assert not Entry.objects.exists()
    assert not EntryTag.objects.exists()


def test_her_entries_say_what_they_hold_and_the_name_she_gave_them(
    tabs: Tabs, live_server: LiveServer
) -> None:
    base = live_server.url
    carol_tab, carol = tabs.staff("carol", Role.COUNSELOR)
    make_key_in_browser(carol_tab, base, carol)
    tab, _ = tabs.survivor("alice")
    tab.goto(base + "/find-others/new/")
    tab.page.wait_for_selector("#entry-form:not([hidden])")
    tab.page.fill("[data-qa=label]", f"The summer job {RUN}")
    tab.page.locator("[data-qa=identifier] [data-field=value]").fill(TYPED[0])
    tab.page.click("[data-qa=review]")
    tab.page.check("[data-qa=understood]")
    tab.page.click("[data-qa=confirm]")
    tab.page.wait_for_url("**/find-others/?saved=1", timeout=SLOW)
    tab.page.wait_for_selector("[data-qa=entries][data-state=described]", state="attached")
    card = tab.page.locator("[data-qa=entry]")
    expect(card.locator("[data-qa=entry-label]")).to_have_text(f"The summer job {RUN}")
    expect(card.locator("[data-qa=entry-holds]")).to_contain_text(
        f"Email address: {CANONICAL[0].removeprefix('email:')}"
    )
    # The name she gave it is locked with the entry: the server never holds it.
    assert testing.database_rows_containing([f"The summer job {RUN}"]) == []
    # Bob names the same person: her match notice says which entry it is about.
    bob = User.objects.create_user(username=f"bob{RUN}", password="x")
    testing.verify(bob)
    submit_with_python(bob, CANONICAL[:1], CANARY_B)
    tab.goto(base + "/find-others/")
    expect(tab.page.locator("[data-qa=notice-match] [data-qa=about-entry]")).to_contain_text(
        f"About your entry: The summer job {RUN}"
    )


def test_she_keeps_a_copy_of_her_entries_made_in_her_browser(
    tabs: Tabs, live_server: LiveServer, wire: Wire
) -> None:
    base = live_server.url
    carol_tab, carol = tabs.staff("carol", Role.COUNSELOR)
    make_key_in_browser(carol_tab, base, carol)
    tab, _ = tabs.survivor("alice")
    write_entry(tab, base, ALICE_IDS[:1], CANARY_A)
    tab.page.wait_for_selector("[data-qa=entries][data-state=described]", state="attached")

    tab.page.click("[data-qa=copy-save]")  # not before she says she understands
    expect(tab.page.locator("[data-qa=copy-error]")).to_be_visible()
    assert tab.page.evaluate("document.activeElement.id") == "copy-understood"
    tab.page.check("[data-qa=copy-understood]")
    with tab.page.expect_download() as download:
        tab.page.click("[data-qa=copy-save]")

    assert download.value.suggested_filename.startswith("mend-find-others-")
    text = download.value.path().read_text(encoding="utf-8")
    assert CANARY_A in text  # what she wrote, as her browser opened it
    assert f"Email address: {CANONICAL[0].removeprefix('email:')}" in text
    assert "Mend's server never saw this file" in text
    expect(tab.page.locator("[data-qa=copy-status]")).to_have_text(
        "Your copy is saved as a file on this device."
    )
    assert_not_leaked(wire, [CANARY_A], "her copy of her entries")


def test_her_copy_holds_what_her_counselor_recorded_about_her_and_her_notices(
    tabs: Tabs, live_server: LiveServer
) -> None:
    """Review 5b: the threads API gave the decision and the match's state, and her copy
    left them out, with her notices. Her thread page says the decision too."""
    base = live_server.url
    carol_tab, carol = tabs.staff("carol", Role.COUNSELOR)
    make_key_in_browser(carol_tab, base, carol)
    tab, alice = tabs.survivor("alice")
    write_entry(tab, base, ALICE_IDS[:1], CANARY_A)
    bob = User.objects.create_user(username=f"bob{RUN}", password="x")
    testing.verify(bob)
    submit_with_python(bob, CANONICAL[:1], CANARY_B)
    member = Membership.objects.get(survivor=alice)
    counselor_actions.do_record_decision(carol, member, "act_alone")

    tab.goto(f"{base}/find-others/messages/{member.id}/")
    expect(tab.page.locator("[data-qa=decision]")).to_contain_text(
        "Your counselor recorded that you want to act alone."
    )
    tab.goto(base + "/find-others/")
    tab.page.wait_for_selector("[data-qa=entries][data-state=described]", state="attached")
    tab.page.check("[data-qa=copy-understood]")
    with tab.page.expect_download() as download:
        tab.page.click("[data-qa=copy-save]")
    text = download.value.path().read_text(encoding="utf-8")
    assert ": Your counselor recorded that you want to act alone." in text  # with its day
    assert "This match is open." in text
    assert "Someone else has named the same person as you." in text  # her notice
    assert CANARY_A in text


def test_before_any_counselor_has_a_key_she_is_told_before_she_writes(
    tabs: Tabs, live_server: LiveServer
) -> None:
    base = live_server.url
    tab, _ = tabs.survivor("alice")
    tab.goto(base + "/find-others/")
    expect(tab.page.locator("[data-qa=not-open]")).to_be_visible()
    assert tab.page.locator("[data-qa=new-entry]").count() == 0
    tab.goto(base + "/find-others/new/")
    expect(tab.page.locator("[data-qa=error]")).to_contain_text("No counselor can receive entries")
    assert tab.page.locator("#entry-form").is_hidden()
    assert not Entry.objects.exists()


def end_session_before(tab: Tab, api_path: str) -> str:
    """The first request to `api_path` finds her session gone, as if she had signed out in
    another tab after this page was served; returns the ended session's key."""
    [cookie] = [c["value"] for c in tab.context.cookies() if c["name"] == "sessionid"]

    def signed_out_elsewhere_first(route: Route) -> None:
        Session.objects.filter(session_key=cookie).delete()
        route.continue_()

    tab.page.route(f"**/api/v1/{api_path}", signed_out_elsewhere_first)
    return cookie


def test_when_her_session_has_ended_her_escrow_home_sends_her_to_sign_in(
    tabs: Tabs, live_server: LiveServer
) -> None:
    base = live_server.url
    tab, _ = tabs.survivor("alice")
    cookie = end_session_before(tab, "escrow/entries")
    tab.page.goto(base + "/find-others/")
    tab.page.wait_for_url(f"{base}/account/login/?next=%2Ffind-others%2F")
    assert tab.page.evaluate("sessionStorage.getItem('mend-vault-key')") is None
    assert not Session.objects.filter(session_key=cookie).exists()


def test_when_her_session_has_ended_the_workspace_sends_her_to_the_counselor_sign_in(
    tabs: Tabs, live_server: LiveServer
) -> None:
    base = live_server.url
    carol_tab, _ = tabs.staff("carol", Role.COUNSELOR)
    end_session_before(carol_tab, "counselor/key")
    carol_tab.goto(base + "/counselor/")
    carol_tab.page.fill("#key-passphrase", KEY_PASSPHRASE)
    carol_tab.page.fill("#key-passphrase-again", KEY_PASSPHRASE)
    carol_tab.page.click("#make-key button[type=submit]")
    carol_tab.page.wait_for_url(f"{base}/counselor/login/?next=%2Fcounselor%2F", timeout=SLOW)
    assert not CounselorKey.objects.exists()


def register_key_like_the_browser(counselor: User) -> envelope.BoxKeyPair:
    """A counselor key made with the Python twin, which her browser must unlock, and the
    staff certificate she needs before groups are assigned to her."""
    certify(counselor)
    return testing.add_counselor_key(counselor, KEY_PASSPHRASE)


def test_a_forged_share_is_named_and_the_other_entries_still_open(
    tabs: Tabs, live_server: LiveServer
) -> None:
    base = live_server.url
    carol_tab, carol = tabs.staff("carol", Role.COUNSELOR)
    keys = register_key_like_the_browser(carol)
    survivors = []
    for name in ("alice", "bob", "mallory"):
        user = User.objects.create_user(username=f"{name}{RUN}", password="x")
        testing.verify(user)
        survivors.append(user)
    alice_entry = submit_with_python(survivors[0], CANONICAL[:1], CANARY_A)
    bob_entry = submit_with_python(survivors[1], CANONICAL[:1], CANARY_B)
    forged_entry = submit_with_python(survivors[2], CANONICAL[:1], CANARY_M)
    share = SealedShare.objects.get(tag__entry_id=forged_entry)
    share.sealed = forge(keys, bytes(share.sealed), forged_entry)
    share.save(update_fields=["sealed"])

    open_group_in_browser(carol_tab.page, base, MatchGroup.objects.get(), KEY_PASSPHRASE)
    warnings = carol_tab.page.locator("[data-qa=share_rejected]")
    assert warnings.count() == 1
    assert warnings.get_attribute("data-entry-id") == forged_entry
    assert "did not fit" in warnings.inner_text()
    texts = opened_texts(carol_tab)
    assert CANARY_A in texts[alice_entry]
    assert CANARY_B in texts[bob_entry]


def test_a_new_counselor_reads_a_group_once_a_colleague_vouches_and_re_seals(
    tabs: Tabs, live_server: LiveServer
) -> None:
    """A new counselor's key gets nothing until a colleague vouches for it in her browser
    (under the fingerprint the new counselor reads to her); then the colleague's browser opens
    the shares sealed before and seals them again for the new key."""
    base = live_server.url
    carol_tab, carol = tabs.staff("carol", Role.COUNSELOR)
    register_key_like_the_browser(carol)
    alice, bob = (User.objects.create_user(username=f"{n}{RUN}", password="x") for n in "ab")
    for user in (alice, bob):
        testing.verify(user)
    alice_entry = submit_with_python(alice, CANONICAL[:1], CANARY_A)
    bob_entry = submit_with_python(bob, CANONICAL[:1], CANARY_B)
    dana_tab, dana = tabs.staff("dana", Role.COUNSELOR)
    make_key_in_browser(dana_tab, base)
    dana_key = CounselorKey.objects.get(counselor=dana)
    assert dana_tab.page.locator("[data-qa=key-waiting]").count() == 1
    assert trust.key_fingerprint(dana_key) not in dana_tab.page.content()  # none from the server
    dana_fingerprint = read_own_fingerprint(dana_tab, "#own-fingerprint-passphrase")
    assert dana_fingerprint == trust.key_fingerprint(dana_key)  # her browser's, from her key
    assert not SealedShare.objects.filter(key=dana_key).exists()

    carol_tab.goto(base + "/counselor/")
    assert carol_tab.page.locator("#reseal").count() == 0  # nothing to re-seal for her yet
    pending = carol_tab.page.locator("[data-qa=pending-key]")
    assert pending.count() == 1
    assert dana_fingerprint in pending.inner_text()
    carol_tab.page.fill("#endorse-passphrase", KEY_PASSPHRASE)
    carol_tab.page.click(f"[data-qa=endorse-{dana.username}]")
    carol_tab.page.wait_for_selector("[data-qa=status]:has-text('You vouched')", timeout=SLOW)
    dana_key.refresh_from_db()
    assert dana_key.endorsed_by == CounselorKey.objects.get(counselor=carol)
    dana_tab.goto(base + "/counselor/")
    assert dana_tab.page.locator("[data-qa=key-endorsed]").count() == 1

    carol_tab.goto(base + "/counselor/")
    carol_tab.page.fill("#reseal-passphrase", KEY_PASSPHRASE)
    carol_tab.page.click("#reseal button[type=submit]")
    carol_tab.page.wait_for_selector("[data-qa=status]:has-text('2 shares sealed')", timeout=SLOW)
    assert SealedShare.objects.filter(key=dana_key).count() == 2

    group = MatchGroup.objects.get()
    certify(dana)  # a group opens only to a counselor who holds a current staff certificate
    MatchGroup.objects.filter(id=group.id).update(counselor=dana)  # as an admin reassigns it
    open_group_in_browser(dana_tab.page, base, group, KEY_PASSPHRASE)
    texts = opened_texts(dana_tab)
    assert CANARY_A in texts[alice_entry]
    assert CANARY_B in texts[bob_entry]


def test_a_counselor_vouches_for_a_facilitators_key_which_then_gets_no_share(
    tabs: Tabs, live_server: LiveServer
) -> None:
    """A facilitator makes his staff key on his list of cases and reads its fingerprint to
    a counselor, who vouches for it in her browser: the parties of his dialogues can then
    write to him, and no entry is sealed to his key."""
    base = live_server.url
    carol_tab, carol = tabs.staff("carol", Role.COUNSELOR)
    register_key_like_the_browser(carol)
    alice = User.objects.create_user(username=f"a{RUN}", password="x")
    testing.verify(alice)
    submit_with_python(alice, CANONICAL[:1], CANARY_A)
    frank_tab, frank = tabs.staff("frank", Role.FACILITATOR)
    frank_tab.goto(base + "/dialogue/staff/")
    frank_tab.page.fill("#key-passphrase", KEY_PASSPHRASE)
    frank_tab.page.fill("#key-passphrase-again", KEY_PASSPHRASE)
    frank_tab.page.click("[data-qa=make-key-button]")
    frank_tab.page.wait_for_selector("[data-qa=staff-key-unvouched]", timeout=SLOW)
    fingerprint = read_own_fingerprint(frank_tab, "#own-fingerprint-passphrase")
    assert fingerprint == trust.key_fingerprint(CounselorKey.objects.get(counselor=frank))

    carol_tab.goto(base + "/counselor/")
    pending = carol_tab.page.locator("[data-qa=pending-key]")
    assert "a dialogue facilitator" in pending.inner_text()
    assert fingerprint in pending.inner_text()
    carol_tab.page.fill("#endorse-passphrase", KEY_PASSPHRASE)
    carol_tab.page.click(f"[data-qa=endorse-{frank.username}]")
    carol_tab.page.wait_for_selector(
        "[data-qa=status]:has-text('no entry is ever sealed to it')", timeout=SLOW
    )
    frank_key = CounselorKey.objects.get(counselor=frank, active=True)
    assert frank_key.endorsed_by == CounselorKey.objects.get(counselor=carol)
    frank_tab.goto(base + "/dialogue/staff/")
    assert frank_tab.page.locator("[data-qa=staff-key-vouched]").count() == 1
    carol_tab.goto(base + "/counselor/")
    assert carol_tab.page.locator("#reseal").count() == 0  # nothing to seal for his key
    assert not SealedShare.objects.filter(key=frank_key).exists()


def forge(keys: envelope.BoxKeyPair, sealed: bytes, entry_id: str) -> bytes:
    from mend.crypto import escrow, group, shamir

    payload = envelope.open_sealed(keys, sealed, testing.share_context(entry_id))
    share, c = escrow.decode_share_payload(payload)
    bad = shamir.Share(share.x, group.scalar_add(share.y, group.scalar_from_int(7)))
    return envelope.seal(
        keys.public_key, escrow.encode_share_payload(bad, c), testing.share_context(entry_id)
    )


# --- who may see what ----------------------------------------------------------------------------


def test_every_escrow_and_workspace_url_is_404_to_whoever_should_not_see_it_and_401_signed_out(
    tabs: Tabs, live_server: LiveServer
) -> None:
    base = live_server.url
    _, carol = tabs.staff("carol", Role.COUNSELOR)
    register_key_like_the_browser(carol)
    users = []
    for name in ("alice", "bob"):
        user = User.objects.create_user(username=f"{name}{RUN}", password="x")
        testing.verify(user)
        users.append(user)
    entry = submit_with_python(users[0], CANONICAL[:1], CANARY_A)
    submit_with_python(users[1], CANONICAL[:1], CANARY_B)
    group = MatchGroup.objects.get()
    member = group.members.get(survivor=users[0])
    alices = [
        f"/find-others/entries/{entry}/",
        f"/find-others/entries/{entry}/withdraw/",
        f"/find-others/messages/{member.id}/",
        f"/api/v1/escrow/entries/{entry}",
        f"/api/v1/escrow/threads/{member.id}/messages",
    ]
    carols = [
        f"/counselor/groups/{group.id}/",
        f"/counselor/groups/{group.id}/members/{member.id}/",
        f"/api/v1/counselor/groups/{group.id}",
        f"/api/v1/counselor/groups/{group.id}/members/{member.id}/messages",
    ]
    survivor_only = ["/find-others/", "/find-others/new/", "/api/v1/escrow/config"]
    counselor_only = ["/counselor/", "/api/v1/counselor/groups", "/api/v1/counselor/key"]
    mallory_tab, _ = tabs.survivor("mallory")
    dana_tab, _ = tabs.staff("dana", Role.COUNSELOR)
    staff_tabs = [tabs.staff(n, r)[0] for n, r in (("erin", Role.EDITOR), ("adam", Role.ADMIN))]
    must_404 = {
        "mallory": (mallory_tab, [*alices, *carols, *counselor_only]),
        "dana": (dana_tab, [*alices, *carols, *survivor_only]),
        **{
            f"staff {i}": (t, [*alices, *carols, *survivor_only, *counselor_only])
            for i, t in enumerate(staff_tabs)
        },
    }
    for who, (tab, paths) in must_404.items():
        for path in paths:
            status = tab.context.request.get(base + path, max_redirects=0).status
            assert status == 404, f"{who} got {status} for {path}"
    # Signed out, every protected API address answers 401 alike, whether or not the thing
    # exists (ADR 0012): the page runtime sends her to sign in; nothing is learnt.
    anonymous = tabs.anonymous()
    for path in [p for p in [*alices, *carols, *survivor_only, *counselor_only] if "/api/" in p]:
        response = anonymous.context.request.get(base + path, max_redirects=0)
        assert (response.status, response.json()["code"]) == (401, "signed_out"), path


# --- accessibility -----------------------------------------------------------------------------


def test_escrow_pages_have_no_accessibility_violations(tabs: Tabs, live_server: LiveServer) -> None:
    """Every escrow and workspace page, English and Spanish by turns: each page once, both
    languages across the sweep (the two sweeps were the same pages, twice the time)."""
    base = live_server.url
    carol_tab, carol = tabs.staff("carol", Role.COUNSELOR)
    register_key_like_the_browser(carol)
    unverified_tab, _ = tabs.survivor("nina", verified=False)
    alice_tab, alice = tabs.survivor("alice")
    entry = submit_with_python(alice, CANONICAL[:1], CANARY_A)
    bob = User.objects.create_user(username=f"bob{RUN}", password="x")
    testing.verify(bob)
    submit_with_python(bob, CANONICAL[:1], CANARY_B)
    group = MatchGroup.objects.get()
    member = group.members.get(survivor=alice)
    languages = itertools.cycle(["", "/es"])

    def check(tab: Tab, path: str) -> None:
        language = next(languages)
        tab.goto(base + language + path)
        violations = axe_violations(tab.page)
        assert violations == [], f"{language}{path}: {describe(violations)}"

    check(unverified_tab, "/find-others/")
    check(alice_tab, "/find-others/")
    check(alice_tab, "/find-others/new/")  # in English, and so its review panel
    alice_tab.page.fill("[data-qa=identifier] [data-field=value]", TYPED[1])
    alice_tab.page.click("[data-qa=review]")
    alice_tab.page.wait_for_selector("[data-qa=review-panel]:not([hidden])")
    violations = axe_violations(alice_tab.page)
    assert violations == [], f"review panel: {describe(violations)}"
    check(alice_tab, f"/find-others/entries/{entry}/")
    check(alice_tab, f"/find-others/entries/{entry}/withdraw/")
    check(alice_tab, f"/find-others/messages/{member.id}/")
    check(tabs.anonymous(), "/counselor/login/")
    check(carol_tab, "/counselor/")
    check(carol_tab, f"/counselor/groups/{group.id}/members/{member.id}/")
    open_group_in_browser(carol_tab.page, base + next(languages), group, KEY_PASSPHRASE)
    violations = axe_violations(carol_tab.page)
    assert violations == [], f"opened group: {describe(violations)}"
