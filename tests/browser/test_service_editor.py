"""An editor signs in with her one-time code, opens a demo service, finds its parts in
the sections she thinks in, and sees an HSDS problem next to the field it concerns,
with nothing saved. The change list tells her which services have problems."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from mend.accounts.actions import do_create_staff
from mend.accounts.models import Role
from mend.directory.actions import do_load_demo
from mend.directory.models import Service
from mend.test import NOW
from tests.browser.conftest import axe_violations, current_code, describe, fill_staff_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSPHRASE = "erin's long staff passphrase"
SECTIONS = (
    "Who",
    "Where",
    "When",
    "Cost",
    "Eligibility",
    "Languages",
    "Accessibility",
    "Contacts",
)


def a_demo_service_with_a_place() -> Service:
    services = Service.objects.filter(service_at_locations__isnull=False, phones__isnull=False)
    service = services.distinct().order_by("name").first()
    assert service is not None
    return service


def test_an_editor_edits_a_service_in_sections_with_the_hsds_checks_inline(
    page: Page, live_server: LiveServer
) -> None:
    do_load_demo(now=NOW)
    service = a_demo_service_with_a_place()
    email = service.email
    staff = do_create_staff("erin", Role.EDITOR, PASSPHRASE)
    fill_staff_login(page, live_server.url, "erin", PASSPHRASE, current_code(staff.device))
    page.wait_for_url(live_server.url + "/staff/admin/")

    page.goto(live_server.url + "/staff/admin/directory/service/?q=" + service.name)
    link = page.locator(f"a[href^='/staff/admin/directory/service/{service.pk}/change/']")
    row = page.locator("#result_list tr", has=link)
    expect(row.locator("td.field-hsds_checks")).to_have_text("No problems")
    link.click()
    form = page.locator("#service_form")
    for name in SECTIONS:
        expect(form.get_by_role("heading", name=name, exact=True)).to_be_visible()
    place = service.service_at_locations.get().location
    place_link = page.locator("[data-qa=section-where]").get_by_role("link", name=str(place))
    place_url = f"/staff/admin/directory/location/{place.pk}/change/"
    expect(place_link).to_have_attribute("href", place_url)
    expect(page.locator("[data-qa=section-when] #schedules-group")).to_be_visible()
    assert_whole_page_accessible(page)

    page.fill("#id_email", "help.example.org")
    page.click("input[name=_continue]")
    error = page.locator("[data-qa=section-contacts] .field-email .errorlist")
    expect(error).to_have_text("'help.example.org' is not an email address")
    expect(page.locator(".errornote")).to_be_visible()
    assert_whole_page_accessible(page)
    service.refresh_from_db()
    assert service.email == email


def assert_whole_page_accessible(page: Page) -> None:
    # The whole admin page, not only the sections: the directory's inline tables label
    # their controls (LabelledFormSet) and headers (its tabular.html), so none is excused.
    violations = axe_violations(page)
    assert violations == [], describe(violations)
