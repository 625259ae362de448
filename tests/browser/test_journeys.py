"""The public journeys, as a new visitor walks them, at desktop and phone widths, in
English and Spanish: the home page, a search near a place in her own words, a service
page, what "Find others, safely" is, and the safety page. Each page has its quick exit
first, loads nothing from elsewhere and has no axe violation (best practice included)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from mend.search import index
from mend.search.tests import factories as f
from tests.browser.conftest import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "phone": 390}
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
    context = browser.new_context(
        locale="es-ES" if lang == "es" else "en-US",
        viewport={"width": WIDTHS[width], "height": 900},
    )
    page = context.new_page()
    elsewhere: list[str] = []
    ours = live_server.url + "/"
    page.on("request", lambda r: None if r.url.startswith(ours) else elsewhere.append(r.url))
    yield page, lang
    assert elsewhere == [], f"requests to another origin: {elsewhere}"
    context.close()


def check(page: Page) -> None:
    first = page.locator("a, button, input, select, textarea").first
    assert first.get_attribute("data-qa") == "quick-exit"
    violations = axe_violations(page)
    assert violations == [], describe(violations)


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
