"""Stop rules, the plan's outcomes as she chose to hear them, and anonymous feedback."""

from __future__ import annotations

from mend.audit.models import AuditLog
from mend.dialogue import actions
from mend.dialogue.models import Feedback, PartyRole, PlanItem, StopRecord
from mend.dialogue.stages import Stage, Step
from mend.dialogue.tests.helpers import DialogueTestCase
from mend.test import NOW

ANSWERS = {"felt_safe": 4, "felt_heard": 5, "facilitation": 4, "would_recommend": 3}


class StopRuleTests(DialogueTestCase):
    def test_a_stop_rule_for_threats_ends_the_case_for_safety_and_is_audited(self) -> None:
        case = self.case_at(Stage.EXCHANGE)
        r = self.call(
            self.frank, "POST", f"/cases/{case.id}/stops", {"rule": "threats", "end": True}
        )
        self.assertEqual(r.status_code, 201)
        self.assertEqual(
            (r.json()["state"], r.json()["closure_reason"]), ("closed", "stopped_for_safety")
        )
        record = StopRecord.objects.get(case=case)
        self.assertEqual((record.rule, record.ended), ("threats", True))
        self.assertEqual(AuditLog.objects.filter(action="dialogue.stop.ended").count(), 1)

    def test_a_pause_for_new_risk_is_resumed_by_the_facilitator_not_the_parties(self) -> None:
        case = self.case_at(Stage.EXCHANGE)
        r = self.call(
            self.frank, "POST", f"/cases/{case.id}/stops", {"rule": "new_risk", "end": False}
        )
        self.assertEqual((r.status_code, r.json()["paused_by"]), (201, "facilitator"))
        r = self.call(self.alice, "POST", f"/cases/{case.id}/steps", {"step": "resume"})
        self.assertEqual((r.status_code, r.json()["code"]), (403, "not_yours"))
        r = self.call(self.frank, "POST", f"/cases/{case.id}/steps", {"step": "resume"})
        self.assertEqual((r.status_code, r.json()["state"]), (200, "active"))

    def test_she_can_still_end_a_case_the_facilitator_paused(self) -> None:
        case = self.case_at(Stage.EXCHANGE)
        self.call(self.frank, "POST", f"/cases/{case.id}/stops", {"rule": "coercion", "end": False})
        r = self.call(self.alice, "POST", f"/cases/{case.id}/steps", {"step": "end"})
        self.assertEqual((r.status_code, r.json()["closure_reason"]), (200, "survivor_ended"))

    def test_withdrawing_consent_ends_the_case_at_once(self) -> None:
        case = self.case_at(Stage.ASSESSMENT)
        r = self.call(self.alice, "POST", f"/cases/{case.id}/consent/withdraw")
        self.assertEqual((r.status_code, r.json()["state"]), (200, "closed"))
        self.assertFalse(case.consents.filter(withdrawn_at__isnull=True).exists())


class PlanTests(DialogueTestCase):
    def monitored(self) -> tuple[object, PlanItem]:
        case = self.case_at(Stage.PLAN)
        lead = self.part(case, "lead")
        item = self.submit(
            lead, "frank", "plan-item", "Apologise.", plan_kind="apology", due_on="2027-01-31"
        )
        plan = PlanItem.objects.get(item=item)
        actions.do_answer_plan_item(self.part(case, "survivor"), plan, True)
        actions.do_step(lead, Step.ADVANCE, NOW)
        actions.do_record_outcome(lead, plan, False, NOW)
        return case, plan

    def test_a_missed_item_is_reported_to_her(self) -> None:
        case, _ = self.monitored()
        (row,) = self.call(self.alice, "GET", f"/cases/{case.id}/plan").json()  # type: ignore[attr-defined]
        self.assertEqual((row["answer"], row["outcome"]), ("accepted", "missed"))

    def test_she_is_not_told_when_she_chose_not_to_be(self) -> None:
        case, _ = self.monitored()
        path = f"/cases/{case.id}/choices"  # type: ignore[attr-defined]
        self.call(
            self.alice,
            "PUT",
            path,
            {"tell_read": False, "tell_plan_outcome": False, "format": "indirect"},
        )
        (row,) = self.call(self.alice, "GET", f"/cases/{case.id}/plan").json()  # type: ignore[attr-defined]
        self.assertIsNone(row["outcome"])
        (his,) = self.call(self.ross, "GET", f"/cases/{case.id}/plan").json()  # type: ignore[attr-defined]
        self.assertEqual(his["outcome"], "missed")

    def test_monitoring_needs_an_item_she_accepted(self) -> None:
        case = self.case_at(Stage.PLAN)
        r = self.call(self.frank, "POST", f"/cases/{case.id}/steps", {"step": "advance"})
        self.assertEqual((r.status_code, r.json()["code"]), (403, "no_plan"))


class FeedbackTests(DialogueTestCase):
    def test_feedback_is_stored_with_no_link_and_given_once(self) -> None:
        case = self.case_at(Stage.EXCHANGE)
        path = f"/cases/{case.id}/feedback"
        r = self.call(self.alice, "POST", path, {"answers": ANSWERS})
        self.assertEqual((r.status_code, r.json()["code"]), (403, "not_closed"))
        self.call(self.alice, "POST", f"/cases/{case.id}/steps", {"step": "end"})
        self.assertEqual(self.call(self.alice, "POST", path, {"answers": ANSWERS}).status_code, 204)
        r = self.call(self.alice, "POST", path, {"answers": ANSWERS})
        self.assertEqual((r.status_code, r.json()["code"]), (409, "answered"))
        self.assertEqual(
            [f.name for f in Feedback._meta.get_fields()], ["id", "submitted_on", "role", "answers"]
        )
        self.assertEqual(
            list(Feedback.objects.values_list("role", "answers")), [("survivor", ANSWERS)]
        )

    def test_he_answers_once_too_and_his_answers_are_kept_apart_from_hers(self) -> None:
        case = self.case_at(Stage.EXCHANGE)
        self.call(self.ross, "POST", f"/cases/{case.id}/steps", {"step": "end"})
        path = f"/cases/{case.id}/feedback"
        self.assertEqual(self.call(self.ross, "POST", path, {"answers": ANSWERS}).status_code, 204)
        r = self.call(self.ross, "POST", path, {"answers": ANSWERS})
        self.assertEqual((r.status_code, r.json()["code"]), (409, "answered"))
        self.assertEqual(list(Feedback.objects.values_list("role", flat=True)), ["responsible"])
        summary = self.call(self.sophie, "GET", "/supervision/feedback").json()
        self.assertEqual(summary["responsible"], {"answers": 0, "averages": None})  # under 5

    def test_the_facilitators_cannot_answer_the_parties_survey(self) -> None:
        case = self.case_at(Stage.EXCHANGE)
        self.call(self.alice, "POST", f"/cases/{case.id}/steps", {"step": "end"})
        r = self.call(self.frank, "POST", f"/cases/{case.id}/feedback", {"answers": ANSWERS})
        self.assertEqual((r.status_code, r.json()["code"]), (403, "not_a_party"))
        self.assertFalse(Feedback.objects.exists())
        self.assertFalse(self.part(case, PartyRole.LEAD).feedback_given)

    def test_an_answer_out_of_range_is_refused(self) -> None:
        case = self.case_at(Stage.EXCHANGE)
        self.call(self.alice, "POST", f"/cases/{case.id}/steps", {"step": "end"})
        r = self.call(
            self.alice,
            "POST",
            f"/cases/{case.id}/feedback",
            {"answers": {**ANSWERS, "felt_safe": 9}},
        )
        self.assertEqual((r.status_code, r.json()["code"]), (400, "bad_answers"))
        self.assertFalse(Feedback.objects.exists())

    def test_aggregates_show_only_from_five_answers_up_and_each_side_apart(self) -> None:
        for _ in range(4):
            Feedback.objects.create(submitted_on=NOW.date(), answers=ANSWERS)
        for _ in range(5):  # his side's five answers do not make up her side's fifth
            Feedback.objects.create(
                submitted_on=NOW.date(), role="responsible", answers={**ANSWERS, "felt_safe": 1}
            )
        r = self.call(self.sophie, "GET", "/supervision/feedback")
        self.assertEqual(r.json()["survivor"], {"answers": 0, "averages": None})
        self.assertEqual(r.json()["responsible"]["averages"]["felt_safe"], 1.0)
        Feedback.objects.create(submitted_on=NOW.date(), answers={**ANSWERS, "felt_safe": 5})
        r = self.call(self.sophie, "GET", "/supervision/feedback")
        self.assertEqual(r.json()["survivor"]["answers"], 5)
        self.assertEqual(r.json()["survivor"]["averages"]["felt_safe"], 4.2)

    def test_a_new_answer_shows_only_with_four_more_so_no_reading_gives_one_away(self) -> None:
        # Read before and after her case closes, a running average would tell her answers.
        for _ in range(5):
            Feedback.objects.create(submitted_on=NOW.date(), answers=ANSWERS)
        before = self.call(self.sophie, "GET", "/supervision/feedback").json()["survivor"]
        case = self.case_at(Stage.EXCHANGE)
        self.call(self.alice, "POST", f"/cases/{case.id}/steps", {"step": "end"})
        hers = dict.fromkeys(ANSWERS, 1)
        path = f"/cases/{case.id}/feedback"
        self.assertEqual(self.call(self.alice, "POST", path, {"answers": hers}).status_code, 204)
        after = self.call(self.sophie, "GET", "/supervision/feedback").json()["survivor"]
        self.assertEqual(after, before)
        self.assertEqual(Feedback.objects.filter(role="survivor").count(), 6)
        for _ in range(4):
            Feedback.objects.create(submitted_on=NOW.date(), answers=ANSWERS)
        batch = self.call(self.sophie, "GET", "/supervision/feedback").json()["survivor"]
        self.assertEqual(batch["answers"], 10)
        expected = round((9 * ANSWERS["felt_safe"] + 1) / 10, 2)
        self.assertEqual(batch["averages"]["felt_safe"], expected)
