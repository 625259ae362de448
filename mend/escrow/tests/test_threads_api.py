"""/api/v1/escrow/threads: what her copy of Find others reads about each of her matches
besides the messages (static/js/escrow/home.js, copy.js): its state, and the decision her
counselor recorded and on which day."""

from __future__ import annotations

from datetime import datetime, timedelta

from mend.escrow import testing
from mend.escrow.models import Membership
from mend.escrow.tests.base import EscrowTestCase

NAMES = ["email:someone@example.org"]


def moment(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


class ThreadsTests(EscrowTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.alice_browser = self.browser_for(self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            self.alice_browser.submit(NAMES, {"what": "what he did"})
            self.browser_for(self.bob).submit(NAMES, {"what": "the same man"})
        self.member = Membership.objects.get(survivor=self.alice)

    def test_it_gives_the_decision_recorded_about_her_its_day_and_the_state(self) -> None:
        alice = self.alice_browser.client
        [thread] = alice.get(f"{testing.API}/threads").json()
        self.assertEqual(
            (thread["id"], thread["decision"], thread["decided_at"], thread["group_state"]),
            (str(self.member.id), "undecided", None, "open"),
        )
        carol = self.counselor_client()
        group = f"{testing.COUNSELOR_API}/groups/{self.member.group_id}"
        body = {"member_id": str(self.member.id), "decision": "more_time"}
        self.assertEqual(testing.post_json(carol, f"{group}/decisions", body).status_code, 204)
        self.assertEqual(carol.post(f"{group}/close").status_code, 204)
        self.member.refresh_from_db()
        assert self.member.decided_at is not None
        [thread] = alice.get(f"{testing.API}/threads").json()
        self.assertEqual((thread["decision"], thread["group_state"]), ("more_time", "closed"))
        # JSON keeps milliseconds.
        gap = abs(moment(thread["decided_at"]) - self.member.decided_at)
        self.assertLess(gap, timedelta(milliseconds=1))
