"""The quick exit in a real browser (ARCHITECTURE section 6)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from playwright.sync_api import BrowserContext, Page
from pytest_django.live_server_helper import LiveServer

from mend.accounts.models import User
from mend.test import make_persona
from tests.browser.conftest import axe_violations, describe, wait_until_signed_out

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


@pytest.fixture
def alice(context: BrowserContext, live_server: LiveServer) -> User:
    """A survivor signed in to this browser (her session cookie)."""
    user = make_persona("alice")
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
    return user


def exit_by(page: Page, how: str) -> None:
    """Press the exit as she would; then wait for the beacon to reach the server."""
    if how == "button":
        page.get_by_role("link", name="Exit this page").click()
    else:
        for _ in range(3):
            page.keyboard.press("Shift")
    page.wait_for_url(EXIT_URL)
    wait_until_signed_out(page)


def assert_signed_out(page: Page) -> None:
    assert page.locator("[data-qa=find-others-start] a[href^='/account/login/']").is_visible()
    assert page.locator("[data-qa=logout], [data-qa=entries], [data-qa^=notice]").count() == 0


@pytest.mark.parametrize("how", ["button", "shift"])
def test_it_signs_her_out_so_her_pages_ask_for_a_log_in_again(
    page: Page, live_server: LiveServer, alice: User, how: str
) -> None:
    page.goto("about:blank")
    page.goto(live_server.url + "/find-others/")
    assert page.url == live_server.url + "/find-others/"  # her page: she is signed in
    assert page.locator("[data-qa=logout]").is_visible()  # and can log out from it
    page.evaluate("sessionStorage.setItem('mend-vault-key', 'secret')")
    page.evaluate("localStorage.setItem('mend-anything', 'secret')")
    assert Session.objects.count() == 1
    exit_by(page, how)
    assert Session.objects.count() == 0
    # Typing the address again (the same tab, the same cookies) finds her signed out: the
    # public explanation with a log-in link, none of her notices or messages.
    page.goto(live_server.url + "/find-others/")
    assert_signed_out(page)
    assert page.evaluate("sessionStorage.length") == 0
    assert page.evaluate("localStorage.length") == 0
    page.go_back()
    assert page.url == EXIT_URL
    page.go_back()
    assert page.url == "about:blank"  # Back skips the page she left


def test_back_to_an_earlier_page_of_hers_finds_her_signed_out(
    page: Page, live_server: LiveServer, alice: User
) -> None:
    page.goto(live_server.url + "/find-others/")
    assert page.url == live_server.url + "/find-others/"
    page.goto(live_server.url + "/safety/")
    exit_by(page, "button")
    page.go_back()  # the safety page was replaced by the exit: Back goes to her page
    assert page.url == live_server.url + "/find-others/"
    assert_signed_out(page)


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


# Each page in one language, both languages between them.
@pytest.mark.parametrize("path", ["/", "/es/safety/"])
def test_it_finds_no_accessibility_violations(
    page: Page, live_server: LiveServer, path: str
) -> None:
    page.goto(live_server.url + path)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
