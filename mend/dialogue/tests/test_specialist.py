"""The survivor specialist: the third member of Project Restore's "three-legged stool"
(reference A.2, A.10), on the team beside the lead and the co-facilitator.

alice's case is at stage 5, led by frank; sophie supervises; gail is assigned as the
survivor specialist.
"""

from __future__ import annotations

from typing import Any

from mend.crypto import dialogue as crypto
from mend.dialogue import actions
from mend.dialogue.models import Item, Participant, PartyRole, ReaderKey
from mend.dialogue.stages import Stage
from mend.dialogue.tests.helpers import DialogueTestCase, b64, keys_for, reseal, stored


class SurvivorSpecialistTests(DialogueTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = self.case_at(Stage.EXCHANGE)
        self.alice_part = self.part(self.case, PartyRole.SURVIVOR)
        self.before = self.submit(self.alice_part, "alice", "message", "Before she came.")

    def assign(self, username: str, role: str) -> Any:
        path = f"/supervision/cases/{self.case.id}/team"
        return self.call(self.sophie, "POST", path, {"username": username, "role": role})

    def joined(self) -> Participant:
        self.assertEqual(self.assign("gail", "specialist").status_code, 201)
        specialist = self.part(self.case, PartyRole.SPECIALIST)
        self.register(specialist, "gail")
        return specialist

    def test_she_joins_the_team_reads_the_case_and_is_sealed_to_from_then_on(self) -> None:
        specialist = self.joined()
        r = self.call(self.gail, "GET", f"/cases/{self.case.id}")
        self.assertEqual((r.status_code, r.json()["my_role"]), (200, "specialist"))
        after = self.submit(self.alice_part, "alice", "message", "After she came.")
        readers = set(ReaderKey.objects.filter(item=after).values_list("reader__role", flat=True))
        self.assertEqual(readers, {"survivor", "lead", "specialist"})
        self.assertFalse(ReaderKey.objects.filter(item=self.before, reader=specialist).exists())
        listed = self.call(self.gail, "GET", "/cases").json()
        self.assertEqual([c["id"] for c in listed], [str(self.case.id)])

    def test_the_team_has_one_of_each_part(self) -> None:
        self.joined()
        self.assertEqual(self.assign("frank", "specialist").json()["code"], "assigned")
        r = self.assign("gail", "co")
        self.assertEqual((r.status_code, r.json()["code"]), (409, "assigned"))
        self.assertEqual(Participant.objects.filter(case=self.case, user=self.gail).count(), 1)

    def test_the_lead_vouches_for_her_key_and_shares_what_was_written_before(self) -> None:
        specialist = self.joined()
        box, signing = bytes(specialist.box_public_key or b""), keys_for("gail").signing_public_key
        statement = (self.case.id, specialist.id, "specialist", box, signing)
        signature = crypto.sign_key_statement(keys_for("frank").seed, *statement)
        lead = self.part(self.case, PartyRole.LEAD)
        actions.do_vouch_for_key(lead, specialist, signature)
        specialist.refresh_from_db()
        self.assertEqual(bytes(specialist.key_statement or b""), signature)
        key = b64(reseal(self.before, keys_for("frank").box, lead.id, specialist))
        path = f"/cases/{self.case.id}/parties/{specialist.id}/shared-keys"
        r = self.call(self.frank, "POST", path, {"keys": {str(self.before.id): key}})
        self.assertEqual((r.status_code, r.json()), (200, {"added": 1}))
        ref, sealed = stored(self.before)
        alice_key = keys_for("alice").signing_public_key
        text = crypto.open_item(ref, sealed, keys_for("gail").box, specialist.id, alice_key)
        self.assertEqual(text, b"Before she came.")

    def test_she_does_not_do_what_only_the_lead_does(self) -> None:
        specialist = self.joined()
        invite = self.call(self.gail, "POST", f"/cases/{self.case.id}/invitation", {})
        self.assertEqual(invite.status_code, 404)
        path = f"/cases/{self.case.id}/parties/{self.alice_part.id}/statement"
        vouch = self.call(self.gail, "POST", path, {"signature": b64(bytes(64))})
        self.assertEqual(vouch.status_code, 404)
        share = f"/cases/{self.case.id}/parties/{specialist.id}/shared-keys"
        body = {"keys": {str(self.before.id): b64(bytes(80))}}
        self.assertEqual(self.call(self.gail, "POST", share, body).status_code, 404)
        self.assertFalse(Item.objects.filter(case=self.case, author=specialist).exists())

    def test_her_part_is_named_on_her_page_on_the_survivors_and_in_spanish(self) -> None:
        self.joined()
        staff_page = self.sign_in(self.gail).get(f"/dialogue/staff/{self.case.id}/")
        self.assertContains(staff_page, "<dd>Survivor specialist</dd>", html=True)
        her_list = self.sign_in(self.gail).get("/dialogue/staff/")
        self.assertContains(her_list, "You are the survivor specialist.")
        mine = self.sign_in(self.alice).get(f"/dialogue/mine/{self.case.id}/")
        self.assertContains(mine, "gail (survivor specialist)")
        spanish = self.sign_in(self.alice).get(f"/es/dialogue/mine/{self.case.id}/")
        self.assertContains(spanish, "gail (especialista en sobrevivientes)")
        supervision = self.sign_in(self.sophie).get("/dialogue/supervision/")
        self.assertContains(supervision, '<option value="specialist">Survivor specialist</option>')
