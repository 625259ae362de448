from __future__ import annotations

import uuid

from django.db import connection

from mend.vault.models import Attachment, Record, RecordVersion
from mend.vault.tests.base import API, VaultTestCase


class DeleteRecordTests(VaultTestCase):
    def test_it_deletes_one_record_with_its_versions_and_files(self) -> None:
        draft = self.draft()
        self.save(self.alice, draft, files={uuid.uuid4(): b"photo"})
        self.save(self.alice, draft)
        kept = self.saved_record(self.alice)
        ciphertext = bytes(RecordVersion.objects.get(record_id=draft.id, version=1).ciphertext)
        r = self.client.delete(f"{API}/records/{draft.id}")
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
        self.client.force_login(self.alice)
        r = self.client.delete(f"{API}/records")
        self.assertEqual(r.status_code, 204)
        self.assertEqual(Record.objects.filter(owner=self.alice).count(), 0)
        self.assertEqual(RecordVersion.objects.filter(record__owner=self.alice).count(), 0)
        self.assertTrue(Record.objects.filter(id=theirs.id).exists())
        self.assertTrue(type(self.alice).objects.filter(pk=self.alice.pk).exists())

    def test_it_gives_404_to_mallory_and_deletes_nothing(self) -> None:
        draft = self.saved_record(self.alice)
        self.client.force_login(self.mallory)
        self.assertEqual(self.client.delete(f"{API}/records/{draft.id}").status_code, 404)
        self.client.delete(f"{API}/records")  # her own (empty) list
        self.assertTrue(Record.objects.filter(id=draft.id).exists())

    def test_it_checks_csrf(self) -> None:
        draft = self.saved_record(self.alice)
        client = self.client_class(enforce_csrf_checks=True)
        client.force_login(self.alice)
        self.assertEqual(client.delete(f"{API}/records/{draft.id}").status_code, 403)
        self.assertTrue(Record.objects.filter(id=draft.id).exists())
