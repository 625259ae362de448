"""Right-to-left ready, as a browser lays the pages out.

Mend has no right-to-left language yet; its promise is that one would need only its
catalogue (README, Translations). So each public page is opened, its ``<html>`` turned to
``dir="rtl"`` as a right-to-left language's pages would be, and checked to mirror: the
quick exit moves to the left, the menu starts at the right, the form's fields keep their
full width, and no line is wider than the screen. ``mend/tests/test_right_to_left.py``
keeps physical sides out of the stylesheets; this test sees what they lay out.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from mend.search import index
from mend.search.tests import factories as f
from tests.browser.conftest import WIDTHS, walking

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = (
    "/",
    "/help/?place=62701",
    "/find-others/about/",
    "/dialogue/",
    "/leave/",
    "/training/",
    "/safety/",
    "/record/",
)

# Where each landmark's middle is, as a share of the screen's width (0 left, 1 right).
WHERE = """() => {
  const middle = (selector) => {
    const box = document.querySelector(selector).getBoundingClientRect();
    return (box.left + box.width / 2) / window.innerWidth;
  };
  return {
    exit: middle('[data-qa=quick-exit]'),
    menu: middle('.site-nav li'),
    heading: (() => {
      const range = document.createRange();
      range.selectNodeContents(document.querySelector('main h1'));
      const lines = range.getClientRects();
      const last = lines[lines.length - 1];
      return (last.left + last.width / 2) / window.innerWidth;
    })(),
    overflow: document.documentElement.scrollWidth - window.innerWidth,
  };
}"""


def layout(page: Page, direction: str) -> dict[str, Any]:
    page.evaluate(f"document.documentElement.dir = '{direction}'")
    return dict(page.evaluate(WHERE))


def test_every_public_page_mirrors_when_its_language_is_written_right_to_left(
    browser: Browser, live_server: LiveServer
) -> None:
    f.place(f.make_service("Listening Counselling"))
    index.rebuild_search_index(now=timezone.now())
    with walking(browser, live_server.url, "en", WIDTHS["phone"]) as page:
        for path in PAGES:
            page.goto(live_server.url + path)
            ltr = layout(page, "ltr")
            # The control: left to right, the exit is at the right and the menu starts left.
            assert ltr["exit"] > 0.5, f"{path}: {ltr}"
            assert ltr["menu"] < 0.5, f"{path}: {ltr}"
            rtl = layout(page, "rtl")
            assert rtl["exit"] < 0.5, f"{path}: the quick exit stayed right: {rtl}"
            assert rtl["menu"] > 0.5, f"{path}: the menu still starts left: {rtl}"
            # A heading's last line ends where the text starts: the right.
            assert rtl["heading"] > ltr["heading"], f"{path}: the heading did not move: {rtl}"
            assert rtl["overflow"] <= 0, f"{path} is {rtl['overflow']} px too wide"
