"""A counselor earns her certificate in Training with her staff account, on her phone: her
workspace sends her to her path, she chooses the name to print on it before her first
check, and takes the check. The real curriculum (the staff paths are not among the
fixtures of test_training.py). Persona: carol, a counselor with no certificate yet.
"""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from mend.accounts.models import Role, User
from mend.certificates.paths import COUNSELOR_PATH
from mend.test import login_with_otp
from mend.training import curriculum
from mend.training.models import Attempt, Membership
from tests.browser.test_training import check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {"name": "The name to print on your certificate", "empty": "Write the name to print"},
    "es": {
        "name": "El nombre que se imprimirá en tu certificado",
        "empty": "Escribe el nombre que se imprimirá",
    },
}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_counselor_goes_from_her_workspace_to_her_path_and_names_herself_before_a_check(
    browser: Browser, live_server: LiveServer, lang: str
) -> None:
    carol = User.objects.create_user(
        username=f"carol{lang}", password="carol-passphrase", role=Role.COUNSELOR
    )
    client = Client()
    login_with_otp(client, carol)
    context = browser.new_context(
        locale="es-ES" if lang == "es" else "en-US", viewport={"width": 390, "height": 844}
    )
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    elsewhere: list[str] = []
    context.on(
        "request",
        lambda r: None if r.url.startswith(live_server.url + "/") else elsewhere.append(r.url),
    )
    page = context.new_page()
    prefix = live_server.url + ("/es" if lang == "es" else "")
    words = WORDS[lang]

    page.goto(prefix + "/counselor/")
    page.locator("[data-qa=training-link]").click()
    expect(page).to_have_url(f"{prefix}/training/paths/{COUNSELOR_PATH}/")
    expect(page.locator("[data-qa=your-path]")).to_be_visible()
    check(page)

    first = curriculum.current().paths[COUNSELOR_PATH].modules[0]
    page.goto(f"{prefix}/training/modules/{first}/")
    page.locator("[data-qa=start-check]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["name"])
    check(page)
    page.locator("[data-qa=save-name]").click()  # nothing written: a clear error, no change
    expect(page.locator("[data-qa=name-form]")).to_contain_text(words["empty"])
    # Focus is taken to the error summary, whose link leads to the field to correct.
    expect(page.locator("[data-qa=error-summary]")).to_be_focused()
    expect(page.locator("[data-qa=error-summary]")).to_contain_text(words["empty"])
    check(page)
    page.locator("[data-qa=error-summary] a").click()
    expect(page.get_by_label(words["name"])).to_be_focused()
    assert not Membership.objects.filter(user=carol).exists()

    page.get_by_label(words["name"]).fill("Carol Rivera")
    page.locator("[data-qa=save-name]").click()
    expect(page).to_have_url(f"{prefix}/training/modules/{first}/")
    expect(page.locator("[data-qa=staff-bar]")).to_contain_text("Carol Rivera")
    page.locator("[data-qa=start-check]").click()
    expect(page.locator("[data-qa=check-item]").first).to_be_visible()
    check(page)
    assert Attempt.objects.filter(learner=carol, module_id=first).count() == 1
    assert Membership.objects.get(user=carol).name == "Carol Rivera"
    context.close()
    assert elsewhere == [], f"requests to another origin: {elsewhere}"
