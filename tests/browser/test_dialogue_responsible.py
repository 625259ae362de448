"""The responsible person's side of a dialogue, end to end in Chromium (issue 12).

He joins with the invitation code a facilitator handed him (a used code is refused), his
keys made in his browser; writes his acknowledgment, which is returned and then accepted;
writes a message and a letter; reads her approved message after its content note, and
cannot load one not approved (404 at the API, nothing on the page); sees a plan item with
its reminder; sees the closure. The survivor and the facilitator are played by the Python
twin (mend.crypto.dialogue, as mend/dialogue/tests/helpers.py does). After each step the
whole database and every request body his browser sent are searched for the canaries; no
response his browser received ever holds her username. At 1280 px in English and 390 px in
Spanish, axe clean, the quick exit first on every page.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect
from pytest_django.live_server_helper import LiveServer

from mend.accounts.models import Role, User
from mend.certificates.testing import certify
from mend.crypto import dialogue as crypto
from mend.crypto import endorsement
from mend.dialogue import actions
from mend.dialogue.actions import FEEDBACK_QUESTIONS
from mend.dialogue.models import Case, Feedback, Item, Participant, PartyRole, PlanItem
from mend.dialogue.stages import Screening, Step
from mend.dialogue.tests.helpers import Keys, keys_for, reseal, submit_as_browser, wrapped_secret
from mend.escrow import testing as escrow_testing
from mend.vault.testing import Survivor
from tests.browser.conftest import (
    PASSPHRASE,
    SLOW,
    check_survivor_page,
    wait_until_signed_out,
    walking,
)
from tests.browser.leaks import Wire, assert_not_leaked
from tests.browser.test_journeys import untranslated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RUN = uuid.uuid4().hex[:8]
HER_USERNAME = f"wren_{RUN}"
HER_NAME = "Robin"  # the name she chose for the case, inside her screened message
CANARY_ACK = f"CANARY-ACK-{RUN}"
CANARY_ACK2 = f"CANARY-ACK-AGAIN-{RUN}"
CANARY_MESSAGE = f"CANARY-HIS-MESSAGE-{RUN}"
CANARY_LETTER = f"CANARY-HIS-LETTER-{RUN}"
CANARY_HERS = f"CANARY-HER-MESSAGE-{RUN}"
CANARY_UNAPPROVED = f"CANARY-NOT-APPROVED-{RUN}"
CANARY_PLAN = f"CANARY-PLAN-{RUN}"
WARNING = f"about that night {RUN}"
SECRETS = [
    CANARY_ACK,
    CANARY_ACK2,
    CANARY_MESSAGE,
    CANARY_LETTER,
    CANARY_HERS,
    CANARY_UNAPPROVED,
    CANARY_PLAN,
    WARNING,
    PASSPHRASE,
]


# --- The Python twin: the survivor and the lead facilitator -------------------------------


def now() -> Any:
    return timezone.now()


def staff_keys(facilitator: User) -> Keys:
    """The lead's case key is her staff key, endorsed by the operator (ADR 0014): his
    browser trusts the lead only as such a key (case.js teamTrust)."""
    pair = escrow_testing.add_counselor_key(facilitator)
    keys = Keys(pair, endorsement.signing_seed(pair.secret_key))
    assert keys.signing_public_key == endorsement.signing_public_key(keys.seed)
    return keys


def register(part: Participant, keys: Keys) -> None:
    material = actions.KeyMaterial(
        keys.box.public_key, keys.signing_public_key, wrapped_secret(keys, part.id)
    )
    actions.do_register_key(part, material)


def vouch(lead: Participant, lead_keys: Keys, party: Participant) -> None:
    """The lead's key statement for a party's keys, after comparing fingerprints."""
    party.refresh_from_db()
    statement = (
        party.case_id,
        party.id,
        party.role,
        bytes(party.box_public_key or b""),
        bytes(party.signing_public_key or b""),
    )
    signature = crypto.sign_key_statement(lead_keys.seed, *statement)
    actions.do_vouch_for_key(lead, party, signature)


def submit(author: Participant, keys: Keys, kind: str, text: str, **extra: Any) -> Item:
    return submit_as_browser(author, keys.seed, kind, text.encode(), now(), **extra)


def payload(text: str, warning: str = "", name: str = "") -> str:
    """What a party's browser seals: the text, a content note, her name for the case."""
    fields = {"text": text, "warning": warning, "name": name}
    return json.dumps({k: v for k, v in fields.items() if v})


def screen(
    lead: Participant, lead_keys: Keys, item: Item, decision: Screening, reason: str = ""
) -> None:
    """The lead's screening: an approval seals the content key to the recipient."""
    item = Item.objects.get(id=item.id)
    key = None
    if decision == Screening.APPROVED:
        recipient = actions.recipient_of(item.case, item)
        assert recipient is not None
        recipient.refresh_from_db()
        key = reseal(item, lead_keys.box, lead.id, recipient)
    actions.do_screen_item(lead, item, actions.ScreeningDecision(decision, reason, key), now())


@dataclass
class Dialogue:
    case: Case
    survivor: Participant
    lead: Participant
    code: str
    her_keys: Keys
    lead_keys: Keys

    def refresh(self) -> None:
        for part in (self.survivor, self.lead):
            part.refresh_from_db()

    def responsible(self) -> Participant:
        return Participant.objects.get(case=self.case, role=PartyRole.RESPONSIBLE)

    def step(self, who: Participant, step: Step) -> None:
        actions.do_step(who, step, now())


def case_at_feasibility(
    survivor: User, lead: User, lead_keys: Keys, supervisor: User, name: str
) -> Dialogue:
    """Her case, consented, assessed "proceed" and at the feasibility stage; an invitation."""
    her = actions.do_open_case(survivor, now())
    actions.do_give_consent(her, actions.CONSENT_VERSION, now())
    actions.do_assign_facilitator(supervisor, her.case, lead, PartyRole.LEAD, now())
    frank = Participant.objects.get(case=her.case, role=PartyRole.LEAD)
    her_keys = keys_for(name)
    register(her, her_keys)
    register(frank, lead_keys)
    vouch(frank, lead_keys, her)
    actions.do_step(frank, Step.ADVANCE, now())
    submit(frank, lead_keys, "assessment", "ready", subject="survivor", decision="proceed")
    actions.do_step(frank, Step.ADVANCE, now())
    code = actions.do_invite_responsible(frank, now())
    return Dialogue(her.case, her, frank, code, her_keys, lead_keys)


@dataclass
class People:
    her: User
    frank: User
    sophie: User
    dialogue: Dialogue
    used_code: str = ""
    wire: Wire = field(default_factory=Wire)
    responses: list[tuple[str, bytes]] = field(default_factory=list)


@pytest.fixture
def people() -> People:
    her = User.objects.create_user(HER_USERNAME, password="unused", role=Role.SURVIVOR)
    frank = User.objects.create_user(f"frank_{RUN}", password="unused", role=Role.FACILITATOR)
    certify(frank, now=now())
    sophie = User.objects.create_user(f"sophie_{RUN}", password="unused", role=Role.SUPERVISOR)
    other = User.objects.create_user(f"other_{RUN}", password="unused", role=Role.SURVIVOR)
    lead_keys = staff_keys(frank)
    people = People(her, frank, sophie, case_at_feasibility(her, frank, lead_keys, sophie, "wren"))
    # A second case whose code someone has already used.
    used = case_at_feasibility(other, frank, lead_keys, sophie, "other")
    body = {**Survivor(f"decoy_{RUN}", PASSPHRASE + "x").signup_body(), "code": used.code}
    r = Client().post("/api/v1/dialogue/join", json.dumps(body), content_type="application/json")
    assert r.status_code == 201, r.content
    people.used_code = used.code
    return people


def record_everything(context: BrowserContext, people: People, base: str) -> None:
    """Every request body his browser sends, and every response body it receives."""
    context.on("request", people.wire.record)

    def keep(route: Route) -> None:
        if not route.request.url.startswith(base + "/"):
            route.fallback()
            return
        response = route.fetch(max_redirects=0)  # the browser follows them itself
        people.responses.append((route.request.url, response.body()))
        route.fulfill(response=response)

    context.route("**/*", keep)


def assert_clean(people: People, step: str) -> None:
    assert_not_leaked(people.wire, SECRETS, step)
    for url, body in people.responses:
        assert HER_USERNAME.encode() not in body, f"after {step}: her username in {url}"


def check(page: Page) -> None:
    """Quick exit first, axe clean, nothing wider than the screen, no English left on a
    Spanish page."""
    check_survivor_page(page)
    assert untranslated(page) == [], f"{page.url}: untranslated"


def wait_ready(page: Page) -> None:
    page.wait_for_selector("[data-qa=case-state][data-state=ready]", state="attached", timeout=SLOW)


def reload(page: Page) -> None:
    page.reload()
    wait_ready(page)


# --- The journey -------------------------------------------------------------------------


# Spanish on a phone only: his English pages at 1280 px are walked by
# test_dialogue_walk.py (and checked in English by the other tests here).
@pytest.mark.parametrize(("lang", "width"), [("es", 390)])
def test_he_joins_acknowledges_writes_reads_and_sees_his_plan_and_the_end(
    browser: Browser, live_server: LiveServer, people: People, lang: str, width: int
) -> None:
    with walking(browser, live_server.url, lang, width) as page:
        walk(page, live_server.url, "/es" if lang == "es" else "", people)


def walk(page: Page, base: str, prefix: str, people: People) -> None:
    d = people.dialogue
    record_everything(page.context, people, base)

    # He joins: a used code is refused in plain words; his own code works.
    page.goto(f"{base}{prefix}/dialogue/join/")
    check(page)
    page.fill("#code", people.used_code)
    page.fill("#username", f"tom_{RUN}")
    page.fill("#passphrase", PASSPHRASE)
    page.fill("#passphrase2", PASSPHRASE)
    page.click("[data-qa=join]")
    error = page.locator("[data-qa=join-form] [data-qa=error]")
    error.wait_for(state="visible", timeout=SLOW)
    assert page.evaluate("document.activeElement.id") == "code"
    assert not User.objects.filter(username=f"tom_{RUN}").exists()
    page.fill("#code", d.code.lower().replace("-", " "))
    page.fill("#passphrase", PASSPHRASE)
    page.fill("#passphrase2", PASSPHRASE)
    page.click("[data-qa=join]")
    page.wait_for_selector("[data-qa=recovery]:not([hidden])", timeout=SLOW)
    check(page)
    assert len(page.locator("[data-qa=recovery-words] li").all_inner_texts()) == 24
    page.check("[data-qa=recovery-saved]")
    page.click("[data-qa=recovery-continue]")
    wait_ready(page)
    assert page.url.endswith(f"/dialogue/responsible/{d.case.id}/")
    assert User.objects.get(username=f"tom_{RUN}").role == Role.RESPONSIBLE
    check(page)
    assert_clean(people, "joining")

    # His acknowledgment, returned with a reason, then revised and accepted.
    page.fill("#ack-text", CANARY_ACK)
    page.click("[data-qa=send-ack]")
    page.wait_for_selector("[data-qa=ack-list] [data-screening=pending]", timeout=SLOW)
    ross = d.responsible()
    first = Item.objects.get(case=d.case, kind="acknowledgment")
    assert first.author_id == ross.id
    assert_clean(people, "his acknowledgment")
    screen(d.lead, d.lead_keys, first, Screening.RETURNED, "excuses")
    reload(page)
    returned = page.locator("[data-qa=ack-returned]")
    assert returned.is_visible()
    assert page.input_value("#ack-text") == CANARY_ACK
    check(page)
    page.fill("#ack-text", CANARY_ACK2)
    page.click("[data-qa=send-ack]")
    page.wait_for_selector("[data-qa=ack-list] [data-screening=pending]", timeout=SLOW)
    second = Item.objects.get(case=d.case, kind="acknowledgment", revision=2)
    assert second.replaces_id == first.id
    vouch(d.lead, d.lead_keys, ross)
    screen(d.lead, d.lead_keys, second, Screening.APPROVED)
    d.step(d.lead, Step.ADVANCE)  # to preparation
    d.step(d.lead, Step.ADVANCE)  # to the exchange
    assert_clean(people, "his acknowledgment, revised and accepted")

    # He writes a message and a letter for the bank.
    reload(page)
    assert page.locator("[data-qa=preparation]").is_visible()
    page.fill("#write-text", CANARY_MESSAGE)
    page.click("[data-qa=send-item]")
    page.wait_for_selector("[data-qa=my-items] [data-qa=item-message]", timeout=SLOW)
    page.check("#kind-letter")
    page.fill("#write-text", CANARY_LETTER)
    page.click("[data-qa=send-item]")
    page.wait_for_selector("[data-qa=my-items] [data-qa=item-letter]", timeout=SLOW)
    kinds = sorted(Item.objects.filter(case=d.case, author=ross).values_list("kind", flat=True))
    assert kinds == ["acknowledgment", "acknowledgment", "letter", "message"]
    assert_clean(people, "his message and letter")

    # Her approved message, content note first; an unapproved one never reaches him.
    hers = submit(d.survivor, d.her_keys, "message", payload(CANARY_HERS, WARNING, HER_NAME))
    screen(d.lead, d.lead_keys, hers, Screening.APPROVED)
    pending = submit(d.survivor, d.her_keys, "message", payload(CANARY_UNAPPROVED))
    reload(page)
    entry = page.locator("[data-qa=incoming-item]")
    assert entry.count() == 1
    assert WARNING in entry.locator("[data-qa=content-warning]").inner_text()
    assert not entry.locator("[data-qa=incoming-text]").is_visible()
    check(page)
    entry.locator("[data-qa=show]").click()
    assert entry.locator("[data-qa=incoming-text]").inner_text() == CANARY_HERS
    assert CANARY_UNAPPROVED not in page.content()
    status = page.evaluate(
        "url => fetch(url, {credentials: 'same-origin'}).then(r => r.status)",
        f"{base}/api/v1/dialogue/cases/{d.case.id}/items/{pending.id}",
    )
    assert status == 404
    check(page)
    assert_clean(people, "reading her message")

    # The plan: an item she accepted, due within two weeks, with its reminder.
    d.step(d.lead, Step.ADVANCE)  # to the plan
    due = timezone.localdate() + timedelta(days=7)
    plan_item = submit(
        d.lead, d.lead_keys, "plan-item", payload(CANARY_PLAN), plan_kind="apology", due_on=due
    )
    plan = PlanItem.objects.get(item=plan_item)
    actions.do_answer_plan_item(d.survivor, plan, True)
    reload(page)
    assert CANARY_PLAN in page.locator("[data-qa=plan-list]").inner_text()
    assert page.locator("[data-qa=plan_due_soon]").count() == 1
    check(page)
    assert_clean(people, "his plan")

    # She ends it; he sees the closure and can send nothing more.
    d.step(d.survivor, Step.END)
    reload(page)
    assert page.locator("[data-qa=closure]").is_visible()
    assert page.locator("[data-qa=write-form]").count() == 0
    check(page)
    assert_clean(people, "the closure")
    assert people.responses, "no response was recorded"


def on_his_case_page(context: BrowserContext, page: Page, base: str, d: Dialogue) -> Client:
    """He joined, and is on his case page, which made and registered his key for the case."""
    client = joined_in_this_tab(context, page, base, d.code)
    page.goto(f"{base}/dialogue/responsible/{d.case.id}/")
    wait_ready(page)
    return client


def joined_in_this_tab(context: BrowserContext, page: Page, base: str, code: str) -> Client:
    """He joined (made by the Python twin of his browser, as the vault's tests make
    survivors: the sign-up itself is walked above), signed in to this tab with his vault
    key in it. Returns a client holding the same session."""
    tom = Survivor(f"tom_{RUN}", PASSPHRASE)
    client = Client()
    body = json.dumps({**tom.signup_body(), "code": code})
    r = client.post("/api/v1/dialogue/join", body, content_type="application/json")
    assert r.status_code == 201
    cookie = client.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
    page.goto(base + "/safety/")
    stored = json.dumps({"vaultId": str(tom.vault_id), "vk": tom.vk.hex()})
    page.evaluate("v => sessionStorage.setItem('mend-vault-key', v)", stored)
    return client


def test_the_quick_exit_leaves_his_case_page_and_ends_his_session(
    context: BrowserContext, page: Page, live_server: LiveServer, people: People
) -> None:
    d = people.dialogue
    client = on_his_case_page(context, page, live_server.url, d)
    first = page.locator("a, button, input, select, textarea").first
    assert first.get_attribute("data-qa") == "quick-exit"
    page.get_by_role("link", name="Exit this page").first.click()
    page.wait_for_url("https://www.bbc.co.uk/weather")
    wait_until_signed_out(page, client.cookies["sessionid"].value)
    r = client.get(f"/api/v1/dialogue/cases/{d.case.id}")
    assert r.status_code == 401


def test_he_ends_his_part_only_after_confirming_and_the_case_closes_as_declined(
    context: BrowserContext, page: Page, live_server: LiveServer, people: People
) -> None:
    d = people.dialogue
    on_his_case_page(context, page, live_server.url, d)
    page.click("[data-qa=end-part]")
    assert page.locator("[data-qa=end-form] [data-qa=error]").is_visible()
    assert page.evaluate("document.activeElement.id") == "end-confirm"
    d.case.refresh_from_db()
    assert d.case.state == "active"
    page.check("#end-confirm")
    page.click("[data-qa=end-part]")
    page.wait_for_selector("[data-qa=closure]", timeout=SLOW)
    wait_ready(page)
    check_survivor_page(page)
    d.case.refresh_from_db()
    assert (d.case.state, d.case.closure_reason) == ("closed", "responsible_declined")
    # The anonymous survey follows, once: every question first.
    page.check("[data-qa=feedback-felt_safe-2]")
    page.click("[data-qa=feedback-send]")
    expect(page.locator("[data-qa=feedback-error]")).to_be_visible()
    for code in FEEDBACK_QUESTIONS:
        page.check(f"[data-qa=feedback-{code}-2]")
    page.click("[data-qa=feedback-send]")
    expect(page.locator("[data-qa=survey-status]")).to_have_text(
        "Thank you. Your answers were stored with no link to you."
    )
    expect(page.locator("[data-qa=feedback]")).to_have_count(0)
    assert list(Feedback.objects.values_list("role", flat=True)) == ["responsible"]


IDLE = 600  # seconds; the page warns VAULT_IDLE_WARNING_SECONDS before the end
HIS_DRAFT = f"CANARY-HIS-UNSENT-DRAFT-{RUN}"


def test_the_idle_sign_out_keeps_his_unsent_words_locked_until_he_logs_in_and_sends_them(
    context: BrowserContext, page: Page, live_server: LiveServer, people: People, settings: Any
) -> None:
    settings.VAULT_IDLE_SECONDS = IDLE
    d = people.dialogue
    wire = Wire()
    context.on("request", wire.record)
    joined_in_this_tab(context, page, live_server.url, d.code)
    slot = f"sessionStorage.getItem('mend-vault-draft:dialogue:{d.case.id}')"
    page.clock.install()
    page.goto(f"{live_server.url}/dialogue/responsible/{d.case.id}/")
    wait_ready(page)
    page.fill("#ack-text", HIS_DRAFT)
    page.clock.fast_forward((IDLE + 1) * 1000)  # he walked away; no warning answered
    page.wait_for_url(f"**/account/login/?timeout=1&next=*{d.case.id}*", timeout=SLOW)
    kept = page.evaluate(slot)
    assert kept is not None
    assert HIS_DRAFT not in kept
    assert page.evaluate("sessionStorage.getItem('mend-vault-key')") is None
    assert not Item.objects.filter(case=d.case, kind="acknowledgment").exists()

    page.fill("#username", f"tom_{RUN}")
    page.fill("#passphrase", PASSPHRASE)
    page.click("[data-qa=login]")
    wait_ready(page)
    assert page.input_value("#ack-text") == HIS_DRAFT
    assert page.locator("[data-qa=draft-restored]").is_visible()
    page.click("[data-qa=send-ack]")
    page.wait_for_selector("[data-qa=ack-list] [data-screening=pending]", timeout=SLOW)
    assert page.evaluate(slot) is None
    assert Item.objects.filter(case=d.case, kind="acknowledgment").count() == 1
    assert_not_leaked(wire, [HIS_DRAFT, PASSPHRASE], "his words kept through a sign-out")


def test_a_guessed_code_is_refused_in_plain_words_and_guessing_is_rate_limited(
    page: Page, live_server: LiveServer, settings: Any
) -> None:
    settings.RATE_LIMIT_DIALOGUE_JOIN_IP = (1, 60 * 60)
    page.goto(live_server.url + "/dialogue/join/")
    page.fill("#code", "ABCD-EFGH-JKMN-PQRS-TVWX")
    page.fill("#username", f"guess_{RUN}")
    page.fill("#passphrase", PASSPHRASE)
    page.fill("#passphrase2", PASSPHRASE)
    error = page.locator("[data-qa=join-form] [data-qa=error]")
    page.click("[data-qa=join]")
    page.wait_for_function(
        "el => el.textContent.includes('not valid')", arg=error.element_handle(), timeout=SLOW
    )
    page.click("[data-qa=join]")
    page.wait_for_function(
        "el => el.textContent.includes('Too many attempts')",
        arg=error.element_handle(),
        timeout=SLOW,
    )
    assert not User.objects.filter(username=f"guess_{RUN}").exists()


def test_once_she_chose_the_letter_bank_his_returned_message_goes_on_as_a_new_letter(
    context: BrowserContext, page: Page, live_server: LiveServer, people: People
) -> None:
    d = people.dialogue
    on_his_case_page(context, page, live_server.url, d)
    page.fill("#ack-text", "I did it, and it harmed her.")
    page.click("[data-qa=send-ack]")
    page.wait_for_selector("[data-qa=ack-list] [data-screening=pending]", timeout=SLOW)
    ross = d.responsible()
    vouch(d.lead, d.lead_keys, ross)
    screen(
        d.lead,
        d.lead_keys,
        Item.objects.get(case=d.case, kind="acknowledgment"),
        Screening.APPROVED,
    )
    d.step(d.lead, Step.ADVANCE)  # to preparation
    d.step(d.lead, Step.ADVANCE)  # to the exchange
    reload(page)
    page.fill("#write-text", "Words he began as a message.")
    page.click("[data-qa=send-item]")
    page.wait_for_selector("[data-qa=my-items] [data-qa=item-message]", timeout=SLOW)
    message = Item.objects.get(case=d.case, kind="message")
    screen(d.lead, d.lead_keys, message, Screening.RETURNED, "excuses")
    actions.do_set_choices(d.survivor, False, True, "letter_bank")

    reload(page)
    expect(page.locator("#kind-message")).to_be_disabled()
    expect(page.locator("[data-qa=letter-bank-chosen]")).to_be_visible()
    page.click("[data-qa=my-items] [data-qa=revise]")
    expect(page.locator("#kind-letter")).to_be_checked()
    expect(page.locator("#write-text")).to_have_value("Words he began as a message.")
    page.click("[data-qa=send-item]")
    page.wait_for_selector("[data-qa=my-items] [data-qa=item-letter]", timeout=SLOW)

    letter = Item.objects.get(case=d.case, kind="letter")
    assert (letter.author_id, letter.replaces_id, letter.revision) == (ross.id, None, 1)
    assert Item.objects.filter(case=d.case, kind="message").count() == 1
