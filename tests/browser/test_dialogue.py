"""The dialogue's stage-0 page in a real browser: axe clean in English and Spanish, on a
phone's width too, and the quick exit leaves it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# English on a phone, Spanish on a desktop: both languages, both widths, half the time.
@pytest.mark.parametrize(("path", "width"), [("/dialogue/", 390), ("/es/dialogue/", 1280)])
def test_the_information_page_has_no_accessibility_violations(
    page: Page, live_server: LiveServer, path: str, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(live_server.url + path)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_quick_exit_leaves_the_information_page(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/dialogue/")
    page.get_by_role("link", name="Exit this page").click()
    page.wait_for_url("https://www.bbc.co.uk/weather")
