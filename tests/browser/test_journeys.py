"""The journeys, as people walk them, at desktop and phone widths, in English and Spanish.

Public: the home page, a search near a place in her own words, a service page, what
"Find others, safely" is, and the safety page. Signed in: a survivor signs up and keeps
a record (write, save, the history and a receipt, the record in a new tab); a survivor
makes an entry in "Find others, safely"; a counselor opens her workspace and a match.

Every page loads nothing from elsewhere, reports no error, has no axe violation (best
practice included) and nothing wider than the screen; every survivor page has its quick
exit first. The public walk runs in all four combinations; each signed-in walk in two
(English on a phone, Spanish on a desktop), which covers both languages and both widths
at half the time.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from mend.accounts.models import Role, User
from mend.certificates.testing import certify
from mend.escrow import testing
from mend.escrow.models import Entry, MatchGroup
from mend.search import index
from mend.search.tests import factories as f
from mend.test import login_with_otp
from mend.vault.models import Record
from tests.browser.conftest import (
    SLOW,
    WIDTHS,
    check_page,
    check_survivor_page,
    open_group_in_browser,
    sign_in_survivor,
    sign_up,
    submit_with_python,
    walking,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {
        "search": "Search",
        "place": "Town, city or ZIP code (optional)",
        "what": "What are you looking for? (optional)",
        "understood": "We understood “Springfield, Illinois” as Springfield, IL.",
        "lines": "Talk to someone now",
        "about": "How it works",
    },
    "es": {
        "search": "Buscar",
        "place": "Localidad, ciudad o código postal (opcional)",
        "what": "¿Qué buscas? (opcional)",
        "understood": "Entendimos «Springfield, Illinois» como Springfield, IL.",
        "lines": "Habla con alguien ahora",
        "about": "Cómo funciona",
    },
}


@pytest.fixture
def directory(live_server: LiveServer) -> dict[str, Any]:
    exam = f.make_service(
        "Night Exam Room",
        types=("forensic-medical-exam",),
        translations={"es": {"name": "Sala de examen nocturna"}},
    )
    f.phone(exam)
    f.place(exam)
    f.shelter()
    index.rebuild_search_index(now=timezone.now())
    return {"exam": exam}


@pytest.fixture(params=[(lang, width) for lang in WORDS for width in WIDTHS])
def visitor(
    request: pytest.FixtureRequest, browser: Browser, live_server: LiveServer
) -> Iterator[tuple[Page, str]]:
    lang, width = request.param
    with walking(browser, live_server.url, lang, WIDTHS[width]) as page:
        yield page, lang


KEY_PASSPHRASE = "a counselor's key passphrase"
# English on a phone, Spanish on a desktop: both languages, both widths, half the time.
SIGNED_IN = [("en", "phone"), ("es", "desktop")]


@pytest.fixture(params=SIGNED_IN, ids=[f"{lang}-{width}" for lang, width in SIGNED_IN])
def walker(
    request: pytest.FixtureRequest, browser: Browser, live_server: LiveServer
) -> Iterator[tuple[Page, str]]:
    lang, width = request.param
    with walking(browser, live_server.url, lang, WIDTHS[width]) as page:
        yield page, "/es" if lang == "es" else ""


check = check_survivor_page
# Words that are English only: on a Spanish page, a line with one is a string nobody
# translated. (The public walk shows directory data, which may lack a translation.)
ENGLISH = re.compile(r"\b(the|your|you|and|with|this|of|to|is|are|for)\b", re.IGNORECASE)


def untranslated(page: Page) -> list[str]:
    if page.evaluate("document.documentElement.lang") != "es":
        return []
    return [line for line in page.inner_text("body").splitlines() if ENGLISH.search(line)]


def check_signed_in(page: Page, survivor: bool = True) -> None:
    check_survivor_page(page) if survivor else check_page(page)
    assert untranslated(page) == [], f"{page.url}: untranslated"


def test_the_walk_would_see_a_line_too_wide_and_a_string_left_in_english(
    browser: Browser, live_server: LiveServer
) -> None:
    """A control: the checks fail on a page wider than a phone, and on English in Spanish."""
    with walking(browser, live_server.url, "es", WIDTHS["phone"]) as page:
        page.goto(live_server.url + "/es/safety/")
        check_signed_in(page)
        page.evaluate("document.querySelector('main').append('Save your record')")
        with pytest.raises(AssertionError, match="untranslated"):
            check_signed_in(page)
        wide = "Object.assign(document.createElement('div'), {style: 'width: 600px; height: 1em'})"
        page.evaluate(f"document.querySelector('main').append({wide})")
        with pytest.raises(AssertionError, match="wider than the screen"):
            check_page(page)


def test_a_visitor_finds_help_in_her_own_words_and_reads_what_mend_is(
    visitor: tuple[Page, str], live_server: LiveServer, directory: dict[str, Any]
) -> None:
    page, lang = visitor
    words = WORDS[lang]
    prefix = "/es" if lang == "es" else ""
    page.goto(live_server.url + prefix + "/")
    expect(page.get_by_role("heading", name=words["lines"])).to_be_visible()
    check(page)

    page.goto(live_server.url + prefix + "/help/")
    page.get_by_label(words["what"]).fill("rape")
    page.get_by_label(words["place"]).fill("Springfield, Illinois")
    page.get_by_role("button", name=words["search"], exact=True).click()
    expect(page.locator("[data-qa=place-understood]")).to_contain_text(words["understood"])
    result = page.locator("[data-qa=result]").first
    name = "Sala de examen nocturna" if lang == "es" else "Night Exam Room"
    expect(result).to_contain_text(name)
    check(page)

    result.get_by_role("link", name=name).click()
    expect(page.locator("a.call").first).to_have_attribute("href", "tel:+12175550100")
    check(page)

    page.goto(live_server.url + prefix + "/find-others/")
    expect(page.get_by_role("heading", name=words["about"])).to_be_visible()
    check(page)

    page.goto(live_server.url + prefix + "/safety/")
    check(page)


RECORD_PAGES = (
    "/record/{id}/print/",
    "/record/export/",
    "/record/import/",
    "/record/check-receipt/",
    "/account/passphrase/",
    "/account/delete/",
)


def test_a_survivor_signs_up_and_keeps_a_record(
    walker: tuple[Page, str], live_server: LiveServer
) -> None:
    page, prefix = walker
    base = live_server.url
    username = f"walk{uuid.uuid4().hex[:6]}"
    sign_up(page, base + prefix, username, check_each=check_signed_in)
    check_signed_in(page)

    page.click("[data-qa=new-record]")
    page.wait_for_selector("[data-qa=record-form][data-state=ready]", state="attached")
    check_signed_in(page)
    page.fill("#field-title", "Lo que pasó en el trabajo")
    page.fill("#field-what", "Palabras que solo yo puedo leer.")
    page.click("[data-qa=save]")
    page.wait_for_selector("[data-qa=status][data-kind=success]")
    record = Record.objects.get(owner__username=username)
    history = page.locator("[data-qa=history-link] a")
    expect(history).to_be_visible()
    assert history.get_attribute("href") == f"{prefix}/record/{record.id}/"
    check_signed_in(page)

    history.click()
    page.wait_for_selector("body[data-state=ready]")
    expect(page.locator("[data-qa=receipt-1]")).to_be_visible()
    check_signed_in(page)

    other = page.context.new_page()  # the record in a new tab: no second sign-in
    other.goto(page.url)
    other.wait_for_selector("body[data-state=ready]")
    expect(other.locator("[data-qa=record-content]")).to_contain_text("Palabras que solo yo")
    check_signed_in(other)

    for path in RECORD_PAGES:  # the rest of "Keep a record", as she may open them
        page.goto(base + prefix + path.format(id=record.id))
        page.wait_for_load_state("networkidle")
        check_signed_in(page)


def test_a_survivor_makes_an_entry_in_find_others(
    walker: tuple[Page, str], live_server: LiveServer
) -> None:
    page, prefix = walker
    base = live_server.url
    counselor = User.objects.create_user(username="carolwalk", password="x", role=Role.COUNSELOR)
    testing.add_counselor_key(counselor, KEY_PASSPHRASE)
    signed = sign_in_survivor(page.context, page, base)
    testing.verify(signed.user)

    page.goto(base + prefix + "/find-others/")
    check_signed_in(page)
    page.click("[data-qa=new-entry]")
    page.wait_for_selector("#entry-form:not([hidden])")
    check_signed_in(page)
    page.fill("[data-qa=label]", "El verano")
    page.locator("[data-qa=identifier] [data-field=value]").fill("jordan.walk@example.com")
    page.fill("#entry-what", "Lo que pasó.")
    page.click("[data-qa=review]")
    page.wait_for_selector("[data-qa=review-panel]:not([hidden])")
    assert_focus_not_under_the_exit_bar(page)
    check_signed_in(page)
    page.check("[data-qa=understood]")
    page.click("[data-qa=confirm]")
    page.wait_for_url("**/find-others/?saved=1", timeout=SLOW)
    page.wait_for_selector("[data-qa=entries][data-state=described]", state="attached")
    expect(page.locator("[data-qa=entry-label]")).to_have_text("El verano")
    check_signed_in(page)
    entry = Entry.objects.get(owner=signed.user)
    page.goto(f"{base}{prefix}/find-others/entries/{entry.id}/")
    page.wait_for_selector("#entry-form:not([hidden])")
    check_signed_in(page)
    page.goto(f"{base}{prefix}/find-others/entries/{entry.id}/withdraw/")
    check_signed_in(page)


def assert_focus_not_under_the_exit_bar(page: Page) -> None:
    """What took focus is not hidden by the sticky quick-exit bar (WCAG 2.4.11): its start
    is in view just below the bar (a panel taller than the screen is read from its top)."""
    top, bottom, bar, screen = page.evaluate(
        """[document.activeElement.getBoundingClientRect().top,
            document.activeElement.getBoundingClientRect().bottom,
            document.querySelector('.quick-exit').getBoundingClientRect().bottom,
            window.innerHeight]"""
    )
    assert bottom > bar, f"{page.url}: the focused element is under the exit bar"
    assert top < screen, f"{page.url}: the focused element is below the screen"
    assert top >= bar, f"{page.url}: the focused element starts under the exit bar"


def test_a_counselor_opens_her_workspace_and_a_match(
    walker: tuple[Page, str], live_server: LiveServer
) -> None:
    page, prefix = walker
    base = live_server.url
    carol = User.objects.create_user(username="carolwalk", password="x", role=Role.COUNSELOR)
    testing.add_counselor_key(carol, KEY_PASSPHRASE)
    certify(carol)  # groups go only to counselors with a current staff certificate (ADR 0013)
    for name in ("alicewalk", "bobwalk"):
        survivor = User.objects.create_user(username=name, password="x")
        testing.verify(survivor)
        submit_with_python(survivor, ["email:jordan.walk@example.com"], f"what {name} wrote")
    group = MatchGroup.objects.get()
    client = Client()
    login_with_otp(client, carol)
    cookie = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])

    page.goto(base + prefix + "/counselor/")
    expect(page.locator("[data-qa=has-key]")).to_be_attached()
    check_signed_in(page, survivor=False)
    open_group_in_browser(page, base + prefix, group, KEY_PASSPHRASE)
    expect(page.locator("[data-qa=opened-entry]")).to_have_count(2)
    check_signed_in(page, survivor=False)
    member = group.members.order_by("id").first()
    assert member is not None
    page.goto(f"{base}{prefix}/counselor/groups/{group.id}/members/{member.id}/")
    check_signed_in(page, survivor=False)
