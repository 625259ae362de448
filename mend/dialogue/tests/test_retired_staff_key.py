"""A facilitator's staff key is retired after it became her case key (an admin's action: she
lost it, or it may be in someone else's hands): nothing new is sealed to it, and she, and
nobody else, registers her new staff key in its place once a counselor vouched for it.

alice's case is at stage 5, led by frank, whose case key is his staff key; gail is its
co-facilitator (her staff key too); ross is the responsible person.
"""

from __future__ import annotations

import uuid
from typing import Any

from mend.audit.models import AuditLog
from mend.crypto import dialogue as crypto
from mend.crypto import endorsement, envelope, labels
from mend.dialogue import actions
from mend.dialogue.models import EarlierKey, Item, Participant, PartyRole, ReaderKey
from mend.dialogue.stages import Stage
from mend.dialogue.tests.helpers import DialogueTestCase, b64, keys_for, reseal
from mend.escrow import actions as escrow_actions
from mend.escrow import testing as escrow_testing
from mend.escrow.models import CounselorKey
from mend.test import NOW

#: Her page wraps the secret by a key derived from it (case-core.js staffUnlock); the
#: server only checks the envelope's form.
WRAPPING = envelope.Context(labels.PURPOSE_DIALOGUE_KEY, str(uuid.uuid4()), 1)


def staff_signing(pair: envelope.BoxKeyPair) -> bytes:
    return endorsement.signing_public_key(endorsement.signing_seed(pair.secret_key))


def key_body(pair: envelope.BoxKeyPair, signing: bytes | None = None) -> dict[str, str]:
    """PUT …/key as a facilitator's page sends it: her staff key pair (the wrapped secret
    is opaque to the server)."""
    return {
        "box_public_key": b64(pair.public_key),
        "signing_public_key": b64(signing or staff_signing(pair)),
        "wrapped_secret_key": b64(envelope.wrap_key(bytes(32), pair.secret_key, WRAPPING)),
    }


class RetiredStaffKeyTests(DialogueTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = self.case_at(Stage.EXCHANGE)
        actions.do_assign_facilitator(self.sophie, self.case, self.gail, PartyRole.CO, NOW)
        self.staff = {"frank": self.own_staff_key_as_case_key(self.frank, PartyRole.LEAD)}
        self.staff["gail"] = self.own_staff_key_as_case_key(self.gail, PartyRole.CO)
        for role in (PartyRole.SURVIVOR, PartyRole.RESPONSIBLE, PartyRole.CO):
            self.vouch(role)
        self.before = self.submit(self.part(self.case, "survivor"), "alice", "message", "Before.")
        self.url = f"/cases/{self.case.id}/key"

    def own_staff_key_as_case_key(self, user: Any, role: str) -> envelope.BoxKeyPair:
        """Her case key is her staff key (ADR 0014), as her case page registers it."""
        CounselorKey.objects.filter(counselor=user).delete()
        pair = escrow_testing.add_counselor_key(user)
        part = self.part(self.case, role)
        Participant.objects.filter(id=part.id).update(
            box_public_key=None, signing_public_key=None, wrapped_secret_key=None
        )
        part.refresh_from_db()
        keys = actions.KeyMaterial(pair.public_key, staff_signing(pair), bytes(72))
        actions.do_register_key(part, keys)
        return pair

    def vouch(self, role: str) -> None:
        """frank's browser signs a key statement for a party with his case (staff) key."""
        party = self.part(self.case, role)
        seed = endorsement.signing_seed(self.staff["frank"].secret_key)
        signature = crypto.sign_key_statement(
            seed,
            self.case.id,
            party.id,
            party.role,
            bytes(party.box_public_key or b""),
            bytes(party.signing_public_key or b""),
        )
        actions.do_vouch_for_key(self.part(self.case, PartyRole.LEAD), party, signature)

    def retire(self, user: Any, vouched: bool = True) -> envelope.BoxKeyPair:
        """An admin retires her staff key; she makes a new one, vouched for (or not yet)."""
        old = CounselorKey.objects.get(counselor=user, active=True)
        escrow_actions.do_retire_counselor_key(old, None)
        return escrow_testing.add_counselor_key(user, endorsed_by="operator" if vouched else None)

    def team_keys(self) -> dict[str, bool]:
        """GET …/team-keys as alice's browser reads it: each key, and whether she may seal
        new items to it."""
        r = self.call(self.alice, "GET", f"/cases/{self.case.id}/team-keys")
        self.assertEqual(r.status_code, 200)
        return {k["public_key"]: k["sealable"] for k in r.json()["keys"]}

    def test_it_lets_her_register_her_new_vouched_staff_key_in_its_place(self) -> None:
        old = self.staff["frank"]
        new = self.retire(self.frank)
        r = self.call(self.frank, "PUT", self.url, key_body(new))
        self.assertEqual(r.status_code, 204, r.content)
        lead = self.part(self.case, PartyRole.LEAD)
        self.assertEqual(bytes(lead.box_public_key or b""), new.public_key)
        self.assertEqual(bytes(lead.signing_public_key or b""), staff_signing(new))
        earlier = EarlierKey.objects.get(participant=lead)
        self.assertEqual(
            (bytes(earlier.box_public_key), bytes(earlier.signing_public_key)),
            (old.public_key, staff_signing(old)),
        )
        # What was sealed to the old key, and the statements it signed, go (as when a lead
        # is taken off): the parties let him read again, and he vouches for them again.
        self.assertFalse(ReaderKey.objects.filter(reader=lead).exists())
        statements = Participant.objects.filter(case=self.case, key_statement__isnull=False)
        self.assertFalse(statements.exists())
        audit = AuditLog.objects.get(action="dialogue.key.replaced")
        self.assertEqual((audit.actor_id, audit.object_id), (self.frank.id, str(self.case.id)))
        parties = self.call(self.alice, "GET", f"/cases/{self.case.id}").json()["parties"]
        (listed,) = [p for p in parties if p["role"] == "lead"]
        self.assertEqual(listed["box_public_key"], b64(new.public_key))
        self.assertEqual(
            listed["earlier_keys"],
            [
                {
                    "box_public_key": b64(old.public_key),
                    "signing_public_key": b64(staff_signing(old)),
                }
            ],
        )
        again = self.call(self.frank, "PUT", self.url, key_body(new))
        self.assertEqual((again.status_code, again.json()["code"]), (409, "key_registered"))

    def test_the_retired_key_is_offered_for_checking_only_and_the_new_one_to_seal_to(
        self,
    ) -> None:
        old = self.staff["frank"]
        self.assertTrue(self.team_keys()[b64(old.public_key)])
        new = self.retire(self.frank)
        self.assertFalse(self.team_keys()[b64(old.public_key)], "retired: checked, not sealed")
        self.assertTrue(self.team_keys()[b64(self.staff["gail"].public_key)])
        self.call(self.frank, "PUT", self.url, key_body(new))
        listed = self.team_keys()
        self.assertEqual(
            (listed[b64(old.public_key)], listed[b64(new.public_key)]),
            (False, True),
            "what he signed before is still checked by his earlier key",
        )

    def test_the_server_no_longer_asks_for_new_items_to_be_sealed_to_a_retired_key(
        self,
    ) -> None:
        self.retire(self.frank)
        survivor = self.part(self.case, PartyRole.SURVIVOR)
        lead = self.part(self.case, PartyRole.LEAD)
        body = self.seal(survivor, "alice", "message", "After.")
        self.assertEqual(set(body["reader_keys"]), {str(survivor.id), str(self.co().id)})
        r = self.call(self.alice, "POST", f"/cases/{self.case.id}/items", body)
        self.assertEqual(r.status_code, 201, r.content)
        self.assertEqual(self.readers(Item.objects.get(id=body["id"])), {"survivor", "co"})
        # Sealed to his retired key too: refused, and nothing kept.
        with_him = self.seal(survivor, "alice", "message", "Also to him.")
        extra = reseal(Item.objects.get(id=body["id"]), keys_for("alice").box, survivor.id, lead)
        with_him["reader_keys"][str(lead.id)] = b64(extra)
        r = self.call(self.alice, "POST", f"/cases/{self.case.id}/items", with_him)
        self.assertEqual((r.status_code, r.json()["code"]), (400, "wrong_readers"))
        self.assertFalse(Item.objects.filter(id=with_him["id"]).exists())

    def test_with_no_other_facilitator_nothing_is_written_until_she_registers_her_new_key(
        self,
    ) -> None:
        gail = self.co()
        Participant.objects.filter(id=gail.id).update(role=PartyRole.FORMER)
        new = self.retire(self.frank)
        survivor = self.part(self.case, PartyRole.SURVIVOR)
        body = self.seal(survivor, "alice", "message", "Waiting.")
        r = self.call(self.alice, "POST", f"/cases/{self.case.id}/items", body)
        self.assertEqual((r.status_code, r.json()["code"]), (409, "no_team_key"))
        self.assertEqual(self.call(self.frank, "PUT", self.url, key_body(new)).status_code, 204)
        # Her later words reach him; what was sealed to his old key, she lets him read.
        after = self.seal(survivor, "alice", "message", "After.")
        r = self.call(self.alice, "POST", f"/cases/{self.case.id}/items", after)
        self.assertEqual(r.status_code, 201, r.content)
        self.assertEqual(self.readers(Item.objects.get(id=after["id"])), {"survivor", "lead"})
        listed = self.call(self.alice, "GET", f"/cases/{self.case.id}/items").json()
        lead = self.part(self.case, PartyRole.LEAD)
        lacking = {i["id"]: i["lacking"] for i in listed}
        self.assertEqual(lacking[str(self.before.id)], [str(lead.id)])
        shared = reseal(self.before, keys_for("alice").box, survivor.id, lead)
        r = self.call(
            self.alice,
            "POST",
            f"/cases/{self.case.id}/parties/{lead.id}/shared-keys",
            {"keys": {str(self.before.id): b64(shared)}},
        )
        self.assertEqual((r.status_code, r.json()["added"]), (200, 1))

    def test_a_co_facilitator_registers_her_new_key_and_the_lead_vouches_and_shares_again(
        self,
    ) -> None:
        new = self.retire(self.gail)
        r = self.call(self.gail, "PUT", self.url, key_body(new))
        self.assertEqual(r.status_code, 204, r.content)
        gail = self.co()
        self.assertIsNone(gail.key_statement, "the lead vouches for her new key")
        self.assertIsNotNone(self.part(self.case, PartyRole.SURVIVOR).key_statement)
        self.assertFalse(ReaderKey.objects.filter(reader=gail).exists())
        self.vouch(PartyRole.CO)
        lead = self.part(self.case, PartyRole.LEAD)
        shared = reseal(self.before, self.staff["frank"], lead.id, gail)
        r = self.call(
            self.frank,
            "POST",
            f"/cases/{self.case.id}/parties/{gail.id}/shared-keys",
            {"keys": {str(self.before.id): b64(shared)}},
        )
        self.assertEqual((r.status_code, r.json()["added"]), (200, 1))

    def test_a_retired_key_signs_nothing_new(self) -> None:
        self.retire(self.frank)
        lead = self.part(self.case, PartyRole.LEAD)
        body = self.seal_with_staff(lead, self.staff["frank"], "assessment")
        r = self.call(self.frank, "POST", f"/cases/{self.case.id}/items", body)
        self.assertEqual((r.status_code, r.json()["code"]), (409, "key_retired"))
        self.assertFalse(Item.objects.filter(id=body["id"]).exists())

    def test_nobody_slips_another_key_into_the_case(self) -> None:
        lead_before = self.key_of(PartyRole.LEAD)
        # Not retired: his case key is his active staff key, registered once.
        fresh = envelope.box_keypair()
        r = self.call(self.frank, "PUT", self.url, key_body(fresh))
        self.assertEqual((r.status_code, r.json()["code"]), (409, "key_registered"))
        unvouched = self.retire(self.frank, vouched=False)
        refusals = [
            (self.frank, key_body(fresh)),  # a key that is not his staff key
            (self.frank, key_body(unvouched)),  # his, but nobody vouched for it yet
            (self.frank, key_body(unvouched, signing=keys_for("x").signing_public_key)),
            (self.gail, key_body(unvouched)),  # his new key, for her part
            (self.alice, key_body(unvouched)),  # a party registers once, as before
        ]
        for user, body in refusals:
            r = self.call(user, "PUT", self.url, body)
            self.assertEqual((r.status_code, r.json()["code"]), (409, "key_registered"))
        self.assertEqual(self.call(self.mallory, "PUT", self.url, key_body(fresh)).status_code, 404)
        self.assertEqual(self.key_of(PartyRole.LEAD), lead_before)
        self.assertFalse(EarlierKey.objects.exists())
        self.assertFalse(AuditLog.objects.filter(action="dialogue.key.replaced").exists())
        # Once a counselor vouches for it (here the operator), it is his to register.
        CounselorKey.objects.filter(counselor=self.frank, active=True).delete()
        vouched = escrow_testing.add_counselor_key(self.frank)
        self.assertEqual(self.call(self.frank, "PUT", self.url, key_body(vouched)).status_code, 204)

    # --- helpers ---------------------------------------------------------------------------

    def co(self) -> Participant:
        return Participant.objects.get(case=self.case, user=self.gail)

    def key_of(self, role: str) -> bytes:
        return bytes(self.part(self.case, role).box_public_key or b"")

    def readers(self, item: Item) -> set[str]:
        return {k.reader.role for k in ReaderKey.objects.filter(item=item).select_related("reader")}

    def seal_with_staff(
        self, author: Participant, pair: envelope.BoxKeyPair, kind: str
    ) -> dict[str, Any]:
        """An item his browser would seal with his (staff) case key: an assessment note."""
        item_id = uuid.uuid4()
        readers = {
            p.id: bytes(p.box_public_key)
            for p in self.case.participants.filter(role__in=("lead", "co"))
            if p.box_public_key is not None
        }
        ref = crypto.ItemRef(self.case.id, item_id, author.id, kind, 1)
        seed = endorsement.signing_seed(pair.secret_key)
        sealed = crypto.seal_item(ref, b"notes", seed, readers)
        return {
            "id": str(item_id),
            "kind": kind,
            "revision": 1,
            "body": b64(sealed.body),
            "signature": b64(sealed.signature),
            "commitment": b64(sealed.commitment),
            "reader_keys": {str(k): b64(v) for k, v in sealed.reader_keys.items()},
            "subject": "survivor",
            "decision": "proceed",
        }
