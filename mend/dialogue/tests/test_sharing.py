"""A co-facilitator who joins after items exist: the lead's browser seals their keys to her
(the server stores them, never a key it can use), and only then can she open them."""

from __future__ import annotations

from typing import Any

from mend.crypto import dialogue as crypto
from mend.crypto.errors import DialogueError
from mend.dialogue import actions
from mend.dialogue.api import sealed_key_size
from mend.dialogue.models import Case, Item, Participant, PartyRole, ReaderKey
from mend.dialogue.stages import Stage
from mend.dialogue.tests.helpers import DialogueTestCase, b64, keys_for
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
        ref = crypto.ItemRef(item.case_id, item.id, item.author_id, item.kind, item.revision)
        lead = self.part(self.case, PartyRole.LEAD)
        key = crypto.open_content_key(ref, keys_for("frank").box, lead.id, self.sealed(item))
        return crypto.wrap_for_reader(ref, key, reader.id, bytes(reader.box_public_key or b""))

    def sealed(self, item: Item) -> crypto.SealedItem:
        item.refresh_from_db()
        return crypto.SealedItem(
            bytes(item.body),
            bytes(item.signature),
            bytes(item.commitment),
            {k.reader_id: bytes(k.sealed_key) for k in item.reader_keys.all()},
        )

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
