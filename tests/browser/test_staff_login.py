"""Staff sign in to the admin with a passphrase and a one-time code, through a plain form.

A plain form POST is also the canary for the referrer policy: under "no-referrer"
Chromium sends `Origin: null`, and Django's CSRF check would refuse every form on the site.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from mend.accounts.actions import do_create_staff
from mend.accounts.models import Role
from tests.browser.conftest import current_code, fill_staff_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSPHRASE = "erin's long staff passphrase"


def fill_login(page: Page, live_server: LiveServer, code: str) -> None:
    fill_staff_login(page, live_server.url, "erin", PASSPHRASE, code)


def test_it_lets_an_editor_in_with_a_one_time_code(page: Page, live_server: LiveServer) -> None:
    staff = do_create_staff("erin", Role.EDITOR, PASSPHRASE)
    fill_login(page, live_server, current_code(staff.device))
    page.wait_for_url(live_server.url + "/staff/admin/")
    assert page.locator("h1").first.inner_text() == "Site administration"


def test_it_refuses_a_wrong_one_time_code(page: Page, live_server: LiveServer) -> None:
    staff = do_create_staff("erin", Role.EDITOR, PASSPHRASE)
    wrong = f"{(int(current_code(staff.device)) + 1) % 10**6:06d}"
    fill_login(page, live_server, wrong)
    note = page.locator(".errornote")
    note.wait_for()  # the form comes back with the error; the admin is not reached
    assert page.url == live_server.url + "/staff/admin/login/"
    # One message for every failure: it does not say that only the code was wrong.
    assert "do not match a staff account" in note.inner_text()
