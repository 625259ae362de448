"""The responsible person joins only through a one-time code the lead hands over."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client, override_settings

from mend.accounts.models import KeyRing, Role, User
from mend.audit.models import AuditLog
from mend.dialogue.models import Invitation, Participant
from mend.dialogue.stages import Stage
from mend.dialogue.tests.helpers import DialogueTestCase
from mend.vault.testing import Survivor

PASSPHRASE = "a long passphrase he chose himself"


class InvitationTests(DialogueTestCase):
    def invite(self, case_id: object) -> Any:
        return self.call(self.frank, "POST", f"/cases/{case_id}/invitation")

    def join(self, code: str, username: str = "tom", browser: Survivor | None = None) -> Any:
        """His browser signs up exactly as a survivor's would, with the code beside."""
        browser = browser or Survivor(username, PASSPHRASE)
        body = {**browser.signup_body(), "code": code}
        return Client().post(
            "/api/v1/dialogue/join", json.dumps(body), content_type="application/json"
        )

    def test_the_lead_gets_a_code_once_and_only_its_hash_is_kept(self) -> None:
        case = self.case_at(Stage.FEASIBILITY)
        r = self.invite(case.id)
        self.assertEqual(r.status_code, 201)
        code = r.json()["code"]
        self.assertRegex(code, r"^([A-Z0-9]{4}-){4}[A-Z0-9]{4}$")
        stored = Invitation.objects.get(case=case)
        self.assertNotIn(code.replace("-", ""), stored.code_hash)
        self.assertEqual(AuditLog.objects.filter(action="dialogue.invitation.made").count(), 1)

    def test_he_joins_with_the_code_as_a_responsible_person_of_that_case_only(self) -> None:
        case = self.case_at(Stage.FEASIBILITY)
        code = self.invite(case.id).json()["code"]
        r = self.join(code.lower().replace("-", " "))
        self.assertEqual(r.status_code, 201, r.content)
        tom = User.objects.get(username="tom")
        self.assertEqual(tom.role, Role.RESPONSIBLE)
        self.assertTrue(KeyRing.objects.filter(user=tom).exists())
        part = Participant.objects.get(user=tom)
        self.assertEqual((part.case_id, part.role), (case.id, "responsible"))
        self.assertIsNotNone(Invitation.objects.get(case=case).used_at)

    def test_a_code_works_once(self) -> None:
        case = self.case_at(Stage.FEASIBILITY)
        code = self.invite(case.id).json()["code"]
        self.assertEqual(self.join(code).status_code, 201)
        r = self.join(code, username="tim")
        self.assertEqual((r.status_code, r.json()["code"]), (400, "bad_code"))
        self.assertFalse(User.objects.filter(username="tim").exists())

    def test_a_wrong_code_makes_no_account(self) -> None:
        r = self.join("ABCD-EFGH-JKMN-PQRS-TVWX")
        self.assertEqual((r.status_code, r.json()["code"]), (400, "bad_code"))
        self.assertFalse(User.objects.filter(username="tom").exists())

    def test_a_taken_username_refuses_the_whole_join_and_keeps_the_code(self) -> None:
        case = self.case_at(Stage.FEASIBILITY)
        code = self.invite(case.id).json()["code"]
        r = self.join(code, username="alice")
        self.assertEqual((r.status_code, r.json()["code"]), (409, "username_taken"))
        self.assertIsNone(Invitation.objects.get(case=case).used_at)
        self.assertEqual(self.join(code).status_code, 201)

    def test_invitations_are_made_only_at_the_feasibility_stage(self) -> None:
        case = self.case_at(Stage.ASSESSMENT)
        r = self.invite(case.id)
        self.assertEqual((r.status_code, r.json()["code"]), (403, "wrong_stage"))
        self.assertFalse(Invitation.objects.exists())

    @override_settings(RATE_LIMIT_DIALOGUE_INVITE_ACCOUNT=(2, 3600))
    def test_invitations_are_rate_limited(self) -> None:
        case = self.case_at(Stage.FEASIBILITY)
        self.assertEqual(self.invite(case.id).status_code, 201)
        self.assertEqual(self.invite(case.id).status_code, 201)
        r = self.invite(case.id)
        self.assertEqual((r.status_code, r.json()["code"]), (429, "rate_limited"))
        self.assertGreater(int(r.headers["Retry-After"]), 0)
        self.assertEqual(Invitation.objects.filter(case=case).count(), 1)  # the last replaced

    @override_settings(RATE_LIMIT_DIALOGUE_JOIN_IP=(2, 3600))
    def test_guessing_codes_is_rate_limited_by_address(self) -> None:
        for _ in range(2):
            self.assertEqual(self.join("ABCD-EFGH-JKMN-PQRS-TVWX").status_code, 400)
        r = self.join("ABCD-EFGH-JKMN-PQRS-TVWY")
        self.assertEqual((r.status_code, r.json()["code"]), (429, "rate_limited"))

    def test_his_account_reaches_no_vault_and_logs_in_like_a_survivor(self) -> None:
        case = self.case_at(Stage.FEASIBILITY)
        tom = Survivor("tom", PASSPHRASE)
        self.join(self.invite(case.id).json()["code"], browser=tom)
        client = Client()
        r = client.post(
            "/api/v1/accounts/login", json.dumps(tom.login_body()), content_type="application/json"
        )
        self.assertEqual(r.status_code, 200)
        self.assertEqual(client.get("/api/v1/vault/records").status_code, 404)
        self.assertEqual(client.get(f"/api/v1/dialogue/cases/{case.id}").status_code, 200)
