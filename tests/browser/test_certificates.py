"""The public certificate verify page, as an employer checking a certificate uses it: at
phone width, in English and Spanish, a valid certificate from the QR code's address, the
same with one character changed, an expired one, a revoked one, and one pasted by hand.
Nothing is sent elsewhere, the certificate never reaches the server, quick exit comes
first, and axe finds nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from mend.accounts.models import User
from mend.certificates import actions
from mend.certificates.models import Certificate
from tests.browser.conftest import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLOW = 15_000
WORDS = {
    "en": {
        "valid": "Valid. Mend issued this certificate and it is current.",
        "invalid": "Not valid. This is not a certificate Mend issued",
        "expired": "Expired. Mend issued this certificate, but it expired on",
        "revoked": "Revoked. Mend issued this certificate, but has since revoked it.",
        "check": "Check",
        "module": "trauma-basics (version 1)",
    },
    "es": {
        "valid": "Válido. Mend emitió este certificado y está vigente.",
        "invalid": "No válido. Este no es un certificado emitido por Mend",
        "expired": "Caducado. Mend emitió este certificado, pero caducó el",
        "revoked": "Revocado. Mend emitió este certificado, pero después lo revocó.",
        "check": "Comprobar",
        "module": "trauma-basics (versión 1)",
    },
}


def issue(name: str, days_ago: int = 0) -> Certificate:
    holder = User.objects.create_user(username=name.lower().replace(" ", ""), password="x")
    return actions.issue(
        holder=holder,
        name=name,
        path_id="police",
        path_title="Police and campus security",
        modules=[("trauma-basics", 1), ("first-response", 1)],
        now=timezone.now() - timedelta(days=days_ago),
    )


def tampered(compact: str) -> str:
    index = len(compact) // 2
    return compact[:index] + ("A" if compact[index] != "A" else "B") + compact[index + 1 :]


@pytest.fixture(params=["en", "es"])
def employer(
    request: pytest.FixtureRequest, browser: Browser, live_server: LiveServer
) -> Iterator[tuple[Page, str]]:
    lang = request.param
    context = browser.new_context(
        locale="es-ES" if lang == "es" else "en-US", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    ours = live_server.url + "/"
    elsewhere: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(ours) else elsewhere.append(r.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, lang
    assert elsewhere == [], f"requests to another origin: {elsewhere}"
    assert errors == [], f"the page reported errors: {errors}"
    context.close()


def verdict_is(page: Page, verdict: str, text: str) -> None:
    result = page.locator("[data-qa=verdict]")
    expect(result).to_have_attribute("data-verdict", verdict, timeout=SLOW)
    expect(result).to_contain_text(text)


def check_page(page: Page) -> None:
    first = page.locator("a, button, input, select, textarea").first
    assert first.get_attribute("data-qa") == "quick-exit"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_an_employer_checks_valid_changed_expired_and_revoked_certificates(
    employer: tuple[Page, str], live_server: LiveServer
) -> None:
    page, lang = employer
    words = WORDS[lang]
    valid = issue("Alice Learner")
    expired = issue("Bea Learner", days_ago=800)
    revoked = issue("Cara Learner")
    actions.do_revoke_certificate(revoked.id, "Issued in error", timezone.now())
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url + (r.post_data or "")))
    prefix = "/es" if lang == "es" else ""
    url = f"{live_server.url}{prefix}/certificates/verify/"

    page.goto(f"{url}#{valid.compact}")
    verdict_is(page, "valid", words["valid"])
    expect(page.locator("[data-field=name]")).to_have_text("Alice Learner")
    expect(page.locator("[data-field=modules]")).to_contain_text(words["module"])
    expect(page.locator("[data-qa=revocations]")).to_be_visible()
    check_page(page)

    page.evaluate("text => { location.hash = text; }", tampered(valid.compact))
    verdict_is(page, "invalid", words["invalid"])
    expect(page.locator("[data-qa=fields]")).to_be_hidden()
    check_page(page)

    page.evaluate("text => { location.hash = text; }", expired.compact)
    verdict_is(page, "expired", words["expired"])

    page.evaluate("text => { location.hash = text; }", revoked.compact)
    verdict_is(page, "revoked", words["revoked"])
    check_page(page)

    page.goto(url)
    page.fill("#certificate", f"  {valid.compact}\n")
    page.get_by_role("button", name=words["check"], exact=True).click()
    verdict_is(page, "valid", words["valid"])

    for certificate in (valid, expired, revoked):
        assert not any(certificate.compact in s for s in sent), "a certificate reached the server"


def test_she_opens_her_printable_certificate_and_its_qr_address_checks_it(
    employer: tuple[Page, str], live_server: LiveServer
) -> None:
    page, lang = employer
    certificate = issue("Alice Learner")
    client = Client()
    client.force_login(certificate.holder)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    prefix = "/es" if lang == "es" else ""
    page.goto(f"{live_server.url}{prefix}/certificates/{certificate.id}/")
    expect(page.locator("[data-qa=name]")).to_have_text("Alice Learner")
    expect(page.locator("[data-qa=modules]")).to_contain_text(WORDS[lang]["module"])
    expect(page.locator("svg.certificate-qr")).to_be_visible()
    check_page(page)
    page.emulate_media(media="print")
    expect(page.locator("[data-qa=quick-exit]")).to_be_hidden()
    expect(page.locator("[data-qa=compact]")).to_be_visible()
    page.emulate_media(media="screen")
    page.click("[data-qa=verify-link]")
    verdict_is(page, "valid", WORDS[lang]["valid"])
