"""Reminders during the plan and monitoring: what is due for him, what waits to be verified
by the facilitators, and outcomes told to her when she chose to hear them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import time_machine

from mend.dialogue import actions
from mend.dialogue.models import Case, PlanItem
from mend.dialogue.stages import Stage, Step
from mend.dialogue.tests.helpers import DialogueTestCase
from mend.test import NOW

DUE = (NOW + timedelta(days=20)).date()


class MonitoringTests(DialogueTestCase):
    """alice (survivor), ross (responsible), frank (lead); one apology due in 20 days."""

    def monitored(self) -> tuple[Case, PlanItem]:
        case = self.case_at(Stage.PLAN)
        lead = self.part(case, "lead")
        item = self.submit(
            lead, "frank", "plan-item", "Apologise.", plan_kind="apology", due_on=DUE.isoformat()
        )
        plan = PlanItem.objects.get(item=item)
        actions.do_answer_plan_item(self.part(case, "survivor"), plan, True)
        actions.do_step(lead, Step.ADVANCE, NOW)
        return case, plan

    def seen_by(self, user: Any, case: Case) -> Any:
        r = self.call(user, "GET", f"/cases/{case.id}")
        self.assertEqual(r.status_code, 200)
        return r.json()

    def test_he_is_reminded_two_weeks_before_the_due_date_and_after_it_passes(self) -> None:
        case, plan = self.monitored()
        self.assertEqual(self.seen_by(self.ross, case)["reminders"], [])
        with time_machine.travel(NOW + timedelta(days=7), tick=False):
            (soon,) = self.seen_by(self.ross, case)["reminders"]
        self.assertEqual((soon["kind"], soon["plan_item"]), ("due_soon", plan.id))
        with time_machine.travel(NOW + timedelta(days=21), tick=False):
            (late,) = self.seen_by(self.ross, case)["reminders"]
        self.assertEqual((late["kind"], late["due_on"]), ("overdue", DUE.isoformat()))

    def test_the_facilitator_is_asked_to_verify_once_it_is_due_and_not_before(self) -> None:
        case, plan = self.monitored()
        self.assertEqual(self.seen_by(self.frank, case)["reminders"], [])
        with time_machine.travel(NOW + timedelta(days=20), tick=False):
            (due,) = self.seen_by(self.frank, case)["reminders"]
            self.assertEqual((due["kind"], due["plan_item"]), ("to_verify", plan.id))
            actions.do_record_outcome(self.part(case, "lead"), plan, True, NOW + timedelta(days=20))
            self.assertEqual(self.seen_by(self.frank, case)["reminders"], [])
            self.assertEqual(self.seen_by(self.ross, case)["reminders"], [])

    def test_she_is_told_an_outcome_once_recorded_and_for_a_month(self) -> None:
        case, plan = self.monitored()
        self.assertEqual(self.seen_by(self.alice, case)["reminders"], [])
        missed_at = NOW + timedelta(days=21)
        with time_machine.travel(missed_at, tick=False):
            actions.do_record_outcome(self.part(case, "lead"), plan, False, missed_at)
            (told,) = self.seen_by(self.alice, case)["reminders"]
        self.assertEqual((told["kind"], told["outcome"]), ("outcome", "missed"))
        with time_machine.travel(missed_at + timedelta(days=31), tick=False):
            self.assertEqual(self.seen_by(self.alice, case)["reminders"], [])

    def test_she_is_told_nothing_when_she_chose_not_to_be(self) -> None:
        case, plan = self.monitored()
        choices = {"tell_read": False, "tell_plan_outcome": False, "format": "indirect"}
        self.assertEqual(
            self.call(self.alice, "PUT", f"/cases/{case.id}/choices", choices).status_code, 200
        )
        actions.do_record_outcome(self.part(case, "lead"), plan, False, NOW)
        self.assertEqual(self.seen_by(self.alice, case)["reminders"], [])

    def test_monitoring_ends_by_default_after_a_year_and_the_facilitator_is_told(self) -> None:
        case, plan = self.monitored()
        ends = (NOW + timedelta(days=365)).date()
        self.assertEqual(self.seen_by(self.frank, case)["monitoring_ends_on"], ends.isoformat())
        actions.do_record_outcome(self.part(case, "lead"), plan, True, NOW)
        with time_machine.travel(NOW + timedelta(days=365), tick=False):
            (over,) = self.seen_by(self.frank, case)["reminders"]
        self.assertEqual((over["kind"], over["due_on"]), ("monitoring_over", ends.isoformat()))

    def test_a_closed_case_reminds_nobody(self) -> None:
        case, _ = self.monitored()
        self.call(self.alice, "POST", f"/cases/{case.id}/steps", {"step": "end"})
        with time_machine.travel(NOW + timedelta(days=30), tick=False):
            for user in (self.alice, self.ross, self.frank):
                seen = self.seen_by(user, case)
                self.assertEqual((seen["reminders"], seen["monitoring_ends_on"]), ([], None))

    def test_a_supervisor_sees_no_reminders(self) -> None:
        case, _ = self.monitored()
        with time_machine.travel(NOW + timedelta(days=21), tick=False):
            (row,) = self.call(self.sophie, "GET", "/supervision/cases").json()
        self.assertNotIn("reminders", row)
        self.assertEqual(row["id"], str(case.id))
