"""The facilitator's and the supervisor's dialogue pages in a real browser.

Frank leads a case with his staff key: he compares fingerprints and vouches for both
parties, assesses, hands out an invitation code, screens (returns, approves, rejects),
writes the plan, records a missed item and closes; in a second case a refused
acknowledgment stops everything. The survivor and the responsible person are played by the
Python twin (mend.crypto.dialogue). After every step the whole database and every request
body are searched for the canary words typed or sealed. A supervisor sees stage, dates and
flags only; a facilitator of another case gets 404 everywhere.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from mend.accounts import actions as account_actions
from mend.accounts.models import Role, User
from mend.certificates.testing import certify
from mend.crypto import endorsement
from mend.dialogue import actions
from mend.dialogue.models import (
    Assessment,
    Case,
    EarlierKey,
    Invitation,
    Item,
    Participant,
    PartyRole,
    PlanItem,
    StopRecord,
    SupervisionSession,
)
from mend.dialogue.stages import Stage
from mend.dialogue.tests.helpers import keys_for, submit_as_browser, wrapped_secret
from mend.escrow import actions as escrow_actions
from mend.escrow import testing as escrow_testing
from mend.escrow import trust
from mend.escrow.models import CounselorKey
from mend.test import login_with_otp
from mend.vault.testing import Survivor, recovery_auth
from tests.browser.conftest import PASSPHRASE, SLOW, axe_violations, describe
from tests.browser.leaks import Wire, assert_not_leaked

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RUN = uuid.uuid4().hex[:8]
KEY_PASSPHRASE = f"harbour lantern {RUN} thistle"
CANARY_ASSESSMENT = f"CANARY-ASSESS-{RUN}"
CANARY_ACK = f"CANARY-ACK-{RUN}"
CANARY_PLAN = f"CANARY-PLAN-{RUN}"
CANARY_MESSAGE = f"CANARY-MSG-{RUN}"
SECRETS = [CANARY_ASSESSMENT, CANARY_ACK, CANARY_PLAN, CANARY_MESSAGE]


# --- the people ---------------------------------------------------------------------------------


@dataclass
class People:
    frank: User  # lead facilitator, certified, with a staff key
    sophie: User  # supervisor
    gail: User  # facilitator of another case
    alice: User  # survivor


def staff(name: str, role: str) -> User:
    user = User.objects.create_user(f"{name}{RUN}", password="unused", role=role)
    if role == Role.FACILITATOR:
        certify(user)
    return user


@pytest.fixture
def people() -> People:
    frank = staff("frank", Role.FACILITATOR)
    # His staff key, endorsed in the staff chain (ADR 0007) as the operator does the first.
    escrow_testing.add_counselor_key(frank, KEY_PASSPHRASE)
    alice = User.objects.create_user(f"alice{RUN}", password="unused", role=Role.SURVIVOR)
    return People(frank, staff("sophie", Role.SUPERVISOR), staff("gail", Role.FACILITATOR), alice)


def consented_case(people: People, *, assign: bool = True) -> Case:
    """alice asks and consents, and her key is registered; sophie gives the case to frank
    (unless the test has her do it on her page)."""
    now = timezone.now()
    survivor = actions.do_open_case(people.alice, now)
    actions.do_give_consent(survivor, actions.CONSENT_VERSION, now)
    if assign:
        actions.do_assign_facilitator(
            people.sophie, survivor.case, people.frank, PartyRole.LEAD, now
        )
    register(survivor, "alice")
    return survivor.case


def register(participant: Participant, name: str) -> None:
    """Her (his) browser registers a dialogue key (the Python twin's)."""
    keys = keys_for(name)
    material = actions.KeyMaterial(
        keys.box.public_key, keys.signing_public_key, wrapped_secret(keys, participant.id)
    )
    actions.do_register_key(participant, material)


def write(author: Participant, name: str, kind: str, text: str, **extra: Any) -> Item:
    """An item the Python twin seals as the author's browser does."""
    seed = keys_for(name).seed
    return submit_as_browser(author, seed, kind, text.encode(), timezone.now(), **extra)


def payload(text: str) -> str:
    """What a party's browser seals: a JSON object with the text (dialogue/case.js)."""
    return '{"text": "' + text + '"}'


def join_with(code: str) -> Participant:
    """He signs up with the code the lead handed him (the sign-up's Python twin)."""
    ross = Survivor(f"ross{RUN}", PASSPHRASE)
    account = actions.NewAccount(
        ross.username,
        ross.vault_id,
        account_actions.VaultKeyMaterial(ross.keys.auth_key, ross.params, ross.wrapped_vk()),
        account_actions.RecoveryMaterial(
            recovery_auth(ross.recovery_key), ross.recovery_wrapped_vk()
        ),
    )
    part = actions.do_join_with_invitation(code, account, timezone.now())
    register(part, "ross")
    return part


# --- the browsers -------------------------------------------------------------------------------


@pytest.fixture
def wire() -> Wire:
    return Wire()


@dataclass
class Tab:
    page: Page
    base: str
    errors: list[str]
    elsewhere: list[str]


@pytest.fixture
def tabs(browser: Browser, live_server: LiveServer, wire: Wire) -> Iterator[Any]:
    opened: list[Tab] = []

    def open_as(user: User, lang: str = "en", width: int = 1280) -> Tab:
        client = Client()
        login_with_otp(client, user)
        context = browser.new_context(
            locale="es-ES" if lang == "es" else "en-US", viewport={"width": width, "height": 900}
        )
        base = live_server.url
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
        )
        tab = Tab(context.new_page(), base + ("/es" if lang == "es" else ""), [], [])
        context.on("request", wire.record)
        context.on(
            "request",
            lambda r: None if r.url.startswith(base + "/") else tab.elsewhere.append(r.url),
        )
        tab.page.on("pageerror", lambda error: tab.errors.append(str(error)))
        opened.append(tab)
        return tab

    yield open_as
    for tab in opened:
        tab.page.context.close()
    for tab in opened:
        assert tab.errors == [], f"a page reported errors: {tab.errors}"
        assert tab.elsewhere == [], f"requests to another origin: {tab.elsewhere}"


def check(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {describe(violations)}"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow} px wider than the screen"


def open_case(tab: Tab, case: Case) -> None:
    """She opens the case page and unlocks her staff key, by keyboard."""
    tab.page.goto(f"{tab.base}/dialogue/staff/{case.id}/")
    tab.page.focus("#unlock-passphrase")
    tab.page.keyboard.type(KEY_PASSPHRASE)
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_selector("#case-work:not([hidden])", timeout=SLOW)


def act(tab: Tab, selector: str, *, expect_error: bool = False, keyboard: bool = False) -> str:
    """Click (or focus and press Enter), then wait until the page has drawn the case again
    (or said why not)."""
    before = tab.page.get_attribute("#case-work", "data-refreshed")
    if keyboard:
        tab.page.focus(selector)
        tab.page.keyboard.press("Enter")
    else:
        tab.page.click(selector)
    if expect_error:
        tab.page.wait_for_selector("#case-error:not([hidden])", timeout=SLOW)
        return tab.page.inner_text("#case-error")
    tab.page.wait_for_selector(
        f"#case-work:not([data-refreshed='{before}']), #case-error:not([hidden])", timeout=SLOW
    )
    error = tab.page.locator("#case-error")
    assert error.is_hidden(), f"{selector}: {error.inner_text()}"
    return tab.page.inner_text("#case-status")


def refresh(tab: Tab) -> None:
    act(tab, "[data-qa=refresh]")


def stage_of(case: Case) -> tuple[int, str]:
    case.refresh_from_db()
    return case.stage, case.state


def read_aloud(name: str) -> str:
    """The fingerprint a party played by the Python twin reads to the lead."""
    keys = keys_for(name)
    return endorsement.fingerprint(keys.box.public_key, keys.signing_public_key)


def vouch(tab: Tab, party: Participant, name: str, spoken: str = "") -> None:
    """He reads his fingerprint aloud; she compares it with the page's, then vouches."""
    spoken = spoken or read_aloud(name)
    row = tab.page.locator(f"[data-qa=party-{party.role}]")
    assert row.locator("[data-qa=fingerprint]").inner_text() == spoken
    row.locator("[data-qa=compared]").focus()
    tab.page.keyboard.press("Space")
    act(tab, f"[data-qa=party-{party.role}] [data-qa=vouch]", keyboard=True)
    assert tab.page.evaluate("document.activeElement.id") == "parties-heading"
    party.refresh_from_db()
    assert party.key_statement is not None


def assessed_and_invited(frank: Tab, case: Case, wire: Wire) -> Participant:
    """Stages 1 to 3 in her browser: advance, vouch for her, assess, advance, invite; he
    joins with the code she handed over and she vouches for him."""
    survivor = Participant.objects.get(case=case, role=PartyRole.SURVIVOR)
    act(frank, "[data-qa=advance]")
    assert stage_of(case) == (Stage.ASSESSMENT, "active")
    vouch(frank, survivor, "alice")
    frank.page.fill("#q-hopes", f"To be heard. {CANARY_ASSESSMENT}")
    frank.page.fill("#q-support", "Her sister")
    frank.page.check("[data-check=no_support]")
    act(frank, "[data-qa=assessment-button]")
    assessment = Assessment.objects.get(item__case=case)
    assert (assessment.subject, assessment.decision) == ("survivor", "proceed")
    assert frank.page.locator("[data-qa=assessment-record]").count() == 1
    assert_not_leaked(wire, SECRETS, "the assessment")

    act(frank, "[data-qa=advance]")
    assert stage_of(case) == (Stage.FEASIBILITY, "active")
    act(frank, "[data-qa=invite]")
    code = frank.page.inner_text("[data-qa=invitation-code]").strip()
    assert Invitation.objects.filter(case=case, used_at=None).count() == 1
    assert_not_leaked(wire, [code], "the invitation (only a keyed hash is kept)")
    ross = join_with(code)
    refresh(frank)
    vouch(frank, ross, "ross")
    return ross


# --- the walk -----------------------------------------------------------------------------------


def test_a_lead_facilitator_walks_a_case_to_closure_and_no_word_reaches_the_server(
    people: People, tabs: Any, wire: Wire
) -> None:
    case = consented_case(people, assign=False)
    survivor = Participant.objects.get(case=case, role=PartyRole.SURVIVOR)
    sophie = tabs(people.sophie)
    sophie.page.goto(f"{sophie.base}/dialogue/supervision/")
    sophie.page.fill("[data-qa=assign-username]", people.frank.username)
    sophie.page.select_option("[data-qa=assign] select", "lead")
    sophie.page.click("[data-qa=assign-button]")
    sophie.page.wait_for_selector(".message--success")
    check(sophie.page)
    assert Participant.objects.get(case=case, role=PartyRole.LEAD).user == people.frank

    frank = tabs(people.frank)
    frank.page.goto(f"{frank.base}/dialogue/staff/")
    check(frank.page)
    frank.page.click("[data-qa=staff-case-link]")
    frank.page.wait_for_selector("[data-qa=unlock]")
    check(frank.page)
    open_case(frank, case)
    lead = Participant.objects.get(case=case, role=PartyRole.LEAD)
    assert lead.box_public_key is not None  # her case key, registered from her staff key

    ross = assessed_and_invited(frank, case, wire)
    first = write(ross, "ross", "acknowledgment", payload(f"It was not so bad. {CANARY_ACK}"))
    refresh(frank)
    pending = frank.page.locator("[data-qa=pending-item]")
    assert CANARY_ACK in pending.locator("[data-qa=item-text]").inner_text()
    pending.locator("[data-qa=return-reason]").select_option("minimises")
    act(frank, "[data-qa=pending-item] [data-qa=return]")
    first.refresh_from_db()
    assert (first.screening, first.return_reason) == ("returned", "minimises")

    second = write(
        ross,
        "ross",
        "acknowledgment",
        payload(f"I did it, and it harmed her. {CANARY_ACK}"),
        revision=2,
        replaces=first.id,
    )
    refresh(frank)
    assert frank.page.locator("[data-qa=pending-item] [data-qa=history]").count() == 1
    check(frank.page)  # the queue, its revision history and the return reasons
    act(frank, "[data-qa=pending-item] [data-qa=approve]", keyboard=True)
    # The queue is drawn again: the keyboard's focus is on its heading, not lost.
    assert frank.page.evaluate("document.activeElement.id") == "screening-heading"
    second.refresh_from_db()
    assert second.screening == "approved"
    assert second.reader_keys.filter(reader=survivor).exists()  # sealed to her on approval
    assert_not_leaked(wire, SECRETS, "screening the acknowledgment")

    act(frank, "[data-qa=advance]")
    act(frank, "[data-qa=advance]")
    assert stage_of(case) == (Stage.EXCHANGE, "active")
    message = write(ross, "ross", "message", payload(f"Please forgive me. {CANARY_MESSAGE}"))
    refresh(frank)
    act(frank, "[data-qa=pending-item] [data-qa=reject]")
    message.refresh_from_db()
    assert message.screening == "rejected"
    assert not message.reader_keys.filter(reader=survivor).exists()

    act(frank, "[data-qa=advance]")
    assert stage_of(case) == (Stage.PLAN, "active")
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    frank.page.select_option("#plan-kind", "apology")
    frank.page.fill("#plan-what", f"A written apology. {CANARY_PLAN}")
    frank.page.fill("#plan-due", due)
    frank.page.fill("#plan-verify", "The facilitator reads it first")
    act(frank, "[data-qa=plan-button]")
    frank.page.select_option("#plan-kind", "training")
    frank.page.select_option("#plan-module", "restorative")
    frank.page.fill("#plan-what", "Complete the module and its knowledge check")
    frank.page.fill("#plan-due", due)
    frank.page.fill("#plan-verify", "Mend's certificate")
    act(frank, "[data-qa=plan-button]")
    plans = list(PlanItem.objects.filter(item__case=case).order_by("kind"))
    assert [(p.kind, p.due_on) for p in plans] == [
        ("apology", date.fromisoformat(due)),
        ("training", date.fromisoformat(due)),
    ]
    assert "11. Alternative and restorative resolution" in frank.page.inner_text("[data-qa=plan]")
    assert_not_leaked(wire, SECRETS, "the plan")

    for plan in plans:
        actions.do_answer_plan_item(survivor, plan, True)  # she accepts both
    refresh(frank)
    act(frank, "[data-qa=advance]")
    assert stage_of(case) == (Stage.MONITORING, "active")
    act(frank, "[data-qa=completed] >> nth=0")
    act(frank, "[data-qa=missed]")  # the only open one left
    outcomes = sorted(p.outcome for p in PlanItem.objects.filter(item__case=case))
    assert outcomes == ["completed", "missed"]

    act(frank, "[data-qa=advance]")
    case.refresh_from_db()
    assert (case.stage, case.state, case.closure_reason) == (Stage.CLOSURE, "closed", "completed")
    assert frank.page.inner_text("[data-qa=stage]") == "Closed"
    check(frank.page)
    assert_not_leaked(wire, SECRETS, "closing")

    sophie.page.goto(f"{sophie.base}/dialogue/supervision/")
    listed = sophie.page.inner_text("[data-qa=supervised-case]")
    assert "Closed" in listed
    assert "Completed" in listed
    for word in (*SECRETS, people.alice.username, people.frank.username, ross.user.username):
        assert word not in sophie.page.content()
    check(sophie.page)

    gail = tabs(people.gail)
    for path in (f"/dialogue/staff/{case.id}/", "/dialogue/supervision/"):
        response = gail.page.goto(gail.base + path)
        assert response is not None, path
        assert response.status == 404, path
    api = gail.page.request.get(f"{gail.base}/api/v1/dialogue/cases/{case.id}/items")
    assert api.status == 404


def test_without_an_approved_acknowledgment_the_case_cannot_go_on(
    people: People, tabs: Any, wire: Wire
) -> None:
    case = consented_case(people)
    frank = tabs(people.frank)
    open_case(frank, case)
    ross = assessed_and_invited(frank, case, wire)
    write(ross, "ross", "acknowledgment", payload(f"She wanted it. {CANARY_ACK}"))
    refresh(frank)
    act(frank, "[data-qa=pending-item] [data-qa=reject]")
    told = act(frank, "[data-qa=advance]", expect_error=True)
    assert "The case cannot go on" in told
    assert stage_of(case) == (Stage.FEASIBILITY, "active")
    frank.page.select_option("#stop-rule", "no_acknowledgment")
    frank.page.check("[data-qa=stop-end]")
    act(frank, "[data-qa=stop-button]")
    case.refresh_from_db()
    assert (case.state, case.closure_reason) == ("closed", "responsible_declined")
    assert StopRecord.objects.get(case=case).rule == "no_acknowledgment"
    assert frank.page.locator("[data-qa=advance]").is_hidden()
    assert_not_leaked(wire, SECRETS, "the refused acknowledgment")


# English at 1280 px is the walk above; one Spanish phone covers both other axes.
@pytest.mark.parametrize(("lang", "width"), [("es", 390)])
def test_the_case_page_is_axe_clean_and_translated_on_a_phone_and_in_spanish(
    people: People, tabs: Any, lang: str, width: int
) -> None:
    case = consented_case(people)
    survivor = Participant.objects.get(case=case, role=PartyRole.SURVIVOR)
    frank = tabs(people.frank, lang, width)
    frank.page.goto(f"{frank.base}/dialogue/staff/")
    check(frank.page)
    open_case(frank, case)
    act(frank, "[data-qa=advance]")
    check(frank.page)  # her key, the parties before she vouches, the assessment form
    vouch(frank, survivor, "alice")
    frank.page.check("[data-qa=decision-defer]")
    check(frank.page)  # with the rule to choose
    if lang == "es":
        text = frank.page.inner_text("main")
        assert "Evaluación de preparación y seguridad" in text
        assert "Avalaste esta clave." in text
        assert "Readiness" not in text
    sophie = tabs(people.sophie, lang, width)
    sophie.page.goto(f"{sophie.base}/dialogue/supervision/")
    check(sophie.page)
    # A refused assignment: what she typed stays, its error next to it, focus on the field.
    sophie.page.fill("[data-qa=assign-username]", "nobody")
    sophie.page.click("[data-qa=assign-button]")
    sophie.page.wait_for_selector("[data-qa=assign-username][aria-invalid=true]")
    assert sophie.page.evaluate("document.activeElement.dataset.qa") == "assign-username"
    assert sophie.page.input_value("[data-qa=assign-username]") == "nobody"
    check(sophie.page)
    # The supervision log: she records frank's session of today (the day the form offers).
    sophie.page.click("[data-qa=supervision-log-link]")
    check(sophie.page)
    sophie.page.fill("[data-qa=session-username]", people.frank.username)
    sophie.page.press("[data-qa=session-username]", "Enter")
    sophie.page.wait_for_selector("main .message--success")
    assert SupervisionSession.objects.get().facilitator == people.frank
    check(sophie.page)
    if lang == "es":
        assert "La sesión quedó registrada." in sophie.page.inner_text("main")


def shared_with_co(people: People, tabs: Any, wire: Wire) -> tuple[Case, Tab, Participant]:
    """frank assesses alice; hana joins as co-facilitator late, and once frank has vouched
    for her key his browser shares the earlier assessment with her. Returns the case,
    hana's tab and her part."""
    case = consented_case(people)
    survivor = Participant.objects.get(case=case, role=PartyRole.SURVIVOR)
    frank = tabs(people.frank)
    open_case(frank, case)
    act(frank, "[data-qa=advance]")
    vouch(frank, survivor, "alice")
    frank.page.fill("#q-hopes", f"To be heard. {CANARY_ASSESSMENT}")
    act(frank, "[data-qa=assessment-button]")
    note = Item.objects.get(case=case, kind="assessment")

    hana = staff("hana", Role.FACILITATOR)
    pair = escrow_testing.add_counselor_key(hana, KEY_PASSPHRASE)
    signing = endorsement.signing_public_key(endorsement.signing_seed(pair.secret_key))
    actions.do_assign_facilitator(people.sophie, case, hana, PartyRole.CO, timezone.now())
    hana_tab = tabs(hana)
    open_case(hana_tab, case)
    co = Participant.objects.get(case=case, role=PartyRole.CO)
    record = hana_tab.page.locator("[data-qa=assessment-record]")
    assert CANARY_ASSESSMENT not in record.inner_text()  # not sealed to her yet

    refresh(frank)
    vouch(frank, co, "hana", endorsement.fingerprint(pair.public_key, signing))
    told = act(frank, "[data-qa=share]")
    assert "1 earlier items" in told
    assert note.reader_keys.filter(reader=co).exists()
    refresh(hana_tab)
    hana_tab.page.click("[data-qa=assessment-record] summary")
    assert CANARY_ASSESSMENT in hana_tab.page.inner_text("[data-qa=assessment-record]")
    assert_not_leaked(wire, SECRETS, "sharing with the co-facilitator")
    return case, hana_tab, co


def test_a_co_facilitator_who_joins_late_reads_earlier_items_once_the_lead_shares_them(
    people: People, tabs: Any, wire: Wire
) -> None:
    shared_with_co(people, tabs, wire)


def test_when_the_lead_is_taken_off_the_co_facilitator_leads_and_still_reads_what_he_wrote(
    people: People, tabs: Any, wire: Wire
) -> None:
    case, hana, co = shared_with_co(people, tabs, wire)
    sophie = tabs(people.sophie)
    sophie.page.goto(f"{sophie.base}/dialogue/supervision/")
    sophie.page.click("[data-qa=take-off] summary")
    check(sophie.page)  # the form, open
    sophie.page.fill("[data-qa=take-off-username]", people.frank.username)
    sophie.page.click("[data-qa=take-off-button]")
    sophie.page.wait_for_selector(".message--success")
    assert "vouches for the parties' keys again" in sophie.page.inner_text("main")
    co.refresh_from_db()
    assert co.role == PartyRole.LEAD
    open_case(hana, case)
    hana.page.click("[data-qa=assessment-record] summary")
    assert CANARY_ASSESSMENT in hana.page.inner_text("[data-qa=assessment-record]")
    former = hana.page.locator("[data-qa=party-former]")
    assert former.locator("[data-qa=former]").is_visible()
    assert former.locator("[data-qa=vouch]").count() == 0
    survivor = Participant.objects.get(case=case, role=PartyRole.SURVIVOR)
    assert survivor.key_statement is None  # frank's statement went with him
    vouch(hana, survivor, "alice")
    check(hana.page)
    frank = tabs(people.frank)
    response = frank.page.goto(f"{frank.base}/dialogue/staff/{case.id}/")
    assert response is not None
    assert response.status == 404
    assert_not_leaked(wire, SECRETS, "the lead taken off")


def test_a_facilitator_whose_staff_key_was_retired_makes_a_new_one_in_her_browser_first(
    people: People, tabs: Any, wire: Wire
) -> None:
    # Assigned while her key was vouched for (a supervisor can assign no one else); an
    # admin then retired it (she lost its passphrase): the case page offers a new key.
    ines = staff("ines", Role.FACILITATOR)
    escrow_testing.add_counselor_key(ines)
    survivor = actions.do_open_case(people.alice, timezone.now())
    actions.do_give_consent(survivor, actions.CONSENT_VERSION, timezone.now())
    now = timezone.now()
    actions.do_assign_facilitator(people.sophie, survivor.case, ines, PartyRole.LEAD, now)
    retired = CounselorKey.objects.get(counselor=ines, active=True)
    escrow_actions.do_retire_counselor_key(retired, None)
    tab = tabs(ines)
    tab.page.goto(f"{tab.base}/dialogue/staff/{survivor.case_id}/")
    tab.page.wait_for_selector("[data-qa=make-key]:not([hidden])")
    assert tab.page.locator("[data-qa=unlock]").is_hidden()
    check(tab.page)
    tab.page.fill("#key-passphrase", KEY_PASSPHRASE)
    tab.page.fill("#key-passphrase-again", KEY_PASSPHRASE)
    tab.page.click("#make-key button[type=submit]")
    tab.page.wait_for_selector("[data-qa=unlock]:not([hidden])", timeout=SLOW)
    assert CounselorKey.objects.filter(counselor=ines, active=True).count() == 1
    open_case(tab, survivor.case)
    lead = Participant.objects.get(case=survivor.case, role=PartyRole.LEAD)
    assert lead.box_public_key is not None
    assert_not_leaked(wire, [KEY_PASSPHRASE], "making and using her staff key")


def test_a_lead_whose_staff_key_was_retired_after_it_became_the_case_key_registers_her_new_one(
    people: People, tabs: Any, wire: Wire
) -> None:
    # Her staff key is the case key; an admin then retires it (lost or compromised), she
    # makes a new one, and the case page registers it in its place once a counselor vouched.
    ines = staff("ines", Role.FACILITATOR)
    escrow_testing.add_counselor_key(ines, KEY_PASSPHRASE)
    survivor = actions.do_open_case(people.alice, timezone.now())
    actions.do_give_consent(survivor, actions.CONSENT_VERSION, timezone.now())
    now = timezone.now()
    actions.do_assign_facilitator(people.sophie, survivor.case, ines, PartyRole.LEAD, now)
    tab = tabs(ines)
    open_case(tab, survivor.case)
    lead = Participant.objects.get(case=survivor.case, role=PartyRole.LEAD)
    first = CounselorKey.objects.get(counselor=ines, active=True)
    assert bytes(lead.box_public_key or b"") == bytes(first.public_key)
    escrow_actions.do_retire_counselor_key(first, None)
    tab.page.goto(f"{tab.base}/dialogue/staff/{survivor.case_id}/")
    tab.page.wait_for_selector("[data-qa=make-key]:not([hidden])")
    tab.page.fill("#key-passphrase", KEY_PASSPHRASE)
    tab.page.fill("#key-passphrase-again", KEY_PASSPHRASE)
    tab.page.click("#make-key button[type=submit]")
    tab.page.wait_for_selector("[data-qa=unlock]:not([hidden])", timeout=SLOW)
    new = CounselorKey.objects.get(counselor=ines, active=True)
    # Nobody vouched for the new key yet: the server keeps the case key, and the page says why.
    tab.page.fill("#unlock-passphrase", KEY_PASSPHRASE)
    tab.page.press("#unlock-passphrase", "Enter")
    tab.page.wait_for_selector("#case-error:not([hidden])", timeout=SLOW)
    assert "ask a counselor to vouch for your new one" in tab.page.inner_text("#case-error")
    lead.refresh_from_db()
    assert bytes(lead.box_public_key or b"") == bytes(first.public_key)
    escrow_testing.endorse_key(new, "operator")
    open_case(tab, survivor.case)
    assert "with your new staff key" in tab.page.inner_text("#case-status")
    lead.refresh_from_db()
    assert bytes(lead.box_public_key or b"") == bytes(new.public_key)
    assert EarlierKey.objects.filter(participant=lead).count() == 1
    check(tab.page)
    assert_not_leaked(wire, [KEY_PASSPHRASE], "registering her new staff key")


def test_a_facilitator_makes_her_staff_key_on_her_list_before_any_case(
    people: People, tabs: Any, wire: Wire
) -> None:
    ines = staff("ines", Role.FACILITATOR)
    tab = tabs(ines)
    tab.page.goto(f"{tab.base}/dialogue/staff/")
    tab.page.wait_for_selector("[data-qa=make-key]:not([hidden])")
    check(tab.page)
    tab.page.fill("#key-passphrase", "too short")
    tab.page.fill("#key-passphrase-again", "too short")
    tab.page.click("[data-qa=make-key-button]")
    tab.page.wait_for_selector("#key-error:not([hidden])")
    assert tab.page.inner_text("#key-error") == "Use at least 12 characters."
    assert not CounselorKey.objects.filter(counselor=ines).exists()
    tab.page.fill("#key-passphrase", KEY_PASSPHRASE)
    tab.page.fill("#key-passphrase-again", KEY_PASSPHRASE)
    tab.page.click("[data-qa=make-key-button]")
    tab.page.wait_for_selector("[data-qa=staff-key-unvouched]", timeout=SLOW)
    key = CounselorKey.objects.get(counselor=ines, active=True)
    assert trust.key_fingerprint(key) not in tab.page.content()  # none from the server
    tab.page.wait_for_selector("[data-qa=own-fingerprint]:not([hidden])")  # its script runs
    tab.page.fill("#own-fingerprint-passphrase", KEY_PASSPHRASE)
    tab.page.click("[data-qa=show-fingerprint]")
    tab.page.wait_for_selector("[data-qa=own-fingerprint-shown]:not([hidden])", timeout=SLOW)
    assert tab.page.inner_text("[data-qa=key-fingerprint]") == trust.key_fingerprint(key)
    check(tab.page)
    assert_not_leaked(wire, [KEY_PASSPHRASE], "making her staff key on her list")


IDLE = 600  # seconds; the page warns VAULT_IDLE_WARNING_SECONDS (120) before the end


def test_the_idle_time_out_signs_her_out_of_the_case_page_after_a_warning(
    people: People, tabs: Any, settings: Any
) -> None:
    # The page's clock, not the wall clock (as the vault's idle test): her case page opens
    # what the parties wrote, so an unattended tab signs out as the counselor workspace does.
    settings.VAULT_IDLE_SECONDS = IDLE
    case = consented_case(people)
    frank = tabs(people.frank)
    frank.page.clock.install()
    open_case(frank, case)
    warning = frank.page.get_by_role("alertdialog", name="Are you still there?")
    frank.page.clock.run_for((IDLE - 125) * 1000)
    assert not warning.is_visible()
    frank.page.clock.run_for(20_000)
    warning.wait_for()
    assert frank.page.evaluate("document.activeElement.dataset.qa") == "stay-signed-in"
    check(frank.page)
    frank.page.clock.run_for(130_000)
    frank.page.wait_for_url(
        f"**/counselor/login/?timeout=1&next=%2Fdialogue%2Fstaff%2F{case.id}%2F"
    )
    assert frank.page.is_visible("[data-qa=timed-out]")
    assert frank.page.locator("#case-work").count() == 0
    response = frank.page.request.get(f"{frank.base}/api/v1/dialogue/cases/{case.id}")
    assert response.status == 401  # the server session ended with the page's
