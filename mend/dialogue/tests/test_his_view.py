"""GET /cases/{id} (and /cases) as the responsible person reads it: the case's stage,
dates and flags, and nothing of the survivor herself (api.her_side_of): not her
facilitators' decision on her readiness, not her choices, not that it was she who paused.

alice's case is at the exchange, frank leads it, ross is the person responsible, sophie
supervises.
"""

from __future__ import annotations

from typing import Any

from mend.dialogue.models import Case, PartyRole
from mend.dialogue.stages import Stage
from mend.dialogue.tests.helpers import DialogueTestCase


class HisViewOfHerTests(DialogueTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = self.case_at(Stage.EXCHANGE)
        self.url = f"/cases/{self.case.id}"

    def read(self, user: Any) -> dict[str, Any]:
        r = self.call(user, "GET", self.url)
        self.assertEqual(r.status_code, 200, r.content)
        return dict(r.json())

    def test_he_is_not_told_that_her_facilitator_reassessed_her_as_not_ready(self) -> None:
        self.assertIsNone(self.read(self.ross)["assessment_proceeds"])
        lead = self.part(self.case, PartyRole.LEAD)
        self.submit(
            lead,
            "frank",
            "assessment",
            "She is struggling.",
            subject="survivor",
            decision="defer",
            stop_rule="retraumatisation",
        )
        self.assertFalse(Case.objects.get(id=self.case.id).assessment_proceeds)
        self.assertIsNone(self.read(self.ross)["assessment_proceeds"])
        (listed,) = self.call(self.ross, "GET", "/cases").json()
        self.assertIsNone(listed["assessment_proceeds"])
        self.assertFalse(self.read(self.alice)["assessment_proceeds"])
        self.assertFalse(self.read(self.frank)["assessment_proceeds"])
        (row,) = self.call(self.sophie, "GET", "/supervision/cases").json()
        self.assertFalse(row["assessment_proceeds"])

    def test_he_is_not_told_her_choices_nor_that_she_paused(self) -> None:
        choices = {"tell_read": False, "tell_plan_outcome": False, "format": "letter_bank"}
        r = self.call(self.alice, "PUT", f"{self.url}/choices", choices)
        self.assertEqual(r.status_code, 200)
        r = self.call(self.alice, "POST", f"{self.url}/steps", {"step": "pause"})
        self.assertEqual(r.status_code, 200)
        case = Case.objects.get(id=self.case.id)
        self.assertEqual((case.paused_by, case.tell_plan_outcome), ("survivor", False))
        his = self.read(self.ross)
        self.assertEqual(
            {k: his[k] for k in ("state", "paused_by", "format", "tell_read", "tell_plan_outcome")},
            {
                "state": "paused",
                "paused_by": "",
                "format": "letter_bank",  # his page offers letters only
                "tell_read": None,
                "tell_plan_outcome": None,
            },
        )
        hers = self.read(self.alice)
        self.assertEqual(
            (hers["paused_by"], hers["tell_read"], hers["tell_plan_outcome"]),
            ("survivor", False, False),
        )
        self.assertEqual(self.read(self.frank)["paused_by"], "survivor")

    def test_a_pause_by_her_facilitator_reads_the_same_to_him(self) -> None:
        r = self.call(self.frank, "POST", f"{self.url}/stops", {"rule": "new_risk", "end": False})
        self.assertEqual(r.status_code, 201)
        self.assertEqual(Case.objects.get(id=self.case.id).paused_by, "facilitator")
        his = self.read(self.ross)
        self.assertEqual((his["state"], his["paused_by"]), ("paused", ""))
        self.assertEqual(self.read(self.alice)["paused_by"], "facilitator")
