from __future__ import annotations

import json
import uuid

from django.db import connection

from mend.vault.models import Attachment, Record, RecordVersion
from mend.vault.tests.base import API, AUTH_KEY, VaultTestCase


class DeleteRecordTests(VaultTestCase):
    def test_it_deletes_one_record_with_its_versions_and_files(self) -> None:
        draft = self.draft()
        self.save(self.alice, draft, files={uuid.uuid4(): b"photo"})
        self.save(self.alice, draft)
        kept = self.saved_record(self.alice)
        ciphertext = bytes(RecordVersion.objects.get(record_id=draft.id, version=1).ciphertext)
        r = self.delete(self.alice, f"{API}/records/{draft.id}")
        self.assertEqual(r.status_code, 204)
        self.assertFalse(Record.objects.filter(id=draft.id).exists())
        self.assertFalse(RecordVersion.objects.filter(record_id=draft.id).exists())
        self.assertFalse(Attachment.objects.filter(record_id=draft.id).exists())
        self.assertTrue(Record.objects.filter(id=kept.id).exists())
        with connection.cursor() as cursor:
            cursor.execute("SELECT ciphertext FROM vault_recordversion")
            self.assertNotIn(ciphertext, [bytes(row[0]) for row in cursor.fetchall()])

    def test_it_deletes_everything_and_keeps_the_account(self) -> None:
        self.saved_record(self.alice, versions=2)
        self.saved_record(self.alice)
        theirs = self.saved_record(self.bob)
        r = self.delete(self.alice, f"{API}/records")
        self.assertEqual(r.status_code, 204)
        self.assertEqual(Record.objects.filter(owner=self.alice).count(), 0)
        self.assertEqual(RecordVersion.objects.filter(record__owner=self.alice).count(), 0)
        self.assertTrue(Record.objects.filter(id=theirs.id).exists())
        self.assertTrue(type(self.alice).objects.filter(pk=self.alice.pk).exists())

    def test_it_gives_404_to_mallory_and_deletes_nothing(self) -> None:
        draft = self.saved_record(self.alice)
        self.assertEqual(self.delete(self.mallory, f"{API}/records/{draft.id}").status_code, 404)
        self.delete(self.mallory, f"{API}/records")  # her own (empty) list
        self.assertTrue(Record.objects.filter(id=draft.id).exists())

    def test_it_checks_csrf(self) -> None:
        draft = self.saved_record(self.alice)
        client = self.client_class(enforce_csrf_checks=True)
        client.force_login(self.alice)
        body = json.dumps({"auth_key": AUTH_KEY.hex()})
        r = client.delete(f"{API}/records/{draft.id}", body, content_type="application/json")
        self.assertEqual(r.status_code, 403)
        self.assertTrue(Record.objects.filter(id=draft.id).exists())


class DeleteNeedsHerPassphraseTests(VaultTestCase):
    """A stolen session alone cannot wipe her evidence: deleting a record, or all of them,
    takes her passphrase again, as deleting her account does."""

    def test_without_her_passphrase_nothing_is_deleted(self) -> None:
        draft = self.saved_record(self.alice)
        self.client.force_login(self.alice)
        for path in (f"{API}/records/{draft.id}", f"{API}/records"):
            with self.subTest(path):
                self.assertEqual(self.client.delete(path).status_code, 422)  # no body
                wrong = self.delete(self.alice, path, auth_key=bytes(32))
                self.assertEqual(
                    (wrong.status_code, self.json(wrong)["code"]), (401, "wrong_passphrase")
                )
        self.assertTrue(Record.objects.filter(id=draft.id, owner=self.alice).exists())
        self.assertEqual(self.delete(self.alice, f"{API}/records").status_code, 204)
        self.assertFalse(Record.objects.filter(owner=self.alice).exists())

    def test_guessing_her_passphrase_is_counted_as_signing_in_is(self) -> None:
        self.saved_record(self.alice)
        with self.settings(RATE_LIMIT_LOGIN_USERNAME=(2, 900)):
            codes = [
                self.delete(self.alice, f"{API}/records", bytes(32)).status_code for _ in range(3)
            ]
        self.assertEqual(codes, [401, 401, 429])
        self.assertTrue(Record.objects.filter(owner=self.alice).exists())
