"""The quick exit in a real browser (ARCHITECTURE section 6)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXIT_URL = "https://www.bbc.co.uk/weather"


def open_safety_page_after_a_blank_one(page: Page, live_server: LiveServer) -> None:
    page.goto("about:blank")
    page.goto(live_server.url + "/safety/")
    page.wait_for_function("document.readyState === 'complete'")
    page.evaluate("sessionStorage.setItem('mend-vault-key', 'secret')")


def test_it_exits_on_a_click_and_back_does_not_return(page: Page, live_server: LiveServer) -> None:
    open_safety_page_after_a_blank_one(page, live_server)
    page.get_by_role("link", name="Exit this page").click()
    page.wait_for_url(EXIT_URL)
    page.go_back()
    assert page.url == "about:blank"


def test_it_is_the_first_thing_the_keyboard_reaches(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.qa") == "quick-exit"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"


def test_it_exits_after_shift_pressed_three_times(page: Page, live_server: LiveServer) -> None:
    open_safety_page_after_a_blank_one(page, live_server)
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(EXIT_URL)
    page.go_back()
    assert page.url == "about:blank"


def test_it_wipes_session_storage_before_leaving(page: Page, live_server: LiveServer) -> None:
    open_safety_page_after_a_blank_one(page, live_server)
    page.get_by_role("link", name="Exit this page").click()
    page.wait_for_url(EXIT_URL)
    # sessionStorage lives as long as the tab: coming back to our origin in the same tab
    # would find the key again, had the exit not wiped it.
    page.goto(live_server.url + "/")
    assert page.evaluate("sessionStorage.getItem('mend-vault-key')") is None


def test_it_keeps_session_storage_when_leaving_normally(
    page: Page, live_server: LiveServer
) -> None:
    open_safety_page_after_a_blank_one(page, live_server)
    page.goto("https://example.org/")
    page.goto(live_server.url + "/")
    assert page.evaluate("sessionStorage.getItem('mend-vault-key')") == "secret"


def test_it_does_not_exit_when_shift_is_used_as_a_modifier(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(live_server.url + "/")
    field = page.locator("#home-place")
    field.click()
    field.press("Shift+A")
    field.press("Shift+B")
    field.press("Shift+C")
    page.wait_for_timeout(300)
    assert page.url == live_server.url + "/"
    assert field.input_value() == "ABC"


def test_it_does_not_exit_when_other_keys_come_between_shifts(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(live_server.url + "/")
    page.locator("#home-place").click()
    for key in ("Shift", "Shift", "a", "Shift"):
        page.keyboard.press(key)
    page.wait_for_timeout(300)
    assert page.url == live_server.url + "/"


def test_it_works_as_a_plain_link_without_javascript(
    browser: object, live_server: LiveServer
) -> None:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    context = browser.new_context(java_script_enabled=False)
    context.route("https://**", lambda route: route.fulfill(status=200, body="<title>ok</title>"))
    page = context.new_page()
    page.goto(live_server.url + "/es/")
    link = page.get_by_role("link", name="Salir de esta página")
    assert link.get_attribute("rel") == "noreferrer"
    link.click()
    page.wait_for_url("https://www.eltiempo.es/")
    context.close()


@pytest.mark.parametrize("path", ["/", "/safety/", "/es/", "/es/safety/"])
def test_it_finds_no_accessibility_violations(
    page: Page, live_server: LiveServer, path: str
) -> None:
    page.goto(live_server.url + path)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
