from __future__ import annotations

import json
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile

from mend.crypto import receipts
from mend.lib.wire import b64
from mend.vault import receipts as server_receipts
from mend.vault.models import Attachment, Record, RecordVersion
from mend.vault.tests.base import CANARY, VaultTestCase, content, save_url


class SaveVersionTests(VaultTestCase):
    def test_it_creates_a_record_with_its_first_version(self) -> None:
        draft = self.draft()
        r = self.save(self.alice, draft)
        self.assertEqual(r.status_code, 201, r.content)
        record = Record.objects.get(id=draft.id)
        self.assertEqual(record.owner, self.alice)
        self.assertEqual(record.current_version, 1)
        self.assertEqual(
            draft.reopen(draft.vk, draft.id, bytes(record.wrapped_key), 1).key, draft.key
        )
        stored = RecordVersion.objects.get(record=record, version=1)
        self.assertEqual(draft.open(bytes(stored.ciphertext), 1), content())
        self.assertEqual(stored.size, len(bytes(stored.ciphertext)))

    def test_it_adds_a_new_version_and_keeps_the_old_one(self) -> None:
        draft = self.saved_record(self.alice, versions=1)
        r = self.save(self.alice, draft, content("second words"))
        self.assertEqual(r.status_code, 201)
        self.assertEqual(Record.objects.get(id=draft.id).current_version, 2)
        first, second = RecordVersion.objects.filter(record_id=draft.id).order_by("version")
        self.assertEqual(
            draft.open(bytes(first.ciphertext), 1)["fields"]["what"], f"{CANARY} version 1"
        )
        self.assertEqual(draft.open(bytes(second.ciphertext), 2)["fields"]["what"], "second words")

    def test_it_returns_a_receipt_that_verifies_under_the_published_key(self) -> None:
        draft = self.draft()
        r = self.save(self.alice, draft)
        receipt = receipts.from_json(json.dumps(self.json(r)["receipt"]))
        receipts.verify_receipt(receipt, server_receipts.public_key())
        stored = RecordVersion.objects.get(record_id=draft.id, version=1)
        receipts.check_ciphertext(receipt, bytes(stored.ciphertext))
        self.assertEqual(receipt.object_id, str(draft.id))
        self.assertEqual(receipt.version, 1)
        self.assertEqual(receipt.received_at, stored.received_at)

    def test_it_stores_encrypted_attachments_with_their_own_receipts(self) -> None:
        draft = self.draft()
        photo = uuid.uuid4()
        r = self.save(self.alice, draft, files={photo: b"\x89PNG a photo"})
        self.assertEqual(r.status_code, 201, r.content)
        attachment = Attachment.objects.get(id=photo)
        self.assertEqual(attachment.version, 1)
        self.assertNotIn(b"a photo", bytes(attachment.ciphertext))
        [receipt_data] = self.json(r)["attachment_receipts"]
        self.assertEqual(receipt_data["object_id"], f"{draft.id}/{photo}")

    def test_it_refuses_an_attachment_above_the_limit_with_413_and_writes_nothing(self) -> None:
        draft = self.draft()
        with self.settings(VAULT_MAX_ATTACHMENT_BYTES=1000):
            r = self.save(self.alice, draft, files={uuid.uuid4(): b"x" * 1001})
        self.assertEqual(r.status_code, 413)
        self.assertEqual(self.json(r)["code"], "attachment_too_large")
        self.assertIn("at most", self.json(r)["detail"])
        self.assertFalse(Record.objects.filter(id=draft.id).exists())

    def test_it_accepts_an_attachment_at_the_limit(self) -> None:
        with self.settings(VAULT_MAX_ATTACHMENT_BYTES=1000):
            r = self.save(self.alice, self.draft(), files={uuid.uuid4(): b"x" * 1000})
        self.assertEqual(r.status_code, 201)

    def test_it_refuses_a_stale_version_with_409(self) -> None:
        draft = self.saved_record(self.alice, versions=2)
        draft.version = 1  # another window still thinks version 1 is the latest
        r = self.save(self.alice, draft, content("from the other window"))
        self.assertEqual(r.status_code, 409)
        self.assertEqual(self.json(r)["code"], "version_conflict")
        self.assertEqual(RecordVersion.objects.filter(record_id=draft.id).count(), 2)

    def test_it_refuses_a_second_record_key(self) -> None:
        draft = self.saved_record(self.alice)
        self.client.force_login(self.alice)
        form = draft.save_form(content())
        form["wrapped_key"] = b64(draft.wrapped_key())
        r = self.client.post(save_url(draft.id), form)
        self.assertEqual(r.status_code, 400)

    def test_it_refuses_something_that_is_not_an_envelope(self) -> None:
        self.client.force_login(self.alice)
        draft = self.draft()
        form = draft.save_form(content())
        form["ciphertext"] = SimpleUploadedFile("ciphertext", b"plain words, not encrypted" * 2)
        r = self.client.post(save_url(draft.id), form)
        self.assertEqual(r.status_code, 400)
        self.assertFalse(Record.objects.filter(id=draft.id).exists())

    def test_it_gives_404_when_mallory_writes_into_alices_record(self) -> None:
        draft = self.saved_record(self.alice)
        r = self.save(self.mallory, draft, content("mallory's words"))
        self.assertEqual(r.status_code, 404)
        self.assertEqual(Record.objects.get(id=draft.id).current_version, 1)

    def test_it_gives_404_to_every_staff_role(self) -> None:
        for staff in (self.carol, self.erin, self.frank, self.adam):
            r = self.save(staff, self.draft())
            self.assertEqual(r.status_code, 404, staff.username)
        self.assertEqual(Record.objects.count(), 0)

    def test_it_asks_a_signed_out_visitor_to_sign_in(self) -> None:
        draft = self.draft()
        r = self.client.post(save_url(draft.id), draft.save_form(content()))
        self.assertEqual(r.status_code, 401)
