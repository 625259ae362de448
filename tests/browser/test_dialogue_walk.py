"""A restorative dialogue walked from request to closure by three real browsers at once:
the survivor (alice), the lead facilitator (frank) and the responsible person (tom, who
joins with the code frank hands him). Nothing is played by the Python twin: every key is
made, every message sealed, screened and opened in a browser (issue 12, "Done means").

On the way: a returned message, a rejected acknowledgment that stops the case from going
on, her pause and resume, a plan item she declines and one she accepts that is missed and
reported to her, and her ending the case. After every step the whole database and every
request body of all three browsers are searched for the canary words typed, and none of
them is there.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from mend.accounts.models import Role, User
from mend.certificates.testing import certify
from mend.dialogue import actions
from mend.dialogue.models import Case, Item, Participant, PartyRole, PlanItem
from mend.dialogue.stages import Closure, Stage, State
from mend.escrow import testing as escrow_testing
from mend.test import login_with_otp
from tests.browser.conftest import PASSPHRASE, SLOW, sign_in_survivor
from tests.browser.leaks import Wire, assert_not_leaked

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RUN = uuid.uuid4().hex[:8]
KEY_PASSPHRASE = f"harbour lantern {RUN} thistle"
CANARY = {
    "assessment": f"CANARY-ASSESS-{RUN}",
    "ack-rejected": f"CANARY-ACK1-{RUN}",
    "ack": f"CANARY-ACK2-{RUN}",
    "hers-returned": f"CANARY-HER1-{RUN}",
    "note": f"CANARY-NOTE-{RUN}",
    "hers": f"CANARY-HER2-{RUN}",
    "his": f"CANARY-HIS-{RUN}",
    "letter": f"CANARY-LETTER-{RUN}",
    "plan-declined": f"CANARY-PLAN1-{RUN}",
    "plan-missed": f"CANARY-PLAN2-{RUN}",
}


@dataclass
class Walk:
    alice: Page
    frank: Page
    tom: Page
    base: str
    wire: Wire
    errors: list[str]
    elsewhere: list[str]

    def clean(self, step: str) -> None:
        assert_not_leaked(self.wire, CANARY.values(), step)
        assert self.errors == [], f"after {step}: page errors {self.errors}"
        assert self.elsewhere == [], f"after {step}: requests elsewhere {self.elsewhere}"


@pytest.fixture
def walk(browser: Browser, live_server: LiveServer) -> Iterator[Walk]:
    base = live_server.url
    wire, errors, elsewhere = Wire(), [], []
    contexts: list[BrowserContext] = []

    def new_page() -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        context.on("request", wire.record)
        context.on(
            "request",
            lambda r: None if r.url.startswith(base + "/") else elsewhere.append(r.url),
        )
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    alice = new_page()
    sign_in_survivor(alice.context, alice, base)
    frank_user = User.objects.create_user(f"frank{RUN}", password="unused", role=Role.FACILITATOR)
    certify(frank_user)
    # His staff key, endorsed by the operator's development key as the first one is (ADR 0007).
    escrow_testing.add_counselor_key(frank_user, KEY_PASSPHRASE)
    frank = new_page()
    client = Client()
    login_with_otp(client, frank_user)
    frank.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )
    yield Walk(alice, frank, new_page(), base, wire, errors, elsewhere)
    for context in contexts:
        context.close()


# --- What each of them does ---------------------------------------------------------------


def her_page(walk: Walk, case: Case) -> None:
    walk.alice.goto(f"{walk.base}/dialogue/mine/{case.id}/")
    walk.alice.wait_for_selector("main[data-state=ready]", state="attached", timeout=SLOW)


def her_step(walk: Walk, qa: str) -> None:
    with walk.alice.expect_navigation():
        walk.alice.click(f"[data-qa={qa}]")
    walk.alice.wait_for_selector("main[data-state=ready]", state="attached", timeout=SLOW)


def his_page(walk: Walk, case: Case) -> None:
    walk.tom.goto(f"{walk.base}/dialogue/responsible/{case.id}/")
    walk.tom.wait_for_selector(
        "[data-qa=case-state][data-state=ready]", state="attached", timeout=SLOW
    )


def franks_page(walk: Walk, case: Case) -> None:
    """He opens the case and unlocks his staff key."""
    walk.frank.goto(f"{walk.base}/dialogue/staff/{case.id}/")
    walk.frank.fill("#unlock-passphrase", KEY_PASSPHRASE)
    walk.frank.keyboard.press("Enter")
    walk.frank.wait_for_selector("#case-work:not([hidden])", timeout=SLOW)


def frank_does(walk: Walk, selector: str, *, refused: bool = False) -> str:
    """A click on his case page, then the page drawn again (or the refusal it shows)."""
    page = walk.frank
    before = page.get_attribute("#case-work", "data-refreshed")
    page.click(selector)
    if refused:
        page.wait_for_selector("#case-error:not([hidden])", timeout=SLOW)
        return page.inner_text("#case-error")
    page.wait_for_selector(
        f"#case-work:not([data-refreshed='{before}']), #case-error:not([hidden])", timeout=SLOW
    )
    error = page.locator("#case-error")
    assert error.is_hidden(), f"{selector}: {error.inner_text()}"
    return page.inner_text("#case-status")


def frank_vouches(walk: Walk, role: str, spoken: str) -> None:
    """The party reads the fingerprint on his (her) own page aloud; frank compares it."""
    row = walk.frank.locator(f"[data-qa=party-{role}]")
    assert row.locator("[data-qa=fingerprint]").inner_text() == spoken
    row.locator("[data-qa=compared]").check()
    frank_does(walk, f"[data-qa=party-{role}] [data-qa=vouch]")


def frank_screens(walk: Walk, action: str, reason: str = "", note: str = "") -> None:
    pending = walk.frank.locator("[data-qa=pending-item]").first
    if reason:
        pending.locator("[data-qa=return-reason]").select_option(reason)
    if note:
        pending.locator("[data-qa=return-note]").fill(note)
    frank_does(walk, f"[data-qa=pending-item] >> nth=0 >> [data-qa={action}]")


def frank_plans(walk: Walk, what: str, due: str) -> None:
    walk.frank.fill("#plan-what", what)
    walk.frank.fill("#plan-due", due)
    walk.frank.fill("#plan-verify", "The facilitator checks it")
    frank_does(walk, "[data-qa=plan-button]")


def stage(case: Case) -> tuple[int, str]:
    case.refresh_from_db()
    return case.stage, case.state


# --- The walk ---------------------------------------------------------------------------


def she_asks_and_frank_invites(walk: Walk, sophie: User, frank_user: User) -> tuple[Case, str]:
    """She asks for a dialogue and consents; frank, given the case, vouches for her key,
    assesses, and makes the invitation code he will hand over outside Mend."""
    walk.alice.goto(walk.base + "/dialogue/mine/")
    walk.alice.click("[data-qa=dialogue-request] button")
    walk.alice.wait_for_url("**/dialogue/mine/*-*/")
    walk.alice.wait_for_selector("main[data-state=ready]", state="attached", timeout=SLOW)
    case = Case.objects.filter(state=State.ACTIVE).get()
    walk.alice.check("[data-qa=consent-agree]")
    her_step(walk, "consent-give")
    assert case.consents.filter(withdrawn_at__isnull=True).count() == 1
    walk.clean("her request and consent")

    actions.do_assign_facilitator(sophie, case, frank_user, PartyRole.LEAD, timezone.now())
    franks_page(walk, case)
    frank_does(walk, "[data-qa=advance]")
    assert stage(case) == (Stage.ASSESSMENT, State.ACTIVE)
    her_page(walk, case)
    frank_vouches(walk, "survivor", walk.alice.inner_text("[data-qa=fingerprint]"))
    walk.frank.fill("#q-hopes", f"To be heard. {CANARY['assessment']}")
    walk.frank.fill("#q-support", "Her sister")
    frank_does(walk, "[data-qa=assessment-button]")
    frank_does(walk, "[data-qa=advance]")
    assert stage(case) == (Stage.FEASIBILITY, State.ACTIVE)
    frank_does(walk, "[data-qa=invite]")
    code = walk.frank.inner_text("[data-qa=invitation-code]").strip()
    walk.clean("the assessment and the invitation")
    return case, code


def he_joins(walk: Walk, case: Case, code: str, username: str) -> None:
    """He joins with the code; his keys are made in his browser; frank vouches for them."""
    walk.tom.goto(walk.base + "/dialogue/join/")
    walk.tom.fill("#code", code)
    walk.tom.fill("#username", username)
    walk.tom.fill("#passphrase", PASSPHRASE)
    walk.tom.fill("#passphrase2", PASSPHRASE)
    walk.tom.click("[data-qa=join]")
    walk.tom.wait_for_selector("[data-qa=recovery]:not([hidden])", timeout=SLOW)
    walk.tom.check("[data-qa=recovery-saved]")
    walk.tom.click("[data-qa=recovery-continue]")
    walk.tom.wait_for_selector(
        "[data-qa=case-state][data-state=ready]", state="attached", timeout=SLOW
    )
    assert Participant.objects.get(case=case, role=PartyRole.RESPONSIBLE).box_public_key
    frank_does(walk, "[data-qa=refresh]")
    frank_vouches(walk, "responsible", walk.tom.inner_text("[data-qa=fingerprint]"))


def he_acknowledges(walk: Walk, words: str) -> None:
    walk.tom.fill("#ack-text", words)
    walk.tom.click("[data-qa=send-ack]")
    walk.tom.wait_for_selector("[data-qa=ack-list] [data-screening=pending]", timeout=SLOW)
    frank_does(walk, "[data-qa=refresh]")
    assert words in walk.frank.inner_text("[data-qa=pending-item]")


def test_three_browsers_walk_a_dialogue_from_her_request_to_its_closure(walk: Walk) -> None:
    sophie = User.objects.create_user(f"sophie{RUN}", password="unused", role=Role.SUPERVISOR)
    frank_user = User.objects.get(username=f"frank{RUN}")
    walk.alice.goto(walk.base + "/dialogue/")
    walk.alice.click("[data-qa=dialogue-ask]")
    walk.alice.wait_for_url("**/dialogue/mine/")

    # A first case: his acknowledgment is rejected, and the case cannot go on.
    first, code = she_asks_and_frank_invites(walk, sophie, frank_user)
    he_joins(walk, first, code, f"tom{RUN}")
    he_acknowledges(walk, CANARY["ack-rejected"])
    frank_screens(walk, "reject")
    told = frank_does(walk, "[data-qa=advance]", refused=True)
    assert "The case cannot go on" in told
    assert stage(first) == (Stage.FEASIBILITY, State.ACTIVE)
    walk.frank.select_option("#stop-rule", "no_acknowledgment")
    walk.frank.check("[data-qa=stop-end]")
    frank_does(walk, "[data-qa=stop-button]")
    first.refresh_from_db()
    assert (first.state, first.closure_reason) == (State.CLOSED, Closure.RESPONSIBLE_DECLINED)
    her_page(walk, first)
    expect(walk.alice.locator("[data-qa=closure]")).to_be_visible()
    walk.clean("a rejected acknowledgment ends the first case")
    with walk.tom.expect_navigation():
        walk.tom.click("[data-qa=logout]")

    # A second case, walked to its end. His acknowledgment is accepted.
    case, code = she_asks_and_frank_invites(walk, sophie, frank_user)
    he_joins(walk, case, code, f"tomas{RUN}")
    he_acknowledges(walk, CANARY["ack"])
    frank_screens(walk, "approve")
    frank_does(walk, "[data-qa=advance]")
    frank_does(walk, "[data-qa=advance]")
    assert stage(case) == (Stage.EXCHANGE, State.ACTIVE)
    her_page(walk, case)
    ack = walk.alice.locator("[data-qa=incoming-acknowledgment]")
    ack.locator("[data-qa=show]").click()
    expect(ack.locator("[data-qa=item-text]")).to_have_text(CANARY["ack"])
    walk.clean("his acknowledgment, accepted and read")

    # Her message is returned to her with a reason; she writes it again; it is approved.
    walk.alice.fill("[data-qa=compose-name]", "Ana")
    walk.alice.fill("[data-qa=compose-warning]", "About that night")
    walk.alice.fill("[data-qa=compose-text]", CANARY["hers-returned"])
    walk.alice.click("[data-qa=compose-send]")
    expect(walk.alice.locator("[data-qa=my-message]")).to_have_count(1, timeout=SLOW)
    frank_does(walk, "[data-qa=refresh]")
    frank_screens(
        walk, "return", reason="identifying", note=f"Leave out the street. {CANARY['note']}"
    )
    expect(walk.frank.locator("[data-qa=screened-note]")).to_contain_text(CANARY["note"])
    her_page(walk, case)
    mine = walk.alice.locator("[data-qa=my-message]")
    expect(mine.locator("[data-qa=return-reason]")).to_be_visible()
    expect(mine.locator("[data-qa=return-note]")).to_contain_text("Leave out the street.")
    mine.locator("[data-qa=revise]").click()
    walk.alice.fill("[data-qa=compose-text]", CANARY["hers"])
    walk.alice.click("[data-qa=compose-send]")
    expect(walk.alice.locator("[data-qa=my-message]")).to_have_count(2, timeout=SLOW)
    his_page(walk, case)
    assert CANARY["hers"] not in walk.tom.content(), "not his to read before it is approved"
    frank_does(walk, "[data-qa=refresh]")
    frank_screens(walk, "approve")
    his_page(walk, case)
    entry = walk.tom.locator("[data-qa=incoming-item]")
    expect(entry.locator("[data-qa=content-warning]")).to_contain_text("About that night")
    entry.locator("[data-qa=show]").click()
    expect(entry.locator("[data-qa=incoming-text]")).to_have_text(CANARY["hers"])
    assert CANARY["hers-returned"] not in walk.tom.content()
    assert CANARY["note"] not in walk.tom.content(), "the note is hers and the team's"
    walk.clean("her message, returned, rewritten, approved and read")

    # His message and a letter for the bank; she reads both when she chooses.
    walk.tom.fill("#write-text", CANARY["his"])
    walk.tom.click("[data-qa=send-item]")
    walk.tom.wait_for_selector("[data-qa=my-items] [data-qa=item-message]", timeout=SLOW)
    walk.tom.check("#kind-letter")
    walk.tom.fill("#write-text", CANARY["letter"])
    walk.tom.click("[data-qa=send-item]")
    walk.tom.wait_for_selector("[data-qa=my-items] [data-qa=item-letter]", timeout=SLOW)
    frank_does(walk, "[data-qa=refresh]")
    frank_screens(walk, "approve")
    frank_screens(walk, "approve")
    her_page(walk, case)
    for qa, canary in (("incoming-message", CANARY["his"]), ("incoming-letter", CANARY["letter"])):
        card = walk.alice.locator(f"[data-qa={qa}]")
        expect(card.locator("[data-qa=item-text]")).to_be_hidden()
        card.locator("[data-qa=show]").click()
        expect(card.locator("[data-qa=item-text]")).to_have_text(canary)
    walk.clean("his message and letter, read by her")

    # She pauses: nothing moves, not even for the facilitator; she resumes.
    her_step(walk, "pause")
    assert stage(case) == (Stage.EXCHANGE, State.PAUSED)
    frank_does(walk, "[data-qa=refresh]")
    expect(walk.frank.locator("[data-qa=advance]")).to_be_hidden()
    his_page(walk, case)
    expect(walk.tom.locator("[data-qa=paused]")).to_be_visible()
    her_step(walk, "resume")
    assert stage(case) == (Stage.EXCHANGE, State.ACTIVE)

    # The plan: frank writes two items; she declines one and accepts the other.
    franks_page(walk, case)
    frank_does(walk, "[data-qa=advance]")
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    frank_plans(walk, CANARY["plan-declined"], due)
    frank_plans(walk, CANARY["plan-missed"], due)
    her_page(walk, case)
    items = walk.alice.locator("[data-qa=plan-item]")
    expect(items).to_have_count(2)
    items.filter(has_text=CANARY["plan-declined"]).locator("[data-qa=plan-decline]").click()
    expect(walk.alice.locator("[data-qa=plan-item][data-answer=declined]")).to_have_count(1)
    items.filter(has_text=CANARY["plan-missed"]).locator("[data-qa=plan-accept]").click()
    expect(walk.alice.locator("[data-qa=plan-item][data-answer=accepted]")).to_have_count(1)
    walk.clean("the plan")

    # Monitoring: the item she accepted is missed, and she is told.
    franks_page(walk, case)
    frank_does(walk, "[data-qa=advance]")
    assert stage(case) == (Stage.MONITORING, State.ACTIVE)
    frank_does(walk, "[data-qa=missed]")
    missed = PlanItem.objects.get(answer=PlanItem.Answer.ACCEPTED)
    assert missed.outcome == PlanItem.Outcome.MISSED
    her_page(walk, case)
    expect(walk.alice.locator("[data-qa=news-item][data-outcome=missed]")).to_have_count(1)
    walk.clean("a missed item reported to her")

    # She ends it; his page shows the end and offers nothing more to send.
    walk.alice.click("[data-qa=end] summary")
    her_step(walk, "end-confirm")
    case.refresh_from_db()
    assert (case.state, case.closure_reason) == (State.CLOSED, Closure.SURVIVOR_ENDED)
    her_page(walk, case)  # the day its words go, and her copy before it
    expect(walk.alice.locator("[data-qa=words-kept]")).to_contain_text("keep a copy")
    his_page(walk, case)
    assert walk.tom.locator("[data-qa=closure]").is_visible()
    assert walk.tom.locator("[data-qa=words-kept]").is_visible()
    assert walk.tom.locator("[data-qa=write-form]").count() == 0
    kinds = sorted(Item.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == [
        "acknowledgment",
        "assessment",
        "letter",
        "message",
        "message",
        "message",
        "plan-item",
        "plan-item",
        "return-note",
    ]
    walk.clean("the closure")
