"""Survivor leave in the browser, at desktop and phone widths, in English and Spanish:
the checker answers on the page (the issue's Ontario and New Zealand cases), the letter is
written on the page from the checker's own answer (no request carries what she chose or
typed) and downloads as a PDF, and the employer's policy builder writes a policy. Without
JavaScript neither form can be sent at all. Quick exit first, axe clean, nothing from
elsewhere. A signed-in survivor loses nothing when her session ends (the letter waits
locked in the tab until she logs in again), and on a phone no control she tabs to is
hidden under the pinned quick-exit bar."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import Browser, BrowserContext, Page, Request, expect
from pytest_django.live_server_helper import LiveServer

from mend.vault.models import Record
from tests.browser.conftest import (
    PASSPHRASE,
    SLOW,
    Signed,
    check_survivor_page,
    sign_up,
)
from tests.browser.leaks import Wire, assert_not_leaked, encodings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "phone": 390}
WORDS = {
    "en": {
        "prefix": "",
        "covered": "The law where you work gives you this leave.",
        "not_covered": "The leave law here does not cover what happened to you.",
        "paid": "5 paid days",
        "weeks": "up to 15 unpaid weeks",
        "not_advice": "This is information, not legal advice.",
        "confidential": "Please keep this request confidential, as the law requires.",
        "ten_paid": "10 paid days a year",
        "ask_nz": "I am writing to request leave starting December 7, 2026.",
        "without_law": "The letter asks for time off and cites no law",
        "believe": "I believe I qualify for this leave.",
    },
    "es": {
        "prefix": "/es",
        "covered": "La ley de donde trabajas te da este permiso.",
        "not_covered": "La ley de permisos de aquí no cubre lo que te pasó.",
        "paid": "5 días pagados",
        "weeks": "hasta 15 semanas sin pago",
        "not_advice": "Esto es información, no asesoría legal.",
        "confidential": (
            "Te pido que mantengas esta solicitud en confidencialidad, como exige la ley."
        ),
        "ten_paid": "10 días pagados al año",
        "ask_nz": "Le escribo para solicitar un permiso a partir del 7 de diciembre de 2026.",
        "without_law": "La carta pide tiempo libre sin citar ninguna ley",
        "believe": "Considero que reúno los requisitos para este permiso.",
    },
}
# What she types in the letter: canaries that must never reach the server.
HER_NAME = "Valentina Quillfeather-Oduya"
RECIPIENT = "Marguerite Obsidianne"


@pytest.fixture(params=[(lang, width) for lang in WORDS for width in WIDTHS])
def visitor(
    request: pytest.FixtureRequest, browser: Browser, live_server: LiveServer
) -> Iterator[tuple[Page, str, Wire]]:
    lang, width = request.param
    context = browser.new_context(
        locale="es-ES" if lang == "es" else "en-US",
        viewport={"width": WIDTHS[width], "height": 900},
        accept_downloads=True,
    )
    page = context.new_page()
    wire = Wire()
    elsewhere: list[str] = []
    ours = live_server.url + "/"

    def watch(r: Request) -> None:
        wire.record(r)
        if not r.url.startswith(ours):
            elsewhere.append(r.url)

    page.on("request", watch)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, lang, wire
    assert elsewhere == [], f"requests to another origin: {elsewhere}"
    assert errors == [], f"the page reported errors: {errors}"
    context.close()


# Quick exit first, axe clean, nothing wider than the screen: the shared check. (It reads
# the page from the top only because of axe's own limit with sticky bars, axe-core#3720;
# that the bar hides no control she reaches is proved below, by keyboard, at 390 px.)
check = check_survivor_page


def ask(page: Page, code: str, harm: str) -> None:
    page.select_option("[data-qa=jurisdiction]", code)
    page.fill("[data-qa=months]", "6")
    page.select_option("[data-qa=size]", "25-49")
    page.check(f"[data-qa=harm-{harm}]")
    page.check("[data-qa=purpose-counselling]")
    page.click("[data-qa=check]")


def test_the_checker_answers_ontario_and_new_zealand_on_the_page(
    visitor: tuple[Page, str, Wire], live_server: LiveServer
) -> None:
    page, lang, wire = visitor
    words = WORDS[lang]
    page.goto(f"{live_server.url}{words['prefix']}/leave/")
    check(page)
    before = len(wire.bodies)
    ask(page, "CA-ON", "sexual_assault")
    expect(page.locator("[data-qa=answer-title]")).to_have_text(words["covered"])
    amounts = page.locator("[data-qa=answer-amounts]")
    expect(amounts).to_contain_text(words["paid"])
    expect(amounts).to_contain_text(words["weeks"])
    expect(page.locator("[data-qa=answer-law]")).to_contain_text("s. 49.7")
    check(page)
    ask(page, "NZ", "sexual_assault")
    expect(page.locator("[data-qa=answer-title]")).to_have_text(words["not_covered"])
    expect(page.locator("[data-qa=answer-routes]")).to_be_visible()
    expect(page.locator("[data-qa=not-advice]")).to_have_text(words["not_advice"])
    check(page)
    # The rules were fetched once, with nothing of hers in the request.
    asked = wire.bodies[before:]
    assert [url.split("?")[0] for url, _ in asked] == [f"{live_server.url}/api/v1/leave/rules"]
    assert all(body == b"" for _, body in asked)


def test_the_letter_is_written_on_the_page_and_downloads_as_a_pdf(
    visitor: tuple[Page, str, Wire], live_server: LiveServer
) -> None:
    page, lang, wire = visitor
    words = WORDS[lang]
    page.goto(f"{live_server.url}{words['prefix']}/leave/letter/")
    check(page)
    page.select_option("[data-qa=jurisdiction]", "CA-ON")
    page.fill("[data-qa=months]", "14")
    page.check("[data-qa=harm-sexual_assault]")
    page.fill("[data-qa=your-name]", HER_NAME)
    page.fill("[data-qa=to]", RECIPIENT)
    page.fill("[data-qa=start]", "2026-12-07")
    page.fill("[data-qa=days]", "3")
    page.check("[data-qa=tone-formal]")
    page.click("[data-qa=write]")
    letter = page.locator("[data-qa=letter-text]")
    expect(page.locator("[data-qa=letter]")).to_have_attribute("data-outcome", "covered")
    expect(letter).to_contain_text("Employment Standards Act, 2000, s. 49.7")
    expect(letter).to_contain_text(HER_NAME)
    expect(letter).to_contain_text(words["confidential"])
    check(page)
    with page.expect_download() as download:
        page.click("[data-qa=pdf]")
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-1.4")
    assert HER_NAME.encode("latin-1").hex().upper().encode() in pdf
    for url, body in wire.bodies:
        for secret in (HER_NAME, RECIPIENT):
            for form in encodings(secret):
                assert form not in body, f"{secret!r} sent in the body of {url}"
                assert form.decode("latin-1") not in url, f"{secret!r} sent in {url}"


def write(page: Page, code: str, harm: str | None = None, months: str | None = None) -> None:
    page.select_option("[data-qa=jurisdiction]", code)
    if months is not None:
        page.fill("[data-qa=months]", months)
    if harm is not None:
        page.check(f"[data-qa=harm-{harm}]")
    page.fill("[data-qa=start]", "2026-12-07")
    page.check("[data-qa=tone-formal]")
    page.click("[data-qa=write]")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_letter_asks_only_for_what_the_checker_says_she_has(
    browser: Browser, live_server: LiveServer, lang: str
) -> None:
    context = browser.new_context(locale="es-ES" if lang == "es" else "en-US")
    page = context.new_page()
    words = WORDS[lang]
    page.goto(f"{live_server.url}{words['prefix']}/leave/letter/")
    questions = page.locator("[data-ask]")
    expect(questions.locator("visible=true")).to_have_count(0)  # none before she chooses
    letter = page.locator("[data-qa=letter-text]")
    status = page.locator("[data-qa=letter-status]")
    # New Zealand's leave covers family violence only: the checker says "not covered", so
    # the letter asks for time off and names neither that leave nor its law.
    page.select_option("[data-qa=jurisdiction]", "NZ")
    expect(page.locator("[data-qa=size]")).to_be_hidden()  # no size threshold in NZ
    write(page, "NZ", harm="harassment", months="14")
    expect(page.locator("[data-qa=letter]")).to_have_attribute("data-outcome", "not_covered")
    expect(letter).to_contain_text(words["ask_nz"])
    for told in ("Holidays Act", "72A", "violen", "entitled", "derecho"):
        expect(letter).not_to_contain_text(told)
    expect(status).to_contain_text(words["not_covered"])
    expect(status).to_contain_text(words["without_law"])
    # Ontario may cover harassment alone: she asks under s. 49.7 and believes she qualifies.
    write(page, "CA-ON", harm="harassment", months="14")
    expect(page.locator("[data-qa=letter]")).to_have_attribute("data-outcome", "may_be_covered")
    expect(letter).to_contain_text("s. 49.7")
    expect(letter).to_contain_text(words["believe"])
    expect(letter).not_to_contain_text("entitled")
    # Great Britain has no such law: what happened is not even asked.
    page.select_option("[data-qa=jurisdiction]", "GB-GBN")
    expect(questions.locator("visible=true")).to_have_count(0)
    context.close()


def test_the_policy_builder_writes_the_strictest_policy(
    visitor: tuple[Page, str, Wire], live_server: LiveServer
) -> None:
    page, lang, _wire = visitor
    words = WORDS[lang]
    page.goto(f"{live_server.url}{words['prefix']}/leave/policy/")
    check(page)
    page.check("input[value=CA-ON]")
    page.check("input[value=NZ]")
    page.click("[data-qa=build]")
    expect(page.locator("[data-qa=clause-paid-days]")).to_contain_text(words["ten_paid"])
    expect(page.locator("[data-qa=clause-paid-days]")).to_contain_text("ss. 72A-72N")
    check(page)
    with page.expect_download() as download:
        page.click("[data-qa=pdf]")
    assert download.value.path().read_bytes().startswith(b"%PDF-1.4")


def test_the_table_of_rules_reads_at_every_width(
    visitor: tuple[Page, str, Wire], live_server: LiveServer
) -> None:
    page, lang, _wire = visitor
    page.goto(f"{live_server.url}{WORDS[lang]['prefix']}/leave/rules/")
    expect(page.locator("[data-qa=rule-CA-ON]")).to_contain_text("s. 49.7")
    expect(page.locator("[data-qa=open-data] a").first).to_have_attribute(
        "href", "/leave/rules.json"
    )
    check(page)


def test_a_survivor_saves_the_letter_to_her_record_locked(
    page: Page, live_server: LiveServer
) -> None:
    wire = Wire()
    page.on("request", wire.record)
    base = live_server.url
    sign_up(page, base, f"letter{uuid.uuid4().hex[:6]}")
    page.goto(f"{base}/leave/letter/")
    page.select_option("[data-qa=jurisdiction]", "US-WA")
    page.check("[data-qa=harm-sexual_assault]")
    page.fill("[data-qa=your-name]", HER_NAME)
    page.fill("[data-qa=start]", "2026-12-07")
    page.click("[data-qa=write]")
    expect(page.locator("[data-qa=letter-text]")).to_contain_text("RCW 49.76")
    page.click("[data-qa=save]")
    expect(page.locator("[data-qa=letter-status]")).to_have_text(
        "The letter was saved to your record.", timeout=SLOW
    )
    page.goto(f"{base}/record/")
    page.wait_for_selector("[data-qa=record-list][data-state=ready]", state="attached")
    expect(page.locator("[data-qa=record]")).to_contain_text("Request for leave")
    assert_not_leaked(wire, [HER_NAME, PASSPHRASE], "saving the letter")


def test_her_device_time_zone_suggests_where_she_works(
    browser: Browser, live_server: LiveServer
) -> None:
    context = browser.new_context(locale="en-NZ", timezone_id="Pacific/Auckland")
    page = context.new_page()
    page.goto(f"{live_server.url}/leave/")
    expect(page.locator("[data-qa=jurisdiction]")).to_have_value("NZ")
    expect(page.locator("[data-qa=suggested]")).to_be_visible()
    context.close()


def test_the_checker_names_what_is_missing_and_goes_to_it(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(f"{live_server.url}/leave/")
    page.click("[data-qa=check]")
    expect(page.locator("[data-qa=checker-error]")).to_have_text("Please choose where you work.")
    expect(page.locator("[data-qa=jurisdiction]")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("[data-qa=jurisdiction]")).to_be_focused()
    # Said on the field itself, for a screen reader (page.markInvalid).
    described = page.get_attribute("[data-qa=jurisdiction]", "aria-describedby") or ""
    error_id = page.get_attribute("[data-qa=checker-error]", "id")
    assert error_id
    assert described.split()[0] == error_id, (described, error_id)
    page.select_option("[data-qa=jurisdiction]", "CA-ON")
    page.fill("[data-qa=months]", "6")
    page.click("[data-qa=check]")
    expect(page.locator("[data-qa=checker-error]")).to_have_text(
        "Please choose what happened, the closest of the four."
    )
    expect(page.locator("[data-qa=jurisdiction]")).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("[data-qa=answer]")).to_be_hidden()


# --- Without JavaScript nothing she chooses or types is sent -----------------------------


def test_without_javascript_neither_form_can_be_sent(
    browser: Browser, live_server: LiveServer
) -> None:
    """The buttons are rendered disabled (only the page scripts enable them): a click does
    nothing, and Enter in a field does nothing either (HTML's implicit submission clicks the
    form's default button, which is disabled). Before, each form posted to its own page."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sent: list[Request] = []
    page.on("request", lambda request: sent.append(request))
    base = live_server.url

    def carried() -> list[str]:
        """Requests that carry anything: a form sent, by POST or in a URL."""
        return [
            f"{r.method} {r.url}" for r in sent if r.method != "GET" or r.post_data or "?" in r.url
        ]

    def sends_nothing(fields: list[str], button: str) -> None:
        for field in fields:
            page.press(f"[data-qa={field}]", "Enter")
            page.wait_for_timeout(300)  # a navigation, had one started, would have by now
            assert carried() == [], f"Enter in {field} sent the form"
        page.click(f"[data-qa={button}]", force=True)  # disabled: the browser ignores it
        page.wait_for_timeout(300)
        assert carried() == [], f"{button} sent the form"

    page.goto(f"{base}/leave/")
    expect(page.locator("[data-qa=needs-script]")).to_be_visible()
    page.select_option("[data-qa=jurisdiction]", "CA-ON")
    page.fill("[data-qa=months]", "14")
    page.check("[data-qa=harm-sexual_assault]")
    page.check("[data-qa=purpose-legal]")
    sends_nothing(["months", "harm-sexual_assault", "purpose-legal"], "check")
    expect(page.locator("[data-qa=harm-sexual_assault]")).to_be_checked()  # nothing lost
    page.goto(f"{base}/leave/letter/")
    expect(page.locator("[data-qa=needs-script]")).to_be_visible()
    page.select_option("[data-qa=jurisdiction]", "CA-ON")
    page.fill("[data-qa=your-name]", HER_NAME)
    page.fill("[data-qa=to]", RECIPIENT)
    page.fill("[data-qa=start]", "2026-12-07")
    page.fill("[data-qa=days]", "3")
    sends_nothing(["your-name", "to", "start", "days", "tone-warm"], "write")
    expect(page.locator("[data-qa=your-name]")).to_have_value(HER_NAME)
    # Only the two pages were asked for (and their files), none with anything of hers.
    pages = [(r.method, r.url) for r in sent if r.is_navigation_request()]
    assert pages == [("GET", f"{base}/leave/"), ("GET", f"{base}/leave/letter/")]
    context.close()


# --- Nothing is lost when her session ends (the vault's idle clock and draft) ------------

LETTER_DRAFT = "sessionStorage.getItem('mend-vault-draft:leave-letter')"
IDLE = 600  # seconds; the page warns VAULT_IDLE_WARNING_SECONDS (120) before the end


def write_letter(page: Page, base: str) -> None:
    page.goto(f"{base}/leave/letter/")
    page.select_option("[data-qa=jurisdiction]", "CA-ON")
    page.fill("[data-qa=months]", "14")
    page.check("[data-qa=harm-sexual_assault]")
    page.fill("[data-qa=your-name]", HER_NAME)
    page.fill("[data-qa=to]", RECIPIENT)
    page.fill("[data-qa=start]", "2026-12-07")
    page.check("[data-qa=tone-formal]")
    page.click("[data-qa=write]")
    expect(page.locator("[data-qa=letter-text]")).to_contain_text(HER_NAME)


def assert_kept_locked(page: Page) -> None:
    """On the log-in page: the letter waits in the tab, locked; the key is gone."""
    expect(page.locator("[data-qa=draft-kept]")).to_be_visible()
    kept = page.evaluate(LETTER_DRAFT)
    assert kept is not None
    for form in encodings(HER_NAME) + encodings(RECIPIENT):
        assert form.decode("latin-1") not in kept
    assert page.evaluate("sessionStorage.getItem('mend-vault-key')") is None


def log_in_and_save(page: Page, signed_in: Signed) -> None:
    """She logs in again, is back on the letter page, finds it as she left it, saves it."""
    page.fill("#username", signed_in.survivor.username)
    page.fill("#passphrase", PASSPHRASE)
    page.click("[data-qa=login]")
    status = page.locator("[data-qa=letter-status]")
    expect(status).to_contain_text("Your letter is back", timeout=SLOW)
    assert page.url.endswith("/leave/letter/")
    expect(page.locator("[data-qa=your-name]")).to_have_value(HER_NAME)
    expect(page.locator("[data-qa=to]")).to_have_value(RECIPIENT)
    expect(page.locator("[data-qa=tone-formal]")).to_be_checked()
    expect(page.locator("[data-qa=harm-sexual_assault]")).to_be_checked()
    letter = page.locator("[data-qa=letter-text]")
    expect(letter).to_contain_text(f"Dear {RECIPIENT},")
    expect(letter).to_contain_text("Employment Standards Act, 2000, s. 49.7")
    page.click("[data-qa=save]")
    expect(status).to_have_text("The letter was saved to your record.", timeout=SLOW)
    assert page.evaluate(LETTER_DRAFT) is None


def test_a_save_after_her_session_ended_keeps_the_letter_until_she_logs_in_and_saves(
    context: BrowserContext, page: Page, live_server: LiveServer, signed_in: Signed
) -> None:
    wire = Wire()
    context.on("request", wire.record)
    write_letter(page, live_server.url)
    Session.objects.all().delete()  # her session ended on the server, unseen by the page
    page.click("[data-qa=save]")
    page.wait_for_url("**/account/login/?next=%2Fleave%2Fletter%2F")
    assert_kept_locked(page)
    assert Record.objects.filter(owner=signed_in.user).count() == 1  # the one she had
    log_in_and_save(page, signed_in)
    letters = Record.objects.filter(owner=signed_in.user).exclude(id=signed_in.record.id)
    assert [r.current_version for r in letters] == [1]
    assert_not_leaked(wire, [HER_NAME, RECIPIENT, PASSPHRASE], "saving after a sign-out")


def test_the_idle_sign_out_keeps_her_letter_locked_in_the_tab_until_she_logs_in(
    context: BrowserContext,
    page: Page,
    live_server: LiveServer,
    signed_in: Signed,
    settings: Any,
) -> None:
    settings.VAULT_IDLE_SECONDS = IDLE
    wire = Wire()
    context.on("request", wire.record)
    page.clock.install()
    write_letter(page, live_server.url)
    page.clock.fast_forward((IDLE + 1) * 1000)  # she walked away; no warning answered
    page.wait_for_url("**/account/login/?timeout=1&next=%2Fleave%2Fletter%2F", timeout=SLOW)
    assert_kept_locked(page)
    assert page.request.get(live_server.url + "/api/v1/vault/records").status == 401
    log_in_and_save(page, signed_in)
    assert Record.objects.filter(owner=signed_in.user).count() == 2
    assert_not_leaked(wire, [HER_NAME, RECIPIENT, PASSPHRASE], "the idle sign-out")


# --- The sticky quick-exit bar never hides the control she reaches -----------------------

# The focused control's box and the bar's, as the person sees them.
UNDER_THE_BAR = """() => {
  const bar = document.querySelector(".quick-exit").getBoundingClientRect();
  const box = document.activeElement.getBoundingClientRect();
  return {qa: document.activeElement.dataset.qa || document.activeElement.outerHTML.slice(0, 80),
          top: box.top, bottom: box.bottom, barBottom: bar.bottom,
          room: window.innerHeight - bar.bottom};
}"""


def walk_back_up(page: Page) -> int:
    """From the last control on the page, Shift+Tab up through every one of them: each,
    as it takes focus, is in full view below the pinned quick-exit bar (WCAG 2.4.11; the
    scroll-padding in mend.css is what keeps it there). Returns how many were checked."""
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    controls = page.locator(
        "main a:visible, main button:visible, main input:visible, "
        "main select:visible, main textarea:visible, main [tabindex='0']"
    )
    controls.last.focus()
    checked = 0
    while page.evaluate("document.activeElement.closest('main') !== null"):
        seen = page.evaluate(UNDER_THE_BAR)
        if seen["bottom"] - seen["top"] <= seen["room"]:
            assert seen["top"] >= seen["barBottom"] - 1, f"{page.url}: {seen} is under the bar"
        else:  # taller than the screen below the bar (the scrolling table): in view there
            assert seen["bottom"] > seen["barBottom"] + 44, f"{page.url}: {seen} is hidden"
        checked += 1
        page.keyboard.press("Shift+Tab")
    return checked


@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_control_she_tabs_to_is_hidden_under_the_quick_exit_bar_on_a_phone(
    browser: Browser, live_server: LiveServer, lang: str
) -> None:
    context = browser.new_context(
        locale="es-ES" if lang == "es" else "en-US", viewport={"width": 390, "height": 700}
    )
    page = context.new_page()
    base = f"{live_server.url}{WORDS[lang]['prefix']}"
    page.goto(f"{base}/leave/")
    ask(page, "CA-ON", "sexual_assault")
    expect(page.locator("[data-qa=answer-law]")).to_contain_text("s. 49.7")
    assert walk_back_up(page) > 10
    page.goto(f"{base}/leave/letter/")
    page.select_option("[data-qa=jurisdiction]", "CA-ON")
    page.fill("[data-qa=months]", "14")
    page.check("[data-qa=harm-sexual_assault]")
    page.fill("[data-qa=start]", "2026-12-07")
    page.click("[data-qa=write]")
    expect(page.locator("[data-qa=letter-text]")).to_contain_text("s. 49.7")
    assert walk_back_up(page) > 8
    page.goto(f"{base}/leave/policy/?j=CA-ON&j=NZ&j=US-NY")
    expect(page.locator("[data-qa=clause-paid-days]")).to_be_visible()
    assert walk_back_up(page) > 10
    page.goto(f"{base}/leave/rules/")
    assert walk_back_up(page) > 29
    context.close()
