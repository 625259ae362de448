"""The gates of issue 12's "Done means", at the API: the server refuses, not only the pages."""

from __future__ import annotations

from uuid import UUID

from mend.audit.models import AuditLog
from mend.crypto import dialogue as crypto
from mend.dialogue.models import Case, Item, Participant, ReaderKey
from mend.dialogue.stages import Stage
from mend.dialogue.tests.helpers import DialogueTestCase, b64, keys_for


class ExchangeGateTests(DialogueTestCase):
    def test_no_exchange_before_an_accepted_acknowledgment(self) -> None:
        case = self.case_at(Stage.FEASIBILITY)
        alice = self.part(case, "survivor")
        body = self.seal(alice, "alice", "message", "Do you remember?")
        r = self.call(self.alice, "POST", f"/cases/{case.id}/items", body)
        self.assertEqual(r.status_code, 403)
        self.assertEqual(r.json()["code"], "wrong_stage")
        r = self.call(self.frank, "POST", f"/cases/{case.id}/steps", {"step": "advance"})
        self.assertEqual(r.status_code, 403)
        self.assertEqual(r.json()["code"], "no_acknowledgment")
        case.refresh_from_db()
        self.assertEqual(case.stage, Stage.FEASIBILITY)
        self.assertFalse(Item.objects.filter(kind="message").exists())

    def test_a_rejected_acknowledgment_keeps_the_case_shut(self) -> None:
        case = self.case_at(Stage.FEASIBILITY)
        ross = self.part(case, "survivor").case.participants.create(
            user=self.ross, role="responsible", joined_at=case.opened_at
        )
        self.register(ross, "ross")
        ack = self.submit(ross, "ross", "acknowledgment", "She wanted it.")
        r = self.call(
            self.frank,
            "POST",
            f"/cases/{case.id}/items/{ack.id}/screening",
            {"decision": "rejected"},
        )
        self.assertEqual(r.status_code, 200)
        r = self.call(self.frank, "POST", f"/cases/{case.id}/steps", {"step": "advance"})
        self.assertEqual((r.status_code, r.json()["code"]), (403, "no_acknowledgment"))
        self.assertFalse(Case.objects.get(id=case.id).acknowledgment_accepted)


class AfterTheEndTests(DialogueTestCase):
    def test_nobody_sends_after_the_end(self) -> None:
        case = self.case_at(Stage.EXCHANGE)
        r = self.call(self.alice, "POST", f"/cases/{case.id}/steps", {"step": "end"})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(
            (r.json()["state"], r.json()["closure_reason"]), ("closed", "survivor_ended")
        )
        for user, role, name, kind in (
            (self.alice, "survivor", "alice", "message"),
            (self.ross, "responsible", "ross", "letter"),
        ):
            body = self.seal(self.part(case, role), name, kind, "after the end")
            r = self.call(user, "POST", f"/cases/{case.id}/items", body)
            self.assertEqual((r.status_code, r.json()["code"]), (403, "closed"))
        self.assertEqual(Item.objects.filter(kind__in=["message", "letter"]).count(), 0)

    def test_her_choices_of_an_ended_case_stay_as_they_were(self) -> None:
        case = self.case_at(Stage.EXCHANGE)
        r = self.call(self.alice, "POST", f"/cases/{case.id}/steps", {"step": "end"})
        self.assertEqual((r.status_code, r.json()["state"]), (200, "closed"))
        audited = AuditLog.objects.count()
        choices = {"tell_read": True, "tell_plan_outcome": False, "format": "letter_bank"}
        r = self.call(self.alice, "PUT", f"/cases/{case.id}/choices", choices)
        self.assertEqual((r.status_code, r.json()["code"]), (403, "closed"))
        case.refresh_from_db()
        self.assertEqual(
            (case.tell_read, case.tell_plan_outcome, case.format), (False, True, "indirect")
        )
        self.assertEqual(AuditLog.objects.count(), audited)
        r = self.call(self.ross, "PUT", f"/cases/{case.id}/choices", choices)
        self.assertEqual(r.status_code, 404)

    def test_she_pauses_and_nobody_sends_until_she_resumes(self) -> None:
        case = self.case_at(Stage.EXCHANGE)
        ross = self.part(case, "responsible")
        r = self.call(self.alice, "POST", f"/cases/{case.id}/steps", {"step": "pause"})
        self.assertEqual((r.status_code, r.json()["state"]), (200, "paused"))
        body = self.seal(ross, "ross", "message", "Are you there?")
        r = self.call(self.ross, "POST", f"/cases/{case.id}/items", body)
        self.assertEqual((r.status_code, r.json()["code"]), (403, "paused"))
        r = self.call(self.ross, "POST", f"/cases/{case.id}/steps", {"step": "resume"})
        self.assertEqual((r.status_code, r.json()["code"]), (403, "not_yours"))
        r = self.call(self.alice, "POST", f"/cases/{case.id}/steps", {"step": "resume"})
        self.assertEqual((r.status_code, r.json()["state"]), (200, "active"))
        r = self.call(self.ross, "POST", f"/cases/{case.id}/items", body)
        self.assertEqual(r.status_code, 201)


class UnapprovedMessageTests(DialogueTestCase):
    def test_he_cannot_read_an_unapproved_message(self) -> None:
        case = self.case_at(Stage.EXCHANGE)
        alice = self.part(case, "survivor")
        ross = self.part(case, "responsible")
        message = self.submit(alice, "alice", "message", "What you did changed my life.")
        r = self.call(self.ross, "GET", f"/cases/{case.id}/items/{message.id}")
        self.assertEqual(r.status_code, 404)
        listed = self.call(self.ross, "GET", f"/cases/{case.id}/items").json()
        self.assertNotIn(str(message.id), [i["id"] for i in listed])
        self.assertFalse(ReaderKey.objects.filter(item=message, reader=ross).exists())

    def test_once_approved_he_gets_his_sealed_key_and_nothing_else_changed(self) -> None:
        case = self.case_at(Stage.EXCHANGE)
        alice = self.part(case, "survivor")
        ross = self.part(case, "responsible")
        message = self.submit(alice, "alice", "message", "What you did changed my life.")
        key = self.recipient_key(message, "frank", ross)
        r = self.call(
            self.frank,
            "POST",
            f"/cases/{case.id}/items/{message.id}/screening",
            {"decision": "approved", "recipient_key": b64(key)},
        )
        self.assertEqual((r.status_code, r.json()["screening"]), (200, "approved"))
        r = self.call(self.ross, "GET", f"/cases/{case.id}/items/{message.id}")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["sealed_key"], b64(key))
        self.assertEqual(r.json()["body"], b64(bytes(message.body)))

    def test_a_returned_message_goes_back_with_its_reason_and_is_rewritten_once(self) -> None:
        case = self.case_at(Stage.EXCHANGE)
        ross = self.part(case, "responsible")
        message = self.submit(ross, "ross", "message", "Please forgive me.")
        r = self.call(
            self.frank,
            "POST",
            f"/cases/{case.id}/items/{message.id}/screening",
            {"decision": "returned", "return_reason": "asks_forgiveness"},
        )
        self.assertEqual((r.status_code, r.json()["return_reason"]), (200, "asks_forgiveness"))
        mine = self.call(self.ross, "GET", f"/cases/{case.id}/items/{message.id}").json()
        self.assertEqual(
            (mine["screening"], mine["return_reason"]), ("returned", "asks_forgiveness")
        )
        self.assertEqual(
            self.call(self.alice, "GET", f"/cases/{case.id}/items/{message.id}").status_code, 404
        )
        body = self.seal(ross, "ross", "message", "I am sorry.", revision=2, replaces=message.id)
        r = self.call(self.ross, "POST", f"/cases/{case.id}/items", body)
        self.assertEqual((r.status_code, r.json()["revision"]), (201, 2))
        again = self.seal(ross, "ross", "message", "Again.", revision=2, replaces=message.id)
        r = self.call(self.ross, "POST", f"/cases/{case.id}/items", again)
        self.assertEqual((r.status_code, r.json()["code"]), (409, "not_returned"))


class OtherCaseTests(DialogueTestCase):
    def test_a_facilitator_of_another_case_gets_404(self) -> None:
        case = self.case_at(Stage.EXCHANGE)
        other = self.case_at(Stage.ASSESSMENT)  # frank leads both; gail leads neither
        item = Item.objects.filter(case=case).first()
        assert item is not None
        for path in (
            f"/cases/{case.id}",
            f"/cases/{case.id}/items",
            f"/cases/{case.id}/items/{item.id}",
            f"/cases/{case.id}/plan",
            f"/cases/{case.id}/key",
        ):
            self.assertEqual(self.call(self.gail, "GET", path).status_code, 404, path)
        r = self.call(self.gail, "POST", f"/cases/{case.id}/steps", {"step": "advance"})
        self.assertEqual(r.status_code, 404)
        self.assertEqual(self.call(self.gail, "GET", "/cases").json(), [])
        self.assertNotEqual(other.id, case.id)


class ForgedItemTests(DialogueTestCase):
    def test_the_server_refuses_an_item_its_author_did_not_sign(self) -> None:
        case = self.case_at(Stage.EXCHANGE)
        ross = self.part(case, "responsible")
        body = self.seal(ross, "alice", "message", "Signed with someone else's key.")
        r = self.call(self.ross, "POST", f"/cases/{case.id}/items", body)
        self.assertEqual((r.status_code, r.json()["code"]), (400, "bad_signature"))
        self.assertFalse(Item.objects.filter(kind="message").exists())

    def test_the_key_is_sealed_to_the_author_and_the_team_only(self) -> None:
        case = self.case_at(Stage.EXCHANGE)
        alice = self.part(case, "survivor")
        ross = self.part(case, "responsible")
        body = self.seal(alice, "alice", "message", "For him too, before screening?")
        ref = crypto.ItemRef(case.id, UUID(body["id"]), alice.id, "message", 1)
        extra = crypto.wrap_for_reader(ref, bytes(32), ross.id, keys_for("ross").box.public_key)
        body["reader_keys"][str(ross.id)] = b64(extra)
        r = self.call(self.alice, "POST", f"/cases/{case.id}/items", body)
        self.assertEqual((r.status_code, r.json()["code"]), (400, "wrong_readers"))


class DeliveryTests(DialogueTestCase):
    def test_nothing_reaches_her_while_she_paused_and_nothing_after_the_end(self) -> None:
        case = self.case_at(Stage.EXCHANGE)
        alice, ross = self.part(case, "survivor"), self.part(case, "responsible")
        message = self.submit(ross, "ross", "message", "I have thought about it.")
        key = b64(self.recipient_key(message, "frank", alice))
        path = f"/cases/{case.id}/items/{message.id}/screening"
        self.call(self.alice, "POST", f"/cases/{case.id}/steps", {"step": "pause"})
        r = self.call(self.frank, "POST", path, {"decision": "approved", "recipient_key": key})
        self.assertEqual((r.status_code, r.json()["code"]), (403, "paused"))
        self.call(self.alice, "POST", f"/cases/{case.id}/steps", {"step": "end"})
        r = self.call(self.frank, "POST", path, {"decision": "approved", "recipient_key": key})
        self.assertEqual((r.status_code, r.json()["code"]), (403, "closed"))
        self.assertFalse(ReaderKey.objects.filter(item=message, reader=alice).exists())
        self.assertEqual(Item.objects.get(id=message.id).screening, "pending")

    def test_assessment_notes_are_not_screened(self) -> None:
        case = self.case_at(Stage.FEASIBILITY)
        note = Item.objects.get(case=case, kind="assessment")
        r = self.call(
            self.frank,
            "POST",
            f"/cases/{case.id}/items/{note.id}/screening",
            {"decision": "approved"},
        )
        self.assertEqual((r.status_code, r.json()["code"]), (400, "not_screened"))
        self.assertEqual(Item.objects.get(id=note.id).screening, "")

    def test_nothing_is_sent_while_no_facilitator_could_screen_it(self) -> None:
        case = self.case_at(Stage.FEASIBILITY)
        ross = case.participants.create(
            user=self.ross, role="responsible", joined_at=case.opened_at
        )
        self.register(ross, "ross")
        Participant.objects.filter(case=case, role="lead").update(box_public_key=None)
        body = self.seal(ross, "ross", "acknowledgment", "I did it.")
        r = self.call(self.ross, "POST", f"/cases/{case.id}/items", body)
        self.assertEqual((r.status_code, r.json()["code"]), (409, "no_team_key"))
        self.assertFalse(Item.objects.filter(kind="acknowledgment").exists())


class OpenCasesLimitTests(DialogueTestCase):
    def test_she_may_have_three_dialogues_open_and_a_fourth_once_one_has_ended(self) -> None:
        made = [self.call(self.alice, "POST", "/cases") for _ in range(3)]
        self.assertEqual([r.status_code for r in made], [201, 201, 201])
        r = self.call(self.alice, "POST", "/cases")
        self.assertEqual((r.status_code, r.json()["code"]), (409, "too_many_cases"))
        self.assertEqual(Case.objects.count(), 3)
        first = made[0].json()["id"]
        self.call(self.alice, "POST", f"/cases/{first}/steps", {"step": "end"})
        self.assertEqual(self.call(self.alice, "POST", "/cases").status_code, 201)
        self.assertEqual(self.call(self.bob, "POST", "/cases").status_code, 201)  # hers alone
