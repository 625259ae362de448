"""A facilitator's note to the author of an item she returns (docs/dialogue.md, "Her
control" and screening): sealed in her browser to the author and the team only, stored
with the return or not at all, one note per returned item.

alice (survivor) and ross (responsible) are in a case at the exchange that frank leads.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from mend.audit.models import AuditLog
from mend.dialogue.models import Item, ReaderKey
from mend.dialogue.stages import Screening, Stage
from mend.dialogue.tests.helpers import DialogueTestCase

NOTE = "CANARY-note Leave out where she works; say what you did."


class ReturnNoteTests(DialogueTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = self.case_at(Stage.EXCHANGE)
        self.him = self.part(self.case, "responsible")
        self.lead = self.part(self.case, "lead")
        self.message = self.submit(self.him, "ross", "message", "Please forgive me.")

    def screen(self, body: dict[str, Any], item: Item | None = None) -> Any:
        item = item or self.message
        path = f"/cases/{self.case.id}/items/{item.id}/screening"
        return self.call(self.frank, "POST", path, body)

    def note(self, about: object | None = None, **extra: Any) -> dict[str, Any]:
        return self.seal(
            self.lead, "frank", "return-note", NOTE, about=about or self.message.id, **extra
        )

    def returned(self, note: dict[str, Any] | None) -> dict[str, Any]:
        body: dict[str, Any] = {"decision": "returned", "return_reason": "asks_forgiveness"}
        if note is not None:
            body["note"] = note
        return body

    def readers_of(self, item_id: UUID) -> set[str]:
        keys = ReaderKey.objects.filter(item_id=item_id).select_related("reader__user")
        return {k.reader.user.username for k in keys}

    def test_her_note_goes_with_the_return_sealed_to_him_and_the_team_only(self) -> None:
        note = self.note()
        r = self.screen(self.returned(note))
        self.assertEqual((r.status_code, r.json()["screening"]), (200, "returned"))
        stored = Item.objects.get(kind="return-note")
        self.assertEqual((str(stored.id), stored.about_id), (note["id"], self.message.id))
        self.assertEqual(self.readers_of(stored.id), {"frank", "ross"})
        his = self.call(self.ross, "GET", f"/cases/{self.case.id}/items").json()
        [his_note] = [i for i in his if i["kind"] == "return-note"]
        self.assertEqual(his_note["about"], str(self.message.id))
        self.assertIsNotNone(his_note["sealed_key"])
        hers = self.call(self.alice, "GET", f"/cases/{self.case.id}/items/{stored.id}")
        self.assertEqual(hers.status_code, 404)
        self.assertTrue(AuditLog.objects.filter(action="dialogue.item.return-note").exists())

    def test_a_note_sealed_to_the_other_party_too_is_refused_and_so_is_the_return(self) -> None:
        note = self.note()
        alice = self.part(self.case, "survivor")
        note["reader_keys"][str(alice.id)] = note["reader_keys"][str(self.him.id)]
        r = self.screen(self.returned(note))
        self.assertEqual((r.status_code, r.json()["code"]), (400, "wrong_readers"))
        self.message.refresh_from_db()
        self.assertEqual(self.message.screening, Screening.PENDING)  # nothing half-written
        self.assertFalse(Item.objects.filter(kind="return-note").exists())

    def test_a_note_goes_only_with_a_return_about_the_item_returned(self) -> None:
        other = self.submit(self.him, "ross", "message", "Another.")
        rejected = {"decision": "rejected", "note": self.note()}
        r = self.screen(rejected)
        self.assertEqual((r.status_code, r.json()["code"]), (400, "note_fields"))
        r = self.screen(self.returned(self.note(about=other.id)))
        self.assertEqual((r.status_code, r.json()["code"]), (400, "note_fields"))
        self.assertEqual(
            list(Item.objects.filter(kind="message").values_list("screening", flat=True)),
            [Screening.PENDING, Screening.PENDING],
        )

    def test_one_note_per_returned_item_and_none_about_an_item_not_returned(self) -> None:
        path = f"/cases/{self.case.id}/items"
        r = self.call(self.frank, "POST", path, self.note())
        self.assertEqual((r.status_code, r.json()["code"]), (409, "not_returned"))
        self.assertEqual(self.screen(self.returned(self.note())).status_code, 200)
        r = self.call(self.frank, "POST", path, self.note())
        self.assertEqual((r.status_code, r.json()["code"]), (409, "noted"))
        message = self.seal(self.him, "ross", "message", "Hi.", about=self.message.id)
        r = self.call(self.ross, "POST", path, message)
        self.assertEqual((r.status_code, r.json()["code"]), (400, "note_fields"))
        self.assertEqual(Item.objects.filter(kind="return-note").count(), 1)

    def test_only_a_facilitator_writes_a_note(self) -> None:
        self.screen(self.returned(None))
        body = self.seal(self.him, "ross", "return-note", "Mine.", about=self.message.id)
        r = self.call(self.ross, "POST", f"/cases/{self.case.id}/items", body)
        self.assertEqual((r.status_code, r.json()["code"]), (403, "not_yours"))
        self.assertFalse(Item.objects.filter(kind="return-note").exists())
