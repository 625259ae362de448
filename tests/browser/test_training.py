"""Training end to end in Chromium, at phone width (390 px), in English and Spanish.

Nadia joins her police department with the one-time code her administrator gave her,
reads a module, fails a knowledge check once and passes it after the review, passes the
second module, and sees her path completed. Olivia, the department's administrator, signs
in, sees Nadia's progress on her dashboard, makes invitation codes and downloads the CSV.
Every page is checked with axe (WCAG 2.2 AA and best practice), has the quick exit first,
loads nothing from elsewhere, and works by plain form posts (no page script is needed).

The content is the two fixture modules of mend/training/tests/content.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from mend.training import actions
from mend.training.models import Attempt, Completion, Membership, Organisation
from mend.training.tests.base import FIXTURES, fixture_content, make_learner
from mend.training.tests.helpers import answer_form
from tests.browser.conftest import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTENT = fixture_content()
PASSPHRASE = f"harbour lantern {uuid.uuid4().hex[:6]} meadow"
WORDS = {
    "en": {
        "join": "Join",
        "code": "Invitation code from your organisation",
        "username": "Choose a username",
        "name": "Your name as it should appear on your certificates",
        "passphrase": "Choose a passphrase (at least 12 characters)",
        "module": "Listening when someone tells you",
        "start": "Start the knowledge check",
        "submit": "Submit my answers",
        "retry": "Try again with new questions",
        "passed": "You passed this module.",
        "complete": "You have passed every module of this path.",
        "path": "First responders (test path)",
    },
    "es": {
        "join": "Unirme",
        "code": "Código de invitación de tu organización",
        "username": "Elige un nombre de usuario",
        "name": "Tu nombre tal como debe aparecer en tus certificados",
        "passphrase": "Elige una frase de contraseña (al menos 12 caracteres)",
        "module": "Escuchar cuando alguien te lo cuenta",
        "start": "Empezar la prueba de conocimientos",
        "submit": "Enviar mis respuestas",
        "retry": "Intentarlo de nuevo con preguntas nuevas",
        "passed": "Has aprobado este módulo.",
        "complete": "Has aprobado todos los módulos de este itinerario.",
        "path": "Primera respuesta (ruta de prueba)",
    },
}


@pytest.fixture(autouse=True)
def fixture_content_settings(settings: Any) -> None:
    settings.TRAINING_CONTENT_DIR = FIXTURES
    settings.LOCALE_PATHS = [FIXTURES / "locale"]
    settings.TRAINING_CHECK_ITEMS = 8


@pytest.fixture
def phone(browser: Browser, live_server: LiveServer) -> Iterator[Callable[[str], Page]]:
    """Opens a phone-sized page in a language; checks afterwards that it went nowhere else."""
    opened: list[tuple[BrowserContext, list[str], list[str]]] = []

    def open_page(lang: str) -> Page:
        context = browser.new_context(
            locale="es-ES" if lang == "es" else "en-US", viewport={"width": 390, "height": 844}
        )
        page = context.new_page()
        elsewhere: list[str] = []
        errors: list[str] = []
        ours = live_server.url + "/"
        page.on("request", lambda r: None if r.url.startswith(ours) else elsewhere.append(r.url))
        page.on("pageerror", lambda error: errors.append(str(error)))
        opened.append((context, elsewhere, errors))
        return page

    yield open_page
    for context, elsewhere, errors in opened:
        context.close()
        assert elsewhere == [], f"requests to another origin: {elsewhere}"
        assert errors == [], f"the page reported errors: {errors}"


def check(page: Page) -> None:
    """Quick exit first, no axe violation, nothing wider than the phone."""
    first = page.locator("a, button, input, select, textarea").first
    assert first.get_attribute("data-qa") == "quick-exit"
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the phone"


def answer(page: Page, attempt: Attempt, *, wrong: int = 0) -> None:
    """Fill the check's form: every item right, except the first ``wrong`` ones."""
    module = CONTENT.modules[attempt.module_id]
    for name, values in answer_form(module, attempt, wrong=wrong).items():
        field = page.locator(f"[name='{name}']")
        if field.first.evaluate("element => element.tagName") == "SELECT":
            field.select_option(values[0])
        else:
            for value in values:
                page.check(f"input[name='{name}'][value='{value}']")


def take_check(page: Page, words: dict[str, str], *, wrong: int = 0) -> None:
    page.get_by_role("button", name=words["start"]).click()
    attempt_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    attempt = Attempt.objects.get(pk=attempt_id)
    expect(page.locator("[data-qa=check-item]")).to_have_count(8)
    check(page)
    answer(page, attempt, wrong=wrong)
    page.get_by_role("button", name=words["submit"]).click()
    expect(page.locator("[data-qa=result]")).to_be_visible()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_learner_joins_with_a_code_and_completes_a_path_on_her_phone(
    phone: Callable[[str], Page], live_server: LiveServer, lang: str
) -> None:
    page = phone(lang)
    words = WORDS[lang]
    prefix = live_server.url + ("/es" if lang == "es" else "")
    organisation = Organisation.objects.create(name="Springfield Police", created_at=timezone.now())
    [code] = actions.do_issue_invitations(organisation, None, 1, as_admin=False, now=timezone.now())

    page.goto(prefix + "/training/join/")
    check(page)
    page.get_by_label(words["code"]).fill(code.lower())
    page.get_by_label(words["username"]).fill(f"nadia{lang}")
    page.get_by_label(words["name"]).fill("Nadia R.")
    page.get_by_label(words["passphrase"]).fill(PASSPHRASE)
    page.get_by_role("button", name=words["join"], exact=True).click()
    expect(page.locator("[data-qa=learner-bar]")).to_contain_text("Nadia R.")
    check(page)

    page.get_by_role("link", name=words["path"]).click()
    check(page)
    page.get_by_role("link", name=words["module"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["module"])
    check(page)

    take_check(page, words, wrong=2)  # 6 of 8: not passed; the review is shown
    expect(page.locator("[data-qa=result]")).to_have_attribute("data-passed", "false")
    expect(page.locator("[data-qa=reviewed-item][data-right=false]")).to_have_count(2)
    check(page)
    page.get_by_role("button", name=words["retry"]).click()
    attempt_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    attempt = Attempt.objects.get(pk=attempt_id)
    check(page)
    answer(page, attempt)
    page.get_by_role("button", name=words["submit"]).click()
    expect(page.locator("[data-qa=result]")).to_contain_text(words["passed"])

    page.goto(prefix + "/training/modules/referral/")
    take_check(page, words)
    expect(page.locator("[data-qa=result]")).to_have_attribute("data-passed", "true")

    page.goto(prefix + "/training/paths/first-responders/")
    expect(page.locator("[data-qa=path-complete]")).to_contain_text(words["complete"])
    check(page)
    completion = Completion.objects.get(learner__username=f"nadia{lang}")
    assert completion.modules == [["listening", 1], ["referral", 1]]
    assert Attempt.objects.filter(learner__username=f"nadia{lang}").count() == 3


def test_an_administrator_sees_her_learners_and_invites_more(
    phone: Callable[[str], Page], live_server: LiveServer
) -> None:
    page = phone("en")
    organisation = Organisation.objects.create(name="Springfield Police", created_at=timezone.now())
    olivia = make_learner("olivia", organisation, admin=True)
    nadia = make_learner("nadia", organisation)
    other = Organisation.objects.create(name="Shelbyville Hospital", created_at=timezone.now())
    make_learner("otto", other)
    module = CONTENT.modules["listening"]
    attempt = actions.do_start_check(nadia, module, timezone.now())
    actions.do_submit_check(attempt, module, answer_form(module, attempt), timezone.now(), CONTENT)

    page.goto(live_server.url + "/training/login/")
    check(page)
    page.get_by_label("Username").fill("olivia")
    page.get_by_label("Passphrase").fill("olivia-passphrase-long")
    page.get_by_role("button", name="Sign in").click()
    page.locator("[data-qa=dashboard-link]").click()
    rows = page.locator("[data-qa=learner-row]")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Nadia Example")
    expect(rows.nth(0)).to_contain_text("1/2")
    expect(page.locator("[data-qa=learners]")).not_to_contain_text("Otto")
    check(page)

    with page.expect_download() as download:
        page.locator("[data-qa=csv-link]").click()
    text = download.value.path().read_text(encoding="utf-8")
    assert "nadia" in text
    assert "otto" not in text

    page.get_by_label("How many codes").fill("2")
    page.get_by_role("button", name="Make invitation codes").click()
    expect(page.locator("[data-qa=codes] li")).to_have_count(2)
    check(page)
    assert olivia.training_membership.organisation_id == organisation.id
    assert organisation.invitations.count() == 2


def test_a_learner_corrects_the_name_on_her_certificates_with_the_keyboard(
    phone: Callable[[str], Page], live_server: LiveServer
) -> None:
    page = phone("en")
    organisation = Organisation.objects.create(name="Springfield Police", created_at=timezone.now())
    lena = make_learner("lena", organisation)

    page.goto(live_server.url + "/training/login/")
    page.get_by_label("Username").fill("lena")
    page.get_by_label("Passphrase").fill("lena-passphrase-long")
    page.get_by_role("button", name="Sign in").click()
    page.locator("[data-qa=name-link]").click()
    field = page.get_by_label("The name to print on your certificate")
    expect(field).to_have_value("Lena Example")
    check(page)

    field.fill("   ")
    page.locator("[data-qa=save-name]").click()  # refused: focus goes to what to correct
    summary = page.locator("[data-qa=error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Write the name to print on your certificate.")
    expect(field).to_have_attribute("aria-invalid", "true")
    check(page)
    page.keyboard.press("Tab")  # the summary's link to the field, then the field itself
    page.keyboard.press("Enter")
    expect(field).to_be_focused()
    page.keyboard.type("Lena Márquez")
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/training/")
    expect(page.locator("[data-qa=learner-bar]")).to_contain_text("Lena Márquez")
    assert Membership.objects.get(user=lena).name == "Lena Márquez"
