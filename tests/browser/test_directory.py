"""Find help in a real browser: search without JavaScript, "use my location" only when
asked, the results map, the service page, the print view, and axe-core (WCAG 2.2 AA) in
both languages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Geolocation, Page, expect
from pytest_django.live_server_helper import LiveServer

from mend.search import index
from mend.search.tests import factories as f
from tests.browser.conftest import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SPRINGFIELD: Geolocation = {"latitude": 39.7817, "longitude": -89.6501}


@pytest.fixture
def directory(live_server: LiveServer) -> dict[str, Any]:
    counselling = f.make_service(
        "Listening Counselling",
        translations={"es": {"name": "Escucha y apoyo", "description": "Habla con una consejera."}},
    )
    f.phone(counselling)
    f.weekly_hours(counselling)
    f.place(counselling)
    shelter = f.shelter()
    f.hotline("Night Line", area="Illinois")
    index.rebuild_search_index(now=timezone.now())
    return {"service": counselling, "shelter": shelter}


@pytest.fixture
def located(browser: Browser) -> Iterator[BrowserContext]:
    """A browser that has already been granted location (as after the person said yes)."""
    context = browser.new_context(
        locale="en-US", permissions=["geolocation"], geolocation=SPRINGFIELD
    )
    yield context
    context.close()


def test_it_searches_without_javascript(
    browser: Browser, live_server: LiveServer, directory: dict[str, Any]
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/help/")
    expect(page.get_by_role("button", name="Use my location")).to_be_hidden()
    page.get_by_label("Town, city or ZIP code (optional)").fill("Springfield, IL")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(
        page.get_by_role("heading", name="3 results within 40 km of Springfield, IL")
    ).to_be_visible()
    expect(page.locator("[data-qa=result]").first).to_contain_text("Listening Counselling")
    expect(page.locator("[data-qa=results]")).to_contain_text("Address kept private for safety")
    # The list is the whole page: the map needs JavaScript and stays hidden without it.
    expect(page.locator("[data-qa=result-list]")).to_be_visible()
    expect(page.locator("[data-qa=map]")).to_be_hidden()
    context.close()


def test_it_uses_my_location_only_when_asked(
    located: BrowserContext, live_server: LiveServer, directory: dict[str, Any]
) -> None:
    page = located.new_page()
    page.goto(live_server.url + "/help/")
    # Nothing is filled in (or asked for) until the button is pressed.
    assert page.locator("#id_lat").input_value() == ""
    page.get_by_role("button", name="Use my location").click()
    expect(page.locator("[data-qa=locate-status]")).to_contain_text("Using your location")
    assert page.locator("#id_lat").input_value() == "39.78"  # rounded to about 1 km
    assert page.locator("#id_lng").input_value() == "-89.65"
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="within 40 km of your location")).to_be_visible()
    expect(page.locator("[data-qa=where]").first).to_contain_text("km away")


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_it_maps_public_results_beside_the_list_with_nothing_from_elsewhere(
    context: BrowserContext,
    page: Page,
    live_server: LiveServer,
    directory: dict[str, Any],
    width: int,
    height: int,
) -> None:
    # Two more public places: one at the same address (its marker is set aside), one apart.
    f.place(f.make_service("Rights Desk", types=("legal-advice",)))
    f.place(f.make_service("Westside Clinic"), f.make_location(point=(39.75, -89.72)))
    index.rebuild_search_index(now=timezone.now())
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + "/help/?place=62701")
    expect(page.get_by_role("heading", name="5 results within 40 km")).to_be_visible()
    markers = page.locator("[data-qa=map-marker]")
    if width < 768:  # a phone: the map waits behind a button, below the list
        expect(markers).to_have_count(0)
        page.get_by_role("button", name="Show map").click()
        expect(page.get_by_role("button", name="Hide map")).to_have_attribute(
            "aria-expanded", "true"
        )
    expect(markers).to_have_count(3)  # the shelter and the phone line are not drawn
    names = sorted(markers.evaluate_all("ms => ms.map(m => m.getAttribute('aria-label'))"))
    assert [name.split(": ", 1)[1] for name in names] == [
        "Listening Counselling",
        "Rights Desk",
        "Westside Clinic",
    ]
    assert all(name.startswith("Map point ") for name in names)
    expect(page.locator("[data-map-badge]:visible")).to_have_count(3)  # numbers in the list

    list_box = page.locator("[data-qa=result-list]").bounding_box()
    map_box = page.locator("[data-qa=map-canvas]").bounding_box()
    assert list_box is not None
    assert map_box is not None
    if width < 768:
        assert map_box["y"] > list_box["y"] + list_box["height"] - 1  # below the list
    else:
        assert map_box["x"] > list_box["x"] + list_box["width"] - 1  # beside it
    assert map_box["width"] > 300

    # A marker is a focusable link; focusing it marks its result in the list.
    first = page.get_by_role("link", name="Map point 1: Listening Counselling")
    first.focus()
    expect(page.locator(".result--pointed")).to_contain_text("Listening Counselling")

    # (The drawn boundaries are long runs of digits: "39.85" occurs in them by chance, so
    # the page is searched without its SVG; the markers were counted and named above.)
    without_map = page.evaluate(
        """() => { const copy = document.documentElement.cloneNode(true);
        copy.querySelectorAll("svg").forEach((s) => s.remove()); return copy.outerHTML; }"""
    )
    assert "Harbour House" in without_map
    assert f.leaked_secrets(without_map) == []
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assert any(url.endswith("states-albers-10m.json") for url in requests)
    elsewhere = [url for url in requests if not url.startswith(live_server.url)]
    assert elsewhere == []
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Listening Counselling")


def test_it_opens_a_service_page_with_tap_to_call(
    page: Page, live_server: LiveServer, directory: dict[str, Any]
) -> None:
    page.goto(live_server.url + "/help/?place=62701")
    page.get_by_role("link", name="Listening Counselling", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Listening Counselling")
    expect(page.locator("[data-qa=call]").first).to_have_attribute("href", "tel:+12175550100")
    expect(page.locator("[data-qa=address]")).to_contain_text("100 Elm Street")


def test_it_prints_with_a_button_that_needs_javascript(
    page: Page, live_server: LiveServer, directory: dict[str, Any]
) -> None:
    page.goto(live_server.url + f"/help/service/{directory['service'].id}/")
    page.get_by_role("link", name="Print or save this page").click()
    expect(page.locator("[data-qa=print-button]")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("[data-qa=quick-exit-bar]")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text("Listening Counselling")


def test_the_shelter_page_keeps_its_address_private(
    page: Page, live_server: LiveServer, directory: dict[str, Any]
) -> None:
    page.goto(live_server.url + f"/help/service/{directory['shelter'].service_id}/")
    expect(page.locator("[data-qa=address-private]")).to_be_visible()
    assert f.leaked_secrets(page.content()) == []


# Each page in one language, English and Spanish by turns: both languages across them.
@pytest.mark.parametrize(
    ("which", "language"),
    [("search", ""), ("results", "/es"), ("service", "/es"), ("print", ""), ("error", "/es")],
)
def test_it_finds_no_accessibility_violations(
    page: Page, live_server: LiveServer, directory: dict[str, Any], language: str, which: str
) -> None:
    service_id = directory["service"].id
    path = {
        "search": "/help/",
        "results": "/help/?place=62701&type=counselling&type=safe-housing",
        "service": f"/help/service/{service_id}/",
        "print": f"/help/service/{service_id}/print/",
        "error": "/help/?place=Qwxyzville",
    }[which]
    page.goto(live_server.url + language + path)
    page.wait_for_function("document.readyState === 'complete'")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    if which == "error":  # a refused search lands her on what to change
        assert page.evaluate("document.activeElement.dataset.qa") == "error-summary"
