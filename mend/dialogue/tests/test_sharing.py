"""A co-facilitator who joins after items exist: the lead's browser seals their keys to her
(the server stores them, never a key it can use), and only then can she open them."""

from __future__ import annotations

from typing import Any

from mend.audit.models import AuditLog
from mend.crypto import dialogue as crypto
from mend.crypto.errors import DialogueError
from mend.dialogue import actions
from mend.dialogue.api import sealed_key_size
from mend.dialogue.models import Case, Item, Participant, PartyRole, ReaderKey
from mend.dialogue.stages import Stage
from mend.dialogue.tests.helpers import DialogueTestCase, b64, keys_for, reseal, stored
from mend.test import NOW


class SharingTests(DialogueTestCase):
    """frank leads alice's case; two messages exist when gail joins as co-facilitator."""

    def setUp(self) -> None:
        super().setUp()
        self.case = self.case_at(Stage.EXCHANGE)
        alice = self.part(self.case, "survivor")
        self.items = [
            self.submit(alice, "alice", "message", f"Message {n} from her.") for n in (1, 2)
        ]
        actions.do_assign_facilitator(self.sophie, self.case, self.gail, PartyRole.CO, NOW)
        self.co = self.part(self.case, PartyRole.CO)
        self.register(self.co, "gail")

    def sealed_for(self, item: Item, reader: Participant) -> str:
        return b64(self.recipient_key_for(item, reader))

    def recipient_key_for(self, item: Item, reader: Participant) -> bytes:
        lead = self.part(self.case, PartyRole.LEAD)
        return reseal(item, keys_for("frank").box, lead.id, reader)

    def sealed(self, item: Item) -> crypto.SealedItem:
        return stored(item)[1]

    def share(self, user: Any, reader: Participant, keys: dict[str, str]) -> Any:
        path = f"/cases/{self.case.id}/parties/{reader.id}/shared-keys"
        return self.call(user, "POST", path, {"keys": keys})

    def all_keys(self, reader: Participant) -> dict[str, str]:
        return {str(i.id): self.sealed_for(i, reader) for i in self.items}

    def test_the_co_facilitator_opens_earlier_items_once_the_lead_shares_them(self) -> None:
        item = self.items[0]
        ref = crypto.ItemRef(item.case_id, item.id, item.author_id, item.kind, item.revision)
        alice_key = keys_for("alice").signing_public_key
        with self.assertRaises(DialogueError):
            crypto.open_item(ref, self.sealed(item), keys_for("gail").box, self.co.id, alice_key)
        r = self.share(self.frank, self.co, self.all_keys(self.co))
        self.assertEqual((r.status_code, r.json()), (200, {"added": 2}))
        text = crypto.open_item(ref, self.sealed(item), keys_for("gail").box, self.co.id, alice_key)
        self.assertEqual(text, b"Message 1 from her.")

    def test_sharing_again_adds_nothing_and_changes_nothing(self) -> None:
        keys = self.all_keys(self.co)
        self.share(self.frank, self.co, keys)
        before = list(ReaderKey.objects.filter(reader=self.co).values_list("sealed_key", flat=True))
        r = self.share(self.frank, self.co, keys)
        self.assertEqual((r.status_code, r.json()), (200, {"added": 0}))
        after = list(ReaderKey.objects.filter(reader=self.co).values_list("sealed_key", flat=True))
        self.assertEqual(after, before)

    def test_only_the_lead_shares_and_only_with_the_co_facilitator(self) -> None:
        r = self.share(self.gail, self.co, self.all_keys(self.co))
        self.assertEqual(r.status_code, 404)
        ross = self.part(self.case, PartyRole.RESPONSIBLE)
        r = self.share(self.frank, ross, self.all_keys(ross))
        self.assertEqual((r.status_code, r.json()["code"]), (400, "not_co_facilitator"))
        self.assertFalse(ReaderKey.objects.filter(reader=ross).exclude(item__author=ross).exists())

    def test_an_item_of_another_case_is_not_found_and_nothing_is_stored(self) -> None:
        other: Case = self.case_at(Stage.EXCHANGE)
        stray = self.submit(self.part(other, "survivor"), "alice", "message", "Elsewhere.")
        keys = {**self.all_keys(self.co), str(stray.id): self.sealed_for(self.items[0], self.co)}
        r = self.share(self.frank, self.co, keys)
        self.assertEqual(r.status_code, 404)
        self.assertFalse(ReaderKey.objects.filter(reader=self.co).exists())

    def test_a_sealed_key_of_the_wrong_size_is_refused_and_nothing_is_stored(self) -> None:
        keys = self.all_keys(self.co)
        keys[str(self.items[1].id)] = b64(b"short")
        r = self.share(self.frank, self.co, keys)
        self.assertEqual((r.status_code, r.json()["code"]), (400, "malformed"))
        self.assertFalse(ReaderKey.objects.filter(reader=self.co).exists())

    def test_a_co_facilitator_without_a_key_cannot_be_shared_with(self) -> None:
        self.co.box_public_key = None
        self.co.save(update_fields=["box_public_key"])
        item = self.items[0]
        size = sealed_key_size(item.id, self.co.id, item.revision)
        r = self.share(self.frank, self.co, {str(item.id): b64(bytes(size))})
        self.assertEqual((r.status_code, r.json()["code"]), (409, "no_reader_key"))
        self.assertFalse(ReaderKey.objects.filter(reader=self.co).exists())


class PartySharingTests(DialogueTestCase):
    """frank led alice's case and was taken off with no co-facilitator; gail leads it now.
    alice wrote two messages before gail came, and ross one that was passed on to her."""

    def setUp(self) -> None:
        super().setUp()
        self.case = self.case_at(Stage.EXCHANGE)
        self.alice_part = self.part(self.case, PartyRole.SURVIVOR)
        self.hers = [self.submit(self.alice_part, "alice", "message", f"Hers {n}.") for n in (1, 2)]
        ross = self.part(self.case, PartyRole.RESPONSIBLE)
        self.his = self.approve(self.submit(ross, "ross", "message", "His."), self.alice_part)
        actions.do_take_off_facilitator(self.sophie, self.case, "frank")
        actions.do_assign_facilitator(self.sophie, self.case, self.gail, PartyRole.LEAD, NOW)
        self.lead = self.part(self.case, PartyRole.LEAD)
        self.register(self.lead, "gail")

    def sealed_by_her(self, item: Item, reader: Participant) -> str:
        """What her browser seals to `reader`, from the key sealed to her."""
        return b64(reseal(item, keys_for("alice").box, self.alice_part.id, reader))

    def share(self, reader: Participant, items: list[Item]) -> Any:
        path = f"/cases/{self.case.id}/parties/{reader.id}/shared-keys"
        keys = {str(i.id): self.sealed_by_her(i, reader) for i in items}
        return self.call(self.alice, "POST", path, {"keys": keys})

    def test_the_listing_tells_her_which_of_her_items_the_new_lead_lacks(self) -> None:
        listed = self.call(self.alice, "GET", f"/cases/{self.case.id}/items").json()
        lacking = {i["id"]: i["lacking"] for i in listed}
        for item in self.hers:
            self.assertEqual(lacking[str(item.id)], [str(self.lead.id)])
        self.assertEqual(lacking[str(self.his.id)], [], "his item is named to him only")

    def test_she_shares_her_own_items_with_the_new_lead_who_then_opens_them(self) -> None:
        r = self.share(self.lead, self.hers)
        self.assertEqual((r.status_code, r.json()), (200, {"added": 2}))
        ref, sealed = stored(self.hers[0])
        alice_key = keys_for("alice").signing_public_key
        text = crypto.open_item(ref, sealed, keys_for("gail").box, self.lead.id, alice_key)
        self.assertEqual(text, b"Hers 1.")
        listed = self.call(self.alice, "GET", f"/cases/{self.case.id}/items").json()
        self.assertTrue(all(i["lacking"] == [] for i in listed))
        self.assertEqual(AuditLog.objects.filter(action="dialogue.items.shared").count(), 1)

    def test_she_shares_nothing_of_his_and_nothing_with_him(self) -> None:
        r = self.share(self.lead, [*self.hers, self.his])
        self.assertEqual((r.status_code, r.json()["code"]), (400, "not_author"))
        ross = self.part(self.case, PartyRole.RESPONSIBLE)
        r = self.share(ross, self.hers)
        self.assertEqual((r.status_code, r.json()["code"]), (400, "not_team"))
        self.assertFalse(ReaderKey.objects.filter(reader=self.lead).exists())
        self.assertFalse(ReaderKey.objects.filter(reader=ross, item__in=self.hers).exists())
