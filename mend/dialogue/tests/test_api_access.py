"""Every new URL against every role: 404 to anyone not in the case, staff included;
401 "signed_out" to nobody signed in; the supervisor reads stage, dates and flags only."""

from __future__ import annotations

from typing import Any

from mend.accounts.models import Role, User
from mend.dialogue.models import PlanItem
from mend.dialogue.stages import Stage
from mend.dialogue.tests.helpers import DialogueTestCase

# Every URL of a case, as (method, path template); each answers 404 to an outsider.
CASE_URLS = [
    ("GET", "/cases/{case}"),
    ("POST", "/cases/{case}/consent"),
    ("POST", "/cases/{case}/consent/withdraw"),
    ("POST", "/cases/{case}/steps"),
    ("POST", "/cases/{case}/stops"),
    ("PUT", "/cases/{case}/choices"),
    ("PUT", "/cases/{case}/key"),
    ("GET", "/cases/{case}/key"),
    ("POST", "/cases/{case}/parties/{party}/statement"),
    ("POST", "/cases/{case}/parties/{party}/shared-keys"),
    ("GET", "/cases/{case}/team-keys"),
    ("POST", "/cases/{case}/invitation"),
    ("POST", "/cases/{case}/items"),
    ("GET", "/cases/{case}/items"),
    ("GET", "/cases/{case}/items/{item}"),
    ("POST", "/cases/{case}/items/{item}/screening"),
    ("POST", "/cases/{case}/items/{item}/read"),
    ("POST", "/cases/{case}/items/{item}/check-failed"),
    ("GET", "/cases/{case}/plan"),
    ("POST", "/cases/{case}/plan/{plan}/answer"),
    ("POST", "/cases/{case}/plan/{plan}/outcome"),
    ("POST", "/cases/{case}/feedback"),
]
SUPERVISION_URLS = [
    ("GET", "/supervision/cases"),
    ("POST", "/supervision/cases/{case}/team"),
    ("GET", "/supervision/feedback"),
]
# Valid bodies, so that a 404 cannot be a validation error in disguise.
BODIES: dict[str, dict[str, Any]] = {
    "/consent": {"version": 1},
    "/steps": {"step": "pause"},
    "/stops": {"rule": "threats", "end": False},
    "/choices": {"tell_read": True, "tell_plan_outcome": True, "format": "indirect"},
    "/key": {"box_public_key": "", "signing_public_key": "", "wrapped_secret_key": ""},
    "/statement": {"signature": ""},
    "/screening": {"decision": "rejected"},
    "/answer": {"accept": True},
    "/outcome": {"completed": True},
    "/feedback": {"answers": {}},
    "/check-failed": {"code": "bad_signature"},
    "/team": {"username": "gail", "role": "co"},
    "/shared-keys": {"keys": {"5f0c6c52-64f5-4d8e-9a53-9c1f0b0e6a11": "AAAA"}},
}


class AccessMatrixTests(DialogueTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = self.case_at(Stage.PLAN)
        lead = self.part(self.case, "lead")
        self.plan_item = self.submit(
            lead,
            "frank",
            "plan-item",
            "A written apology.",
            plan_kind="apology",
            due_on="2027-01-31",
        )
        self.values = {
            "case": self.case.id,
            "party": self.part(self.case, "responsible").id,
            "item": self.plan_item.id,
            "plan": PlanItem.objects.get(item=self.plan_item).id,
        }
        self.stranger = User.objects.create_user("rex", password="x", role=Role.RESPONSIBLE)
        alice = self.part(self.case, "survivor")
        self.bodies: dict[str, dict[str, Any]] = {
            **BODIES,
            "/items": self.seal(alice, "alice", "message", "Valid shape."),
        }

    def outsiders(self) -> dict[str, User]:
        return {
            "another survivor": self.mallory,
            "a survivor with a case of her own": self.bob,
            "a facilitator of another case": self.gail,
            "a counselor": self.carol,
            "a directory editor": self.erin,
            "an admin": self.adam,
            "a supervisor": self.sophie,
            "another responsible person": self.stranger,
        }

    def request(self, user: User | None, method: str, template: str) -> Any:
        path = template.format(**self.values)
        body = next((b for suffix, b in self.bodies.items() if path.endswith(suffix)), None)
        return self.call(user, method, path, body)

    def test_every_case_url_answers_404_to_everyone_outside_the_case(self) -> None:
        self.call(self.bob, "POST", "/cases")  # bob's own case does not open alice's
        for who, user in self.outsiders().items():
            for method, template in CASE_URLS:
                r = self.request(user, method, template)
                self.assertEqual(r.status_code, 404, f"{who}: {method} {template}")
                self.assertEqual(r.json()["code"], "not_found")

    def test_every_url_answers_401_signed_out_to_nobody_signed_in(self) -> None:
        for method, template in [*CASE_URLS, *SUPERVISION_URLS, ("GET", "/cases")]:
            r = self.request(None, method, template)
            self.assertEqual(r.status_code, 401, f"{method} {template}")
            self.assertEqual(r.json()["code"], "signed_out")

    def test_supervision_urls_answer_404_to_everyone_but_a_supervisor(self) -> None:
        everyone = {**self.outsiders(), "the survivor": self.alice, "the lead": self.frank}
        everyone.pop("a supervisor")
        for who, user in everyone.items():
            for method, template in SUPERVISION_URLS:
                r = self.request(user, method, template)
                self.assertEqual(r.status_code, 404, f"{who}: {method} {template}")

    def test_a_facilitator_without_her_second_factor_gets_404(self) -> None:
        client = self.sign_in(None)
        client.force_login(self.frank)
        r = client.get(f"/api/v1/dialogue/cases/{self.case.id}")
        self.assertEqual(r.status_code, 404)

    def test_only_the_survivor_opens_a_case(self) -> None:
        for user in (self.frank, self.ross, self.sophie, self.carol, self.adam):
            self.assertEqual(self.call(user, "POST", "/cases").status_code, 404, user.username)
        r = self.call(self.alice, "POST", "/cases")
        self.assertEqual(
            (r.status_code, r.json()["stage"], r.json()["my_role"]), (201, 1, "survivor")
        )

    def test_the_parties_never_reach_facilitator_steps(self) -> None:
        for user in (self.alice, self.ross):
            for method, template in (
                ("POST", "/cases/{case}/stops"),
                ("POST", "/cases/{case}/items/{item}/screening"),
                ("POST", "/cases/{case}/plan/{plan}/outcome"),
                ("POST", "/cases/{case}/invitation"),
                ("POST", "/cases/{case}/parties/{party}/statement"),
                ("POST", "/cases/{case}/parties/{party}/shared-keys"),
            ):
                r = self.request(user, method, template)
                self.assertEqual(r.status_code, 404, f"{user.username}: {template}")

    def test_the_supervisor_sees_stage_dates_and_flags_and_no_content(self) -> None:
        r = self.call(self.sophie, "GET", "/supervision/cases")
        self.assertEqual(r.status_code, 200)
        (row,) = r.json()
        self.assertEqual(row["id"], str(self.case.id))
        self.assertEqual(
            (row["stage"], row["state"], row["has_lead"]), (Stage.PLAN, "active", True)
        )
        self.assertEqual(
            set(row),
            {
                "id",
                "stage",
                "state",
                "opened_at",
                "stage_changed_at",
                "closed_at",
                "closure_reason",
                "words_kept_until",
                "words_deleted_at",
                "assessment_proceeds",
                "acknowledgment_accepted",
                "has_lead",
                "stop_rules",
                "facilitator_lapsed",
                "check_failed",
            },
        )

    def test_he_never_sees_her_account_only_her_part_in_the_case(self) -> None:
        r = self.call(self.ross, "GET", f"/cases/{self.case.id}")
        self.assertEqual(r.status_code, 200)
        self.assertNotIn("alice", r.content.decode())
        self.assertNotIn(str(self.alice.id), r.content.decode())
