from __future__ import annotations

import uuid

from mend.lib.wire import unb64
from mend.vault.testing import Draft
from mend.vault.tests.base import API, CANARY, VaultTestCase, content


class ListRecordsTests(VaultTestCase):
    def test_it_lists_her_records_with_the_latest_version_newest_first(self) -> None:
        older = self.saved_record(self.alice, versions=2)
        newer = self.saved_record(self.alice, versions=1)
        self.saved_record(self.bob)
        self.client.force_login(self.alice)
        r = self.client.get(f"{API}/records")
        self.assertEqual(r.status_code, 200)
        self.assertNoStore(r)
        records = self.json(r)["records"]
        self.assertEqual([x["id"] for x in records], [str(newer.id), str(older.id)])
        first = records[1]
        self.assertEqual(first["version"], 2)
        reopened = Draft.reopen(
            older.vk, older.id, unb64(first["wrapped_key"], "k", max_bytes=99), 2
        )
        opened = reopened.open(unb64(first["ciphertext"], "c", max_bytes=10**6), 2)
        self.assertEqual(opened["fields"]["what"], f"{CANARY} version 2")

    def test_it_shows_a_new_survivor_an_empty_list(self) -> None:
        self.client.force_login(self.mallory)
        self.assertEqual(self.json(self.client.get(f"{API}/records")), {"records": []})


class GetRecordTests(VaultTestCase):
    def test_it_gives_every_version_and_the_attachments(self) -> None:
        draft = self.draft()
        photo = uuid.uuid4()
        self.save(self.alice, draft, content("one"), files={photo: b"photo bytes"})
        self.save(self.alice, draft, content("two"))
        r = self.client.get(f"{API}/records/{draft.id}")
        self.assertEqual(r.status_code, 200)
        data = self.json(r)
        self.assertEqual([v["version"] for v in data["versions"]], [1, 2])
        self.assertTrue(all(v["signed_here"] for v in data["versions"]))
        self.assertEqual(data["attachments"][0]["id"], str(photo))
        self.assertNotIn("ciphertext", data["attachments"][0])
        second = unb64(data["versions"][1]["ciphertext"], "c", max_bytes=10**6)
        self.assertEqual(draft.open(second, 2)["fields"]["what"], "two")

    def test_it_gives_the_attachment_ciphertext(self) -> None:
        draft = self.draft()
        photo = uuid.uuid4()
        self.save(self.alice, draft, files={photo: b"photo bytes"})
        r = self.client.get(f"{API}/records/{draft.id}/attachments/{photo}")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "application/octet-stream")
        from mend.crypto import envelope
        from mend.vault.testing import attachment_context

        opened = envelope.decrypt(draft.key, r.content, attachment_context(draft.id, photo, 1))
        self.assertEqual(opened, b"photo bytes")

    def test_it_gives_404_for_a_record_that_does_not_exist(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(f"{API}/records/{uuid.uuid4()}").status_code, 404)
