"""Bad input gets a clear, specific 4xx and stores nothing; items are rate-limited."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client, override_settings

from mend.accounts.models import Role, User
from mend.audit.models import AuditLog
from mend.certificates.testing import certify
from mend.dialogue import actions
from mend.dialogue.models import Consent, Invitation, Item, Participant, SupervisionSession
from mend.dialogue.stages import Stage
from mend.dialogue.tests.helpers import BASE, DialogueTestCase, b64, ready_to_facilitate
from mend.escrow import testing as escrow_testing
from mend.escrow.models import CounselorKey
from mend.test import NOW
from mend.vault.testing import Survivor


class ItemInputTests(DialogueTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = self.case_at(Stage.EXCHANGE)
        self.alice_part = self.part(self.case, "survivor")
        self.url = f"/cases/{self.case.id}/items"

    def post(self, body: dict[str, Any]) -> Any:
        return self.call(self.alice, "POST", self.url, body)

    def assertRefused(self, body: dict[str, Any], status: int, code: str) -> None:
        before = Item.objects.count()
        r = self.post(body)
        self.assertEqual(r.status_code, status, r.content)
        if code:
            self.assertEqual(r.json()["code"], code)
        self.assertEqual(Item.objects.count(), before)

    def valid(self) -> dict[str, Any]:
        return self.seal(self.alice_part, "alice", "message", "Hello.")

    def test_an_unknown_field_is_refused(self) -> None:
        self.assertRefused({**self.valid(), "plaintext": "Hello."}, 422, "")

    def test_a_body_that_is_not_base64_is_named(self) -> None:
        r = self.post({**self.valid(), "body": "not base64!"})
        self.assertEqual(r.status_code, 422)
        self.assertIn("body", r.content.decode())

    def test_a_body_that_is_not_an_envelope_is_refused(self) -> None:
        self.assertRefused({**self.valid(), "body": b64(b"\x02" + bytes(60))}, 400, "malformed")

    def test_a_body_over_64_kib_is_refused(self) -> None:
        self.assertRefused({**self.valid(), "body": b64(b"\x01" + bytes(70_000))}, 400, "malformed")

    def test_a_short_signature_is_refused(self) -> None:
        self.assertRefused({**self.valid(), "signature": b64(bytes(63))}, 400, "malformed")

    def test_a_sealed_key_of_the_wrong_size_is_refused(self) -> None:
        body = self.valid()
        reader = next(iter(body["reader_keys"]))
        body["reader_keys"][reader] = b64(bytes(40))
        self.assertRefused(body, 400, "malformed")

    def test_a_kind_that_does_not_exist_is_refused(self) -> None:
        self.assertRefused({**self.valid(), "kind": "gift"}, 422, "")

    def test_a_survivor_cannot_write_a_letter_or_an_assessment(self) -> None:
        for kind in ("letter", "assessment", "plan-item", "acknowledgment"):
            self.assertRefused(self.seal(self.alice_part, "alice", kind, "x"), 403, "not_yours")

    def test_the_same_item_id_twice_is_a_conflict(self) -> None:
        body = self.valid()
        self.assertEqual(self.post(body).status_code, 201)
        self.assertRefused(body, 409, "item_exists")

    def test_a_first_item_must_be_revision_one(self) -> None:
        body = self.seal(self.alice_part, "alice", "message", "x", revision=2)
        self.assertRefused(body, 400, "bad_revision")

    @override_settings(RATE_LIMIT_DIALOGUE_ITEM_ACCOUNT=(2, 3600))
    def test_items_are_rate_limited_per_account(self) -> None:
        for _ in range(2):
            self.assertEqual(self.post(self.valid()).status_code, 201)
        r = self.post(self.valid())
        self.assertEqual((r.status_code, r.json()["code"]), (429, "rate_limited"))
        self.assertEqual(Item.objects.filter(kind="message").count(), 2)


class StepInputTests(DialogueTestCase):
    def test_an_unknown_step_is_refused(self) -> None:
        case = self.case_at(Stage.ASSESSMENT)
        r = self.call(self.frank, "POST", f"/cases/{case.id}/steps", {"step": "skip"})
        self.assertEqual(r.status_code, 422)

    def test_consent_to_old_information_is_refused_by_name(self) -> None:
        r = self.call(self.alice, "POST", "/cases")
        case_id = r.json()["id"]
        r = self.call(self.alice, "POST", f"/cases/{case_id}/consent", {"version": 7})
        self.assertEqual((r.status_code, r.json()["code"]), (400, "old_information"))
        self.assertFalse(Consent.objects.exists())

    def test_a_facilitator_without_a_current_certificate_is_not_assigned_a_case(self) -> None:
        hana = User.objects.create_user("hana", password="hana-passphrase", role=Role.FACILITATOR)
        case = self.case_at(Stage.REQUEST)
        team = f"/supervision/cases/{case.id}/team"
        r = self.call(self.sophie, "POST", team, {"username": "hana", "role": "lead"})
        self.assertEqual((r.status_code, r.json()["code"]), (409, "not_certified"))
        self.assertFalse(Participant.objects.filter(case=case, user=hana).exists())
        ready_to_facilitate(hana)
        r = self.call(self.sophie, "POST", team, {"username": "hana", "role": "lead"})
        self.assertEqual(r.status_code, 201)
        self.assertTrue(Participant.objects.filter(case=case, user=hana, role="lead").exists())

    def test_a_facilitator_is_assigned_only_once_a_counselor_vouched_for_her_staff_key(
        self,
    ) -> None:
        # The parties' browsers write to her only through a chain of endorsements: a case
        # hers before that would take in words that nobody could send her.
        hana = User.objects.create_user("hana", password="hana-passphrase", role=Role.FACILITATOR)
        certify(hana, now=NOW)
        case = self.case_at(Stage.REQUEST)
        team = f"/supervision/cases/{case.id}/team"
        r = self.call(self.sophie, "POST", team, {"username": "hana", "role": "co"})
        self.assertEqual((r.status_code, r.json()["code"]), (409, "key_not_vouched"))
        escrow_testing.add_counselor_key(hana, endorsed_by=None)  # made, nobody vouched
        r = self.call(self.sophie, "POST", team, {"username": "hana", "role": "co"})
        self.assertEqual((r.status_code, r.json()["code"]), (409, "key_not_vouched"))
        self.assertFalse(Participant.objects.filter(case=case, user=hana).exists())
        CounselorKey.objects.filter(counselor=hana).update(active=False)
        escrow_testing.add_counselor_key(hana)  # a new one, vouched for by the operator's key
        r = self.call(self.sophie, "POST", team, {"username": "hana", "role": "co"})
        self.assertEqual(r.status_code, 201)
        self.assertTrue(Participant.objects.filter(case=case, user=hana, role="co").exists())

    def test_advancing_without_consent_is_refused(self) -> None:
        case = self.case_at(Stage.REQUEST)
        participant = Participant.objects.get(case=case)
        self.assertEqual(participant.role, "survivor")
        actions.do_assign_facilitator(self.sophie, case, self.frank, "lead", NOW)
        r = self.call(self.frank, "POST", f"/cases/{case.id}/steps", {"step": "advance"})
        self.assertEqual((r.status_code, r.json()["code"]), (403, "no_consent"))

    def test_a_stop_to_defer_needs_its_rule(self) -> None:
        case = self.case_at(Stage.ASSESSMENT)
        lead = self.part(case, "lead")
        body = self.seal(
            lead, "frank", "assessment", "not yet", subject="survivor", decision="defer"
        )
        r = self.call(self.frank, "POST", f"/cases/{case.id}/items", body)
        self.assertEqual((r.status_code, r.json()["code"]), (400, "reason_needed"))
        self.assertFalse(Item.objects.filter(kind="assessment", case=case).exists())

    def test_a_key_of_the_wrong_size_is_refused(self) -> None:
        r = self.call(self.alice, "POST", "/cases")
        body = {
            "box_public_key": b64(bytes(31)),
            "signing_public_key": b64(bytes(32)),
            "wrapped_secret_key": b64(b"\x01" + bytes(72)),
        }
        r = self.call(self.alice, "PUT", f"/cases/{r.json()['id']}/key", body)
        self.assertEqual((r.status_code, r.json()["code"]), (400, "malformed"))
        self.assertIn("box_public_key must be 32 bytes", r.json()["detail"])


class UsernameInputTests(DialogueTestCase):
    """A username with a NUL (any control character) is the API's 422 on every database:
    PostgreSQL would fail on it in the query, with a 500 page instead of a refusal."""

    def assertRefusedAsInvalid(self, r: Any) -> None:
        self.assertEqual(r.status_code, 422, r.content)
        self.assertEqual(r["Content-Type"], "application/json")  # the refusal, not a 500 page
        self.assertEqual(r.json()["code"], "invalid")
        self.assertIn("username", r.json()["detail"])

    def test_a_supervisor_cannot_assign_a_username_with_a_nul(self) -> None:
        case = self.case_at(Stage.REQUEST)
        body = {"username": "fr\u0000ank", "role": "lead"}
        r = self.call(self.sophie, "POST", f"/supervision/cases/{case.id}/team", body)
        self.assertRefusedAsInvalid(r)
        self.assertFalse(Participant.objects.filter(case=case, user=self.frank).exists())

    def test_a_supervisor_cannot_take_off_a_username_with_a_nul(self) -> None:
        case = self.case_at(Stage.EXCHANGE)
        url = f"/supervision/cases/{case.id}/team/take-off"
        r = self.call(self.sophie, "POST", url, {"username": "frank\u0000"})
        self.assertRefusedAsInvalid(r)
        self.assertEqual(self.part(case, "lead").user, self.frank)

    def test_a_supervisor_cannot_record_a_session_for_a_username_with_a_nul(self) -> None:
        body = {"username": "fr\u0000ank", "held_on": NOW.date().isoformat()}
        r = self.call(self.sophie, "POST", "/supervision/sessions", body)
        self.assertRefusedAsInvalid(r)
        self.assertFalse(SupervisionSession.objects.exists())
        self.assertFalse(AuditLog.objects.filter(action="dialogue.supervision.recorded").exists())

    def test_he_cannot_join_with_a_username_with_a_nul_and_the_code_stays_unused(self) -> None:
        case = self.case_at(Stage.FEASIBILITY)
        code = self.call(self.frank, "POST", f"/cases/{case.id}/invitation").json()["code"]
        body = {**Survivor("tom\u0000", "a long passphrase he chose").signup_body(), "code": code}
        r = Client().post(f"{BASE}/join", json.dumps(body), content_type="application/json")
        self.assertRefusedAsInvalid(r)
        self.assertFalse(User.objects.filter(username__startswith="tom").exists())
        self.assertIsNone(Invitation.objects.get(case=case).used_at)
