"""The survivor's dialogue pages in a real browser, the other parties played by the Python
twin of the browser crypto (mend.crypto.dialogue): she asks, consents, is assessed; he
acknowledges; her message is returned, she revises it, it is approved; she reads his message
after its content warning; she pauses and resumes; declines one plan item and accepts
another; is told one was missed; ends; answers the survey. At 390 and 1280 px, in English
and Spanish: axe clean with the quick exit first, nothing from another origin, and after
each step neither the database nor any request body holds a word she or he wrote."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Request, expect
from pytest_django.live_server_helper import LiveServer

from mend.accounts.models import Role, User
from mend.certificates.testing import certify
from mend.crypto import dialogue as crypto
from mend.crypto import endorsement, envelope
from mend.dialogue import actions
from mend.dialogue.models import Case, Feedback, Item, Participant, PartyRole, PlanItem
from mend.dialogue.stages import Screening, State, Step
from mend.dialogue.tests.helpers import (
    keys_for,
    reseal,
    stored,
    submit_as_browser,
    wrapped_secret,
)
from mend.escrow import testing as escrow_testing
from tests.browser.conftest import (
    PASSPHRASE,
    SLOW,
    Signed,
    check_survivor_page,
    sign_in_survivor,
)
from tests.browser.leaks import Wire, assert_not_leaked, encodings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What she and he write: canaries that must never reach the server readable.
HER_FIRST = "CANARY-first-draft-she-named-the-street"
HER_SECOND = "CANARY-second-version-in-her-own-words"
HIS_WORDS = "CANARY-he-wrote-I-did-it-and-I-am-sorry"
HIS_LETTER = "CANARY-his-letter-for-the-bank"
HIS_WARNING = "It describes that night"
CANARIES = [HER_FIRST, HER_SECOND, HIS_WORDS, HIS_LETTER]
EXITS = {"en": "https://www.bbc.co.uk/weather", "es": "https://www.eltiempo.es/"}
WORDS = {
    "en": {"stage5": "Stage 5 of 8", "news": "he missed a commitment", "closed": "You ended it."},
    "es": {
        "stage5": "Etapa 5 de 8",
        "news": "no cumplió un compromiso",
        "closed": "Tú lo terminaste.",
    },
}


# --- The other parties, as their browsers would act (the Python twin) ----------------------


@dataclass
class Twin:
    """Frank (lead facilitator, his case key his endorsed staff key) and Ross (the
    responsible person) of her case."""

    case: Case
    frank: envelope.BoxKeyPair

    def seed(self, name: str) -> bytes:
        """The author's signing seed: the staff derivation for frank (ADR 0014)."""
        if name == "frank":
            return endorsement.signing_seed(self.frank.secret_key)
        return keys_for(name).seed

    def part(self, role: str) -> Participant:
        return Participant.objects.get(case=self.case, role=role)

    def register(self, role: str, name: str) -> None:
        part = self.part(role)
        if name == "frank":
            signing = endorsement.signing_public_key(self.seed("frank"))
            wrapped = secrets.token_bytes(envelope.OVERHEAD + envelope.KEY_BYTES)
            material = actions.KeyMaterial(self.frank.public_key, signing, wrapped)
        else:
            keys = keys_for(name)
            wrapped = wrapped_secret(keys, part.id)
            material = actions.KeyMaterial(keys.box.public_key, keys.signing_public_key, wrapped)
        actions.do_register_key(part, material)

    def vouch(self, role: str) -> None:
        """Frank vouches for a party's keys (after comparing fingerprints with her, him)."""
        party, lead = self.part(role), self.part(PartyRole.LEAD)
        box, signing = bytes(party.box_public_key or b""), bytes(party.signing_public_key or b"")
        seed = self.seed("frank")
        signature = crypto.sign_key_statement(seed, self.case.id, party.id, role, box, signing)
        actions.do_vouch_for_key(lead, party, signature)

    def write(self, role: str, name: str, kind: str, payload: dict[str, str], **extra: Any) -> Item:
        """An item sealed to its author and the team (both parties too for a plan item)."""
        text = json.dumps(payload).encode()
        return submit_as_browser(
            self.part(role), self.seed(name), kind, text, timezone.now(), **extra
        )

    def screen(self, item: Item, decision: Screening, reason: str = "") -> None:
        """Frank's browser: to approve, it opens the content key and seals it to the
        recipient; to return, it sends a reason."""
        lead = self.part(PartyRole.LEAD)
        key = None
        if decision == Screening.APPROVED:
            recipient = actions.recipient_of(self.case, item)
            assert recipient is not None
            key = reseal(item, self.frank, lead.id, recipient)
        choice = actions.ScreeningDecision(decision, reason, key)
        actions.do_screen_item(lead, item, choice, timezone.now())

    def advance(self) -> None:
        actions.do_step(self.part(PartyRole.LEAD), Step.ADVANCE, timezone.now())

    def bring_to_exchange(self, ross: User) -> None:
        """Frank vouches for her key and assesses her ready; Ross joins, and his
        acknowledgment is accepted: the case goes on to the exchange."""
        self.vouch(PartyRole.SURVIVOR)
        self.advance()
        self.write(
            PartyRole.LEAD,
            "frank",
            "assessment",
            {"text": "ready"},
            subject="survivor",
            decision="proceed",
        )
        self.advance()
        Participant.objects.create(
            case=self.case, user=ross, role=PartyRole.RESPONSIBLE, joined_at=timezone.now()
        )
        self.register(PartyRole.RESPONSIBLE, "ross")
        self.vouch(PartyRole.RESPONSIBLE)
        ack = self.write(PartyRole.RESPONSIBLE, "ross", "acknowledgment", {"text": "I did it."})
        self.screen(ack, Screening.APPROVED)
        self.advance()
        self.advance()


def staff() -> tuple[User, User, User, envelope.BoxKeyPair]:
    frank = User.objects.create_user("frank", password="frank-passphrase", role=Role.FACILITATOR)
    certify(frank, now=timezone.now())
    frank_key = escrow_testing.add_counselor_key(frank)  # his staff key, operator-endorsed
    sophie = User.objects.create_user("sophie", password="x", role=Role.SUPERVISOR)
    ross = User.objects.create_user("ross", password="x", role=Role.RESPONSIBLE)
    return frank, sophie, ross, frank_key


# --- Her browser ---------------------------------------------------------------------------


# Spanish on a phone only, to keep CI under 20 minutes: English at 1280 px is walked by
# test_dialogue_walk.py, and axe's findings come from the templates, which both languages
# share (Spanish's longer words at 390 px are the harder case for overflow and targets).
@pytest.fixture(params=[("es", 390)], ids=["es-390"])
def her(
    request: pytest.FixtureRequest, browser: Browser, live_server: LiveServer
) -> Iterator[tuple[Page, str, Wire, User]]:
    lang, width = request.param
    context = browser.new_context(
        locale="es-ES" if lang == "es" else "en-US", viewport={"width": width, "height": 900}
    )
    ours = live_server.url + "/"
    # Anything not on our live server is answered with a neutral page, never fetched.
    context.route(
        lambda url: not url.startswith(ours),
        lambda route: route.fulfill(status=200, content_type="text/html", body="<title>x</title>"),
    )
    page = context.new_page()
    wire, elsewhere, errors = Wire(), [], []

    def watch(r: Request) -> None:
        wire.record(r)
        if not r.url.startswith(ours) and r.url not in EXITS.values():
            elsewhere.append(r.url)

    page.on("request", watch)
    page.on("pageerror", lambda error: errors.append(str(error)))
    signed = sign_in_survivor(context, page, live_server.url)
    yield page, lang, wire, signed.user
    assert elsewhere == [], f"requests to another origin: {elsewhere}"
    assert errors == [], f"the page reported errors: {errors}"
    context.close()


def open_case(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("main[data-state=ready]", state="attached", timeout=SLOW)


def step(page: Page, qa: str) -> None:
    """A step the page takes and then shows by loading again."""
    with page.expect_navigation():
        page.click(f"[data-qa={qa}]")
    page.wait_for_selector("main[data-state=ready]", state="attached", timeout=SLOW)


def show_and_see_it_marked_read(page: Page, card: Locator, item: Item) -> None:
    """She shows the words; the read mark is sent as they are shown (kept for her; see
    read_flag). The database is read once the server has answered that request, never
    while it writes: the test's SQLite database, shared with the server's thread, refuses
    a read during a write ("database table is locked"), and a polling loop met that on a
    busy machine."""
    read = f"/items/{item.id}/read"
    with page.expect_response(lambda r: r.url.endswith(read) and r.request.method == "POST"):
        card.locator("[data-qa=show]").click()
    item.refresh_from_db()
    assert item.read_at is not None


def test_she_walks_her_case_from_request_to_feedback(
    her: tuple[Page, str, Wire, User], live_server: LiveServer
) -> None:
    page, lang, wire, alice = her
    prefix = "" if lang == "en" else "/es"
    base = live_server.url + prefix
    words = WORDS[lang]
    frank, sophie, ross, frank_key = staff()

    # She reads about it, asks, and lands on her case page.
    page.goto(base + "/dialogue/")
    page.click("[data-qa=dialogue-ask]")
    page.wait_for_url(f"**{prefix}/dialogue/mine/")
    check_survivor_page(page)
    page.click("[data-qa=dialogue-request] button")
    page.wait_for_url(f"**{prefix}/dialogue/mine/*-*/")
    page.wait_for_selector("main[data-state=ready]", state="attached", timeout=SLOW)
    case = Case.objects.get(participants__user=alice)
    url = f"{base}/dialogue/mine/{case.id}/"
    assert Participant.objects.get(case=case, user=alice).box_public_key is not None
    check_survivor_page(page)

    # Consent: refused until she ticks the box, then given.
    page.click("[data-qa=consent-give]")
    expect(page.locator("[data-qa=consent-error]")).to_be_visible()
    page.check("[data-qa=consent-agree]")
    step(page, "consent-give")
    assert case.consents.filter(withdrawn_at__isnull=True).count() == 1
    expect(page.locator("[data-qa=consent-withdraw]")).to_be_attached()

    # The team: frank leads, vouches for her key (the fingerprint she reads him), assesses.
    twin = Twin(case, frank_key)
    actions.do_assign_facilitator(sophie, case, frank, PartyRole.LEAD, timezone.now())
    twin.register(PartyRole.LEAD, "frank")
    # He joins, acknowledges; frank accepts it; the case goes to the exchange.
    twin.bring_to_exchange(ross)

    open_case(page, url)
    expect(page.locator("[data-qa=stage]")).to_contain_text(words["stage5"])
    expect(page.locator("[data-qa=fingerprint]")).not_to_have_text("…")
    ack_card = page.locator("[data-qa=incoming-acknowledgment]")
    expect(ack_card.locator("[data-qa=item-text]")).to_be_hidden()
    ack_card.locator("[data-qa=show]").click()
    expect(ack_card.locator("[data-qa=item-text]")).to_have_text("I did it.")

    # Her first message is returned with a reason; she writes the next version.
    page.fill("[data-qa=compose-name]", "Ana")
    page.fill("[data-qa=compose-warning]", "About the night")
    page.fill("[data-qa=compose-text]", HER_FIRST)
    page.click("[data-qa=compose-send]")
    expect(page.locator("[data-qa=my-message]")).to_have_count(1, timeout=SLOW)
    first = Item.objects.get(case=case, kind="message")
    assert first.screening == Screening.PENDING
    assert_not_leaked(wire, CANARIES, "her first message")
    twin.screen(first, Screening.RETURNED, "identifying")
    open_case(page, url)
    mine = page.locator("[data-qa=my-message]")
    expect(mine.locator("[data-qa=return-reason]")).to_be_visible()
    check_survivor_page(page)
    mine.locator("[data-qa=revise]").click()
    expect(page.locator("[data-qa=compose-text]")).to_have_value(HER_FIRST)
    page.fill("[data-qa=compose-text]", HER_SECOND)
    page.click("[data-qa=compose-send]")
    expect(page.locator("[data-qa=my-message]")).to_have_count(2, timeout=SLOW)
    second = Item.objects.get(case=case, kind="message", revision=2)
    assert second.replaces_id == first.id
    twin.screen(second, Screening.APPROVED)
    assert second.reader_keys.filter(reader__role=PartyRole.RESPONSIBLE).exists()
    assert_not_leaked(wire, CANARIES, "her second version")

    # His message: its content warning first; the words only when she asks.
    his = twin.write(
        PartyRole.RESPONSIBLE, "ross", "message", {"text": HIS_WORDS, "warning": HIS_WARNING}
    )
    twin.screen(his, Screening.APPROVED)
    open_case(page, url)
    card = page.locator("[data-qa=incoming-message]")
    expect(card.locator("[data-qa=item-warning]")).to_contain_text(HIS_WARNING)
    expect(card.locator("[data-qa=item-text]")).to_be_hidden()
    show_and_see_it_marked_read(page, card, his)
    expect(card.locator("[data-qa=item-text]")).to_have_text(HIS_WORDS)
    expect(page.locator("[data-qa=my-message][data-screening=approved]")).to_have_count(1)
    check_survivor_page(page)

    # A letter in the bank: she opens it when she chooses; he never learns that she did.
    letter = twin.write(
        PartyRole.RESPONSIBLE, "ross", "letter", {"text": HIS_LETTER, "warning": HIS_WARNING}
    )
    twin.screen(letter, Screening.APPROVED)
    open_case(page, url)
    banked = page.locator("[data-qa=incoming-letter]")
    expect(banked.locator("[data-qa=item-text]")).to_be_hidden()
    show_and_see_it_marked_read(page, banked, letter)
    expect(banked.locator("[data-qa=item-text]")).to_have_text(HIS_LETTER)
    client = Client()
    client.force_login(ross)
    seen = client.get(f"/api/v1/dialogue/cases/{case.id}/items").json()
    assert [i["read"] for i in seen if i["id"] == str(letter.id)] == [None]

    # She pauses, and resumes, with no reason asked.
    step(page, "pause")
    assert Case.objects.get(id=case.id).state == State.PAUSED
    expect(page.locator("[data-qa=paused]")).to_be_visible()
    step(page, "resume")
    assert Case.objects.get(id=case.id).state == State.ACTIVE

    # The plan: she declines one item and accepts another.
    twin.advance()
    due = date(2027, 3, 1)
    apology = twin.write(
        PartyRole.LEAD,
        "frank",
        "plan-item",
        {"text": "A written apology."},
        plan_kind="apology",
        due_on=due,
    )
    treatment = twin.write(
        PartyRole.LEAD,
        "frank",
        "plan-item",
        {"text": "Twelve sessions."},
        plan_kind="treatment",
        due_on=due,
    )
    open_case(page, url)
    items = page.locator("[data-qa=plan-item]")
    expect(items).to_have_count(2)
    check_survivor_page(page)
    items.filter(has_text="A written apology.").locator("[data-qa=plan-decline]").click()
    expect(page.locator("[data-qa=plan-item][data-answer=declined]")).to_have_count(1)
    page.locator("[data-qa=plan-item][data-answer=pending] [data-qa=plan-accept]").click()
    expect(page.locator("[data-qa=plan-item][data-answer=accepted]")).to_have_count(1)
    plans = {p.item_id: p.answer for p in PlanItem.objects.filter(item__case=case)}
    assert plans == {apology.id: "declined", treatment.id: "accepted"}

    # Monitoring: the accepted item is missed, and she is told.
    twin.advance()
    accepted = PlanItem.objects.get(item=treatment)
    actions.do_record_outcome(twin.part(PartyRole.LEAD), accepted, False, timezone.now())
    open_case(page, url)
    expect(page.locator("[data-qa=news-item][data-outcome=missed]")).to_contain_text(words["news"])
    expect(page.locator("[data-qa=plan-outcome]")).to_be_visible()

    # She ends it; the anonymous survey follows, once.
    page.click("[data-qa=end] summary")
    step(page, "end-confirm")
    case.refresh_from_db()
    assert (case.state, case.closure_reason) == (State.CLOSED, "survivor_ended")
    expect(page.locator("[data-qa=closure]")).to_have_text(words["closed"])
    check_survivor_page(page)
    for code in actions.FEEDBACK_QUESTIONS:
        page.check(f"[data-qa=feedback-{code}-4]")
    page.click("[data-qa=feedback-send]")
    expect(page.locator("[data-qa=feedback]")).to_have_count(0)
    assert Feedback.objects.count() == 1
    assert Participant.objects.get(case=case, user=alice).feedback_given
    assert_not_leaked(wire, CANARIES, "the whole case")

    # She need not wait for the day its words go: she deletes them now.
    expect(page.locator("[data-qa=words-kept]")).to_be_visible()
    page.click("[data-qa=forget] summary")
    step(page, "forget-confirm")
    expect(page.locator("[data-qa=words-deleted]")).to_be_visible()
    expect(page.locator("[data-qa=forget]")).to_have_count(0)
    assert not Item.objects.filter(case=case).exists()
    check_survivor_page(page)

    # The quick exit leaves at once.
    page.click("[data-qa=quick-exit]")
    page.wait_for_url(EXITS[lang])


def test_the_case_pages_answer_no_one_else_and_list_only_hers(
    her: tuple[Page, str, Wire, User], live_server: LiveServer
) -> None:
    page, lang, _, alice = her
    prefix = "" if lang == "en" else "/es"
    other = User.objects.create_user("bea", password="x", role=Role.SURVIVOR)
    staff()  # the dialogue is offered here (mend/dialogue/availability.py)
    theirs = actions.do_open_case(other, timezone.now())
    response = page.goto(f"{live_server.url}{prefix}/dialogue/mine/{theirs.case_id}/")
    assert response is not None
    assert response.status == 404
    page.goto(f"{live_server.url}{prefix}/dialogue/mine/")
    check_survivor_page(page)
    expect(page.locator("[data-qa=case-row]")).to_have_count(0)
    assert not Participant.objects.filter(user=alice).exists()


# --- Her message box keeps her words through the idle sign-out -------------------------------

IDLE = 600  # seconds; the page warns VAULT_IDLE_WARNING_SECONDS (120) before the end
HER_DRAFT = "CANARY-a-draft-she-had-not-sent-yet"


def exchange_for(alice: User, page: Page, base: str) -> tuple[Case, str]:
    """Her case at the exchange: her key made by her browser, the rest by the twin."""
    frank, sophie, ross, frank_key = staff()
    survivor = actions.do_open_case(alice, timezone.now())
    case = survivor.case
    actions.do_give_consent(survivor, actions.CONSENT_VERSION, timezone.now())
    actions.do_assign_facilitator(sophie, case, frank, PartyRole.LEAD, timezone.now())
    twin = Twin(case, frank_key)
    twin.register(PartyRole.LEAD, "frank")
    url = f"{base}/dialogue/mine/{case.id}/"
    open_case(page, url)  # her browser makes and registers her key
    twin.bring_to_exchange(ross)
    return case, url


def her_exchange_open(page: Page, base: str, signed_in: Signed) -> tuple[Case, Wire]:
    """Her case at the exchange, open on her page, every request of the page recorded."""
    wire = Wire()
    page.on("request", wire.record)
    case, url = exchange_for(signed_in.user, page, base)
    open_case(page, url)
    return case, wire


def test_the_idle_sign_out_keeps_her_unsent_message_locked_until_she_logs_in_and_sends_it(
    context: BrowserContext,
    page: Page,
    live_server: LiveServer,
    signed_in: Signed,
    settings: Any,
) -> None:
    settings.VAULT_IDLE_SECONDS = IDLE
    wire = Wire()
    context.on("request", wire.record)
    case, url = exchange_for(signed_in.user, page, live_server.url)
    slot = f"sessionStorage.getItem('mend-vault-draft:dialogue-message:{case.id}')"
    page.clock.install()
    open_case(page, url)
    page.fill("[data-qa=compose-text]", HER_DRAFT)
    page.clock.fast_forward((IDLE + 1) * 1000)  # she walked away; no warning answered
    page.wait_for_url(
        f"**/account/login/?timeout=1&next=%2Fdialogue%2Fmine%2F{case.id}%2F", timeout=SLOW
    )
    kept = page.evaluate(slot)
    assert kept is not None
    for form in encodings(HER_DRAFT):
        assert form.decode("latin-1") not in kept
    assert page.evaluate("sessionStorage.getItem('mend-vault-key')") is None
    assert not Item.objects.filter(case=case, kind="message").exists()

    page.fill("#username", signed_in.survivor.username)
    page.fill("#passphrase", PASSPHRASE)
    page.click("[data-qa=login]")
    page.wait_for_selector("main[data-state=ready]", state="attached", timeout=SLOW)
    expect(page.locator("[data-qa=compose-text]")).to_have_value(HER_DRAFT)
    expect(page.locator("[data-qa=status]")).to_contain_text("is back. It is not sent yet.")
    page.click("[data-qa=compose-send]")
    expect(page.locator("[data-qa=my-message]")).to_have_count(1, timeout=SLOW)
    assert page.evaluate(slot) is None
    assert Item.objects.filter(case=case, kind="message").count() == 1
    assert_not_leaked(wire, [HER_DRAFT, PASSPHRASE], "her message kept through a sign-out")


def test_she_chooses_letters_only_and_her_message_box_gives_way_to_the_letter_bank(
    page: Page, live_server: LiveServer, signed_in: Signed
) -> None:
    case, wire = her_exchange_open(page, live_server.url, signed_in)
    expect(page.locator("[data-qa=compose]")).to_have_count(1)
    page.fill("[data-qa=compose-text]", HER_DRAFT)  # typed, not sent

    page.check("[data-qa=format-letter-bank]")
    step(page, "choices-save")

    expect(page.locator("[data-qa=format-letter-bank]")).to_be_checked()
    expect(page.locator("[data-qa=compose]")).to_have_count(0)
    expect(page.locator("[data-qa=letter-bank-chosen]")).to_be_visible()
    expect(page.locator("[data-qa=letter-bank-draft]")).to_be_visible()  # her words wait
    case.refresh_from_db()
    assert case.format == "letter_bank"

    # She chooses messages again: the words she had typed are back in the box, not sent.
    page.check("[data-qa=format-indirect]")
    step(page, "choices-save")
    expect(page.locator("[data-qa=compose-text]")).to_have_value(HER_DRAFT)
    assert not Item.objects.filter(case=case, kind="message").exists()
    assert_not_leaked(wire, [HER_DRAFT], "her words kept through two changes of format")


def test_she_keeps_a_copy_made_in_her_browser_once_she_says_she_understands(
    page: Page, live_server: LiveServer, signed_in: Signed
) -> None:
    _, wire = her_exchange_open(page, live_server.url, signed_in)

    page.click("[data-qa=copy-save]")
    expect(page.locator("[data-qa=copy-error]")).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "copy-understood"
    page.check("[data-qa=copy-his]")
    page.check("[data-qa=copy-understood]")
    with page.expect_download() as download:
        page.click("[data-qa=copy-save]")

    assert download.value.suggested_filename.startswith("mend-dialogue-")
    text = download.value.path().read_text(encoding="utf-8")
    assert "Their acknowledgment\nI did it." in text  # his words, as her browser opened them
    assert "Mend's server never saw this file" in text
    expect(page.locator("[data-qa=copy-status]")).to_have_text(
        "Your copy is saved as a file on this device."
    )
    assert_not_leaked(wire, ["I did it."], "her copy of the dialogue")


def test_she_lets_a_new_lead_read_what_she_wrote_before_the_lead_was_taken_off(
    page: Page, live_server: LiveServer, signed_in: Signed
) -> None:
    case, wire = her_exchange_open(page, live_server.url, signed_in)
    page.fill("[data-qa=compose-text]", HER_FIRST)
    page.click("[data-qa=compose-send]")
    expect(page.locator("[data-qa=my-message]")).to_have_count(1, timeout=SLOW)
    expect(page.locator("[data-qa=share-mine]")).to_be_hidden()
    mine = Item.objects.get(case=case, kind="message", author__role=PartyRole.SURVIVOR)

    # A supervisor takes frank off (no co-facilitator) and gives the case to hana, whose
    # case key is her operator-endorsed staff key.
    sophie = User.objects.get(username="sophie")
    actions.do_take_off_facilitator(sophie, case, "frank")
    hana = User.objects.create_user("hana", password="x", role=Role.FACILITATOR)
    certify(hana, now=timezone.now())
    hana_key = escrow_testing.add_counselor_key(hana)
    actions.do_assign_facilitator(sophie, case, hana, PartyRole.LEAD, timezone.now())
    lead = Participant.objects.get(case=case, role=PartyRole.LEAD)
    signing = endorsement.signing_public_key(endorsement.signing_seed(hana_key.secret_key))
    wrapped = secrets.token_bytes(envelope.OVERHEAD + envelope.KEY_BYTES)
    actions.do_register_key(lead, actions.KeyMaterial(hana_key.public_key, signing, wrapped))
    assert not mine.reader_keys.filter(reader=lead).exists()

    open_case(page, f"{live_server.url}/dialogue/mine/{case.id}/")
    expect(page.locator("[data-qa=share-mine]")).to_be_visible()
    check_survivor_page(page)
    page.click("[data-qa=share-mine-button]")
    expect(page.locator("[data-qa=share-mine]")).to_be_hidden(timeout=SLOW)
    expect(page.locator("[data-qa=status]")).to_contain_text("can read what you wrote now")
    assert mine.reader_keys.filter(reader=lead).exists()

    # Hana's browser (the Python twin) opens it with her staff key.
    ref, sealed = stored(mine)
    author = Participant.objects.get(case=case, role=PartyRole.SURVIVOR)
    opened = crypto.open_item(
        ref, sealed, hana_key, lead.id, bytes(author.signing_public_key or b"")
    )
    assert json.loads(opened)["text"] == HER_FIRST
    assert_not_leaked(wire, [HER_FIRST], "her words shared with a new lead")
