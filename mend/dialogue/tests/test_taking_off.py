"""A supervisor takes a facilitator off an open case: the case closes to her, nothing more is
sealed to her, and when she led it the co-facilitator leads it and vouches for the parties
again.

alice's case is at stage 5, led by frank; gail is its co-facilitator (assigned by sophie,
the supervisor); ross is the responsible person.
"""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from mend.accounts.models import Role, User
from mend.audit.models import AuditLog
from mend.crypto import dialogue as crypto
from mend.dialogue import access, actions
from mend.dialogue.models import Case, Invitation, Item, Participant, PartyRole, ReaderKey
from mend.dialogue.stages import Stage, Step
from mend.dialogue.tests.helpers import DialogueTestCase, keys_for, ready_to_facilitate
from mend.test import NOW
from mend.vault.testing import Survivor

TAKE_OFF = "/supervision/cases/{case}/team/take-off"


class TakingOffTests(DialogueTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = self.case_at(Stage.EXCHANGE)
        actions.do_assign_facilitator(self.sophie, self.case, self.gail, PartyRole.CO, NOW)
        self.register(self.part(self.case, PartyRole.CO), "gail")
        self.url = TAKE_OFF.format(case=self.case.id)

    def take_off(self, username: str) -> Any:
        return self.call(self.sophie, "POST", self.url, {"username": username})

    def vouch(self, lead: str, role: str) -> None:
        """The lead (frank or gail) signs a key statement for a party, as her browser does."""
        leading = self.part(self.case, PartyRole.LEAD)
        party = self.part(self.case, role)
        assert party.box_public_key is not None
        assert party.signing_public_key is not None
        signature = crypto.sign_key_statement(
            keys_for(lead).seed,
            self.case.id,
            party.id,
            party.role,
            bytes(party.box_public_key),
            bytes(party.signing_public_key),
        )
        actions.do_vouch_for_key(leading, party, signature)

    def readers(self, item: Item) -> set[str]:
        keys = ReaderKey.objects.filter(item=item).select_related("reader")
        return {k.reader.role for k in keys}

    def test_the_co_facilitator_taken_off_reads_nothing_more_and_is_sealed_to_no_more(
        self,
    ) -> None:
        before = self.submit(self.part(self.case, "survivor"), "alice", "message", "Before.")
        self.assertIn("co", self.readers(before))
        r = self.take_off("gail")
        self.assertEqual(r.status_code, 200, r.content)
        self.assertTrue(r.json()["has_lead"])
        gail = Participant.objects.get(case=self.case, user=self.gail)
        self.assertEqual(gail.role, PartyRole.FORMER)
        self.assertFalse(ReaderKey.objects.filter(reader=gail).exists())
        self.assertEqual(self.call(self.gail, "GET", f"/cases/{self.case.id}").status_code, 404)
        self.assertEqual(self.call(self.gail, "GET", "/cases").json(), [])
        page = self.sign_in(self.gail).get(f"/dialogue/staff/{self.case.id}/")
        self.assertEqual(page.status_code, 404)
        after = self.submit(self.part(self.case, "survivor"), "alice", "message", "After.")
        self.assertEqual(self.readers(after), {"survivor", "lead"})
        parties = self.call(self.alice, "GET", f"/cases/{self.case.id}").json()["parties"]
        self.assertIn("former", [p["role"] for p in parties])  # what she wrote is checked
        listed = access.staff_keys_of(self.part(self.case, PartyRole.SURVIVOR))
        self.assertIn(keys_for("gail").box.public_key, listed, "to check what she wrote")
        audit = AuditLog.objects.get(action="dialogue.facilitator.taken_off")
        self.assertEqual((audit.actor_id, audit.object_id), (self.sophie.id, str(self.case.id)))

    def test_when_the_lead_is_taken_off_the_co_facilitator_leads_and_vouches_again(
        self,
    ) -> None:
        self.vouch("frank", PartyRole.SURVIVOR)
        self.vouch("frank", PartyRole.RESPONSIBLE)
        r = self.take_off("frank")
        self.assertEqual(r.status_code, 200, r.content)
        self.assertTrue(r.json()["has_lead"])
        self.assertEqual(self.part(self.case, PartyRole.LEAD).user, self.gail)
        self.assertFalse(Participant.objects.filter(case=self.case, role=PartyRole.CO).exists())
        statements = Participant.objects.filter(case=self.case, key_statement__isnull=False)
        self.assertFalse(statements.exists(), "every statement was frank's")
        self.assertEqual(self.call(self.frank, "GET", f"/cases/{self.case.id}").status_code, 404)
        self.vouch("gail", PartyRole.SURVIVOR)
        self.assertIsNotNone(self.part(self.case, PartyRole.SURVIVOR).key_statement)
        lead = self.part(self.case, PartyRole.LEAD)
        r = self.call(self.gail, "POST", f"/cases/{self.case.id}/steps", {"step": "advance"})
        self.assertEqual((r.status_code, r.json()["stage"]), (200, Stage.PLAN))
        self.assertTrue(lead.is_lead)

    def test_without_a_co_facilitator_the_survivor_specialist_leads(self) -> None:
        self.take_off("gail")
        hana = User.objects.create_user("hana", password="x", role=Role.FACILITATOR)
        ready_to_facilitate(hana)
        actions.do_assign_facilitator(self.sophie, self.case, hana, PartyRole.SPECIALIST, NOW)
        r = self.take_off("frank")
        self.assertEqual((r.status_code, r.json()["has_lead"]), (200, True))
        self.assertEqual(self.part(self.case, PartyRole.LEAD).user, hana)

    def test_without_a_co_facilitator_the_case_waits_for_a_new_lead(self) -> None:
        self.take_off("gail")
        r = self.take_off("frank")
        self.assertEqual((r.status_code, r.json()["has_lead"]), (200, False))
        refused = self.call(
            self.sophie,
            "POST",
            f"/supervision/cases/{self.case.id}/team",
            {"username": "frank", "role": "lead"},
        )
        self.assertEqual((refused.status_code, refused.json()["code"]), (409, "assigned"))
        gail_again = self.call(
            self.sophie,
            "POST",
            f"/supervision/cases/{self.case.id}/team",
            {"username": "gail", "role": "lead"},
        )
        self.assertEqual(gail_again.status_code, 409, "someone taken off does not come back")
        Participant.objects.filter(case=self.case, user=self.gail).delete()
        assigned = self.call(
            self.sophie,
            "POST",
            f"/supervision/cases/{self.case.id}/team",
            {"username": "gail", "role": "lead"},
        )
        self.assertEqual(assigned.status_code, 201, assigned.content)
        self.assertEqual(Participant.objects.filter(case=self.case, role="former").count(), 1)

    def test_a_facilitator_whose_account_was_closed_is_taken_off_all_the_same(self) -> None:
        self.gail.is_active = False
        self.gail.save(update_fields=["is_active"])
        self.assertEqual(self.take_off("gail").status_code, 200)
        self.assertEqual(Participant.objects.get(user=self.gail).role, PartyRole.FORMER)

    def test_refusals_name_what_is_wrong_and_change_nothing(self) -> None:
        for username, code in (("ross", "not_on_case"), ("nobody", "not_on_case")):
            with self.subTest(username=username):
                r = self.take_off(username)
                self.assertEqual((r.status_code, r.json()["code"]), (409, code))
        self.take_off("gail")
        again = self.take_off("gail")
        self.assertEqual((again.status_code, again.json()["code"]), (409, "not_on_case"))
        actions.do_step(self.part(self.case, PartyRole.SURVIVOR), Step.END, NOW)
        closed = self.take_off("frank")
        self.assertEqual((closed.status_code, closed.json()["code"]), (403, "closed"))
        self.assertEqual(self.part(self.case, PartyRole.LEAD).user, self.frank)

    def test_only_a_supervisor_may(self) -> None:
        for user in (self.frank, self.alice, self.ross, self.adam):
            with self.subTest(user=user.username):
                r = self.call(user, "POST", self.url, {"username": "gail"})
                self.assertEqual(r.status_code, 404)
        self.assertEqual(self.call(None, "POST", self.url, {"username": "gail"}).status_code, 401)
        self.assertEqual(self.part(self.case, PartyRole.CO).user, self.gail)

    def test_the_supervisors_page_takes_her_off_and_says_what_follows(self) -> None:
        client = self.sign_in(self.sophie)
        page = client.get("/dialogue/supervision/")
        self.assertContains(page, 'data-qa="take-off"')
        url = f"/dialogue/supervision/{self.case.id}/team/off/"
        r = client.post(url, {"username": "frank"}, follow=True)
        self.assertContains(r, "Its lead now vouches for the parties")
        self.assertEqual(self.part(self.case, PartyRole.LEAD).user, self.gail)
        r = client.post(url, {"username": "frank"})
        self.assertContains(r, "No facilitator of this case has this username.", status_code=409)
        self.assertContains(r, '<details data-qa="take-off" open>', status_code=409)
        spanish = self.sign_in(self.sophie).post(f"/es{url}", {"username": "gail"}, follow=True)
        self.assertContains(spanish, "Ahora no tiene persona facilitadora principal: asigna una.")
        self.assertFalse(
            Case.objects.get(id=self.case.id).participants.filter(role="lead").exists()
        )

    def test_taking_off_a_lapsed_facilitator_clears_the_supervisors_flag(self) -> None:
        from mend.certificates.models import Certificate

        Certificate.objects.filter(holder=self.gail).update(revoked_at=NOW)
        row = next(
            c
            for c in self.call(self.sophie, "GET", "/supervision/cases").json()
            if c["id"] == str(self.case.id)
        )
        self.assertTrue(row["facilitator_lapsed"])
        self.assertFalse(self.take_off("gail").json()["facilitator_lapsed"])


class TakenOffLeadsCodeTests(DialogueTestCase):
    """alice's case waits at the invitation stage; frank leads it, gail is its
    co-facilitator, and frank has made a code for the person responsible."""

    def test_the_code_of_a_lead_taken_off_lets_nobody_join_and_the_new_lead_makes_one(
        self,
    ) -> None:
        case = self.case_at(Stage.FEASIBILITY)
        actions.do_assign_facilitator(self.sophie, case, self.gail, PartyRole.CO, NOW)
        old = self.call(self.frank, "POST", f"/cases/{case.id}/invitation")
        self.assertEqual(old.status_code, 201)
        r = self.call(self.sophie, "POST", TAKE_OFF.format(case=case.id), {"username": "frank"})
        self.assertEqual(r.status_code, 200, r.content)
        self.assertFalse(Invitation.objects.filter(case=case).exists())
        # frank still knows the code he was shown; whoever he hands it to is refused.
        r = join(old.json()["code"], "franks-friend")
        self.assertEqual((r.status_code, r.json()["code"]), (400, "bad_code"))
        self.assertFalse(User.objects.filter(username="franks-friend").exists())
        self.assertFalse(Participant.objects.filter(case=case, role="responsible").exists())
        new = self.call(self.gail, "POST", f"/cases/{case.id}/invitation")
        self.assertEqual(new.status_code, 201)
        self.assertEqual(join(new.json()["code"], "tom").status_code, 201)
        tom = Participant.objects.get(case=case, role="responsible")
        self.assertEqual(tom.user.username, "tom")

    def test_taking_off_a_co_facilitator_keeps_the_leads_code(self) -> None:
        case = self.case_at(Stage.FEASIBILITY)
        actions.do_assign_facilitator(self.sophie, case, self.gail, PartyRole.CO, NOW)
        code = self.call(self.frank, "POST", f"/cases/{case.id}/invitation").json()["code"]
        r = self.call(self.sophie, "POST", TAKE_OFF.format(case=case.id), {"username": "gail"})
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual(join(code, "tom").status_code, 201)


def join(code: str, username: str) -> Any:
    """His browser signs up with the code, as the join page does."""
    body = {**Survivor(username, "a long passphrase he chose").signup_body(), "code": code}
    return Client().post("/api/v1/dialogue/join", json.dumps(body), content_type="application/json")
