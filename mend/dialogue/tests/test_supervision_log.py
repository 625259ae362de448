"""The supervision log (RJC Practitioner Code: case supervision at least every 12 weeks):
sophie, a supervisor, records the sessions frank and gail, facilitators, had; each of them
reads only their own standing; nobody else reads or writes any of it.

The clock is frozen at NOW (24 November 2026, DialogueTestCase); days are the supervisor's.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import time_machine
from django.test import Client

from mend.accounts.models import Role, User
from mend.audit.models import AuditLog
from mend.dialogue.models import SupervisionSession
from mend.dialogue.tests.helpers import DialogueTestCase
from mend.test import NOW

TODAY = NOW.date()
#: 24 November 2026 and 12 weeks.
DUE = date(2027, 2, 16)


class SupervisionLogApiTests(DialogueTestCase):
    def record(self, username: str, held_on: date, user: User | None = None) -> Any:
        body = {"username": username, "held_on": held_on.isoformat()}
        return self.call(user or self.sophie, "POST", "/supervision/sessions", body)

    def log(self) -> list[dict[str, Any]]:
        response = self.call(self.sophie, "GET", "/supervision/facilitators")
        self.assertEqual(response.status_code, 200)
        rows: list[dict[str, Any]] = response.json()
        return rows

    def test_a_supervisor_records_a_session_and_the_log_says_when_the_next_is_due(self) -> None:
        User.objects.create_user("hugo", password="x", role=Role.FACILITATOR, is_active=False)
        response = self.record("frank", TODAY)
        self.assertEqual(response.status_code, 201)
        frank = {"username": "frank", "last_held_on": "2026-11-24", "due_on": "2027-02-16"}
        self.assertEqual(response.json(), {**frank, "overdue": False})
        self.assertEqual(
            self.log(),
            [
                {**frank, "overdue": False},
                {"username": "gail", "last_held_on": None, "due_on": None, "overdue": True},
            ],
        )
        session = SupervisionSession.objects.get()
        self.assertEqual((session.facilitator, session.supervisor), (self.frank, self.sophie))
        row = AuditLog.objects.get(action="dialogue.supervision.recorded")
        self.assertEqual((row.actor_id, row.object_id), (self.sophie.pk, str(session.id)))

    def test_the_latest_session_counts_whatever_order_they_are_recorded_in(self) -> None:
        self.assertEqual(self.record("frank", TODAY).status_code, 201)
        self.assertEqual(self.record("frank", TODAY - timedelta(days=30)).status_code, 201)
        self.assertEqual(self.log()[0]["last_held_on"], "2026-11-24")

    def test_it_is_due_by_the_day_twelve_weeks_on_and_overdue_the_day_after(self) -> None:
        self.record("frank", TODAY)
        for day, overdue in ((DUE, False), (DUE + timedelta(days=1), True)):
            with time_machine.travel(NOW + (day - TODAY), tick=False):
                self.assertEqual(self.log()[0]["overdue"], overdue, day)

    def test_it_refuses_a_day_to_come_a_day_over_a_year_ago_a_repeat_and_a_non_facilitator(
        self,
    ) -> None:
        refusals = [
            (("frank", TODAY + timedelta(days=1)), 422, "future"),
            (("frank", TODAY - timedelta(days=367)), 422, "too_old"),
            (("alice", TODAY), 400, "not_a_facilitator"),
            (("nobody", TODAY), 400, "not_a_facilitator"),
        ]
        for (username, day), status, code in refusals:
            response = self.record(username, day)
            self.assertEqual((response.status_code, response.json()["code"]), (status, code))
        self.assertFalse(SupervisionSession.objects.exists())
        self.assertEqual(self.record("frank", TODAY - timedelta(days=366)).status_code, 201)
        repeat = self.record("frank", TODAY - timedelta(days=366))
        self.assertEqual((repeat.status_code, repeat.json()["code"]), (409, "recorded"))
        self.assertEqual(SupervisionSession.objects.count(), 1)
        self.assertEqual(AuditLog.objects.filter(action="dialogue.supervision.recorded").count(), 1)

    def test_nobody_but_a_supervisor_reads_or_writes_the_log(self) -> None:
        for user in (self.frank, self.gail, self.alice, self.carol, self.adam, self.ross):
            self.assertEqual(self.call(user, "GET", "/supervision/facilitators").status_code, 404)
            self.assertEqual(self.record("frank", TODAY, user).status_code, 404, user.username)
            self.assertEqual(self.sign_in(user).get("/dialogue/supervision/log/").status_code, 404)
        self.assertEqual(self.call(None, "GET", "/supervision/facilitators").status_code, 401)
        self.assertFalse(SupervisionSession.objects.exists())


class SupervisionLogPageTests(DialogueTestCase):
    def post(self, client: Client, username: str, held_on: str, prefix: str = "") -> Any:
        data = {"username": username, "held_on": held_on}
        return client.post(f"{prefix}/dialogue/supervision/sessions/", data, follow=True)

    def test_the_supervisor_records_a_session_on_her_page_and_reads_why_one_was_refused(
        self,
    ) -> None:
        sophie = self.sign_in(self.sophie)
        cases = sophie.get("/dialogue/supervision/")
        self.assertContains(cases, 'href="/dialogue/supervision/log/"')
        self.assertNotContains(cases, "frank")  # the list of cases still names nobody
        refused = self.post(sophie, "frank", "2026-11-25", prefix="/es")
        self.assertContains(refused, "este día aún no ha llegado", status_code=422)
        # What she typed stays; the day is the field in error, described by its error.
        self.assertContains(refused, 'value="frank"', status_code=422)
        self.assertInHTML(
            '<input type="date" name="held_on" value="2026-11-25" data-qa="session-day"'
            ' autofocus required aria-invalid="true" aria-describedby="session-held_on_error"'
            ' id="session-held_on">',
            refused.content.decode(),
        )
        self.assertFalse(SupervisionSession.objects.exists())
        recorded = self.post(sophie, "frank", "2026-11-24")
        self.assertEqual(recorded.redirect_chain, [("/dialogue/supervision/log/", 302)])
        self.assertContains(recorded, "The session is recorded.")
        self.assertContains(recorded, 'data-qa="supervision-row"', count=2)
        self.assertContains(recorded, "Feb. 16, 2027")
        self.assertContains(recorded, 'data-qa="overdue"', count=1)  # gail's: none recorded
        self.assertEqual(SupervisionSession.objects.get().facilitator, self.frank)

    def test_a_form_without_a_day_is_refused_next_to_the_day_keeping_the_username(self) -> None:
        response = self.post(self.sign_in(self.sophie), "frank", "not a day")
        self.assertContains(
            response,
            '<ul class="errorlist" id="session-held_on_error"><li>Enter a valid date.</li></ul>',
            status_code=400,
        )
        self.assertContains(response, 'value="frank"', status_code=400)
        self.assertFalse(SupervisionSession.objects.exists())

    def test_her_list_tells_her_when_her_next_supervision_is_due(self) -> None:
        mine = self.sign_in(self.frank).get("/dialogue/staff/")
        self.assertContains(mine, "No case-supervision session is recorded for you yet")
        self.post(self.sign_in(self.sophie), "frank", "2026-11-24")
        mine = self.sign_in(self.frank).get("/dialogue/staff/")
        self.assertContains(mine, "the next is due by Feb. 16, 2027")
        self.assertNotContains(self.sign_in(self.gail).get("/dialogue/staff/"), "Feb. 16, 2027")
        with time_machine.travel(NOW + timedelta(weeks=12, days=1), tick=False):
            late = self.sign_in(self.frank).get("/es/dialogue/staff/")
        self.assertContains(late, "Tu supervisión de casos está atrasada")
