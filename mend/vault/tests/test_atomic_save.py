"""A save is all or nothing, even when the server fails between two writes.

(tests/vault_crash/ does the same with a real server process killed mid-save.)
"""

from __future__ import annotations

import uuid
from unittest import mock

from django.test import TransactionTestCase

from mend.crypto import envelope
from mend.test import make_persona
from mend.vault.models import Attachment, Record, RecordVersion
from mend.vault.testing import Draft
from mend.vault.tests.base import content, save_url


class AtomicSaveTests(TransactionTestCase):
    def setUp(self) -> None:
        self.alice = make_persona("alice")
        self.client.force_login(self.alice)
        self.draft = Draft(vk=envelope.new_key())
        r = self.client.post(save_url(self.draft.id), self.draft.save_form(content("first")))
        self.assertEqual(r.status_code, 201)
        self.draft.version = 1

    def save_failing_at(self, target: str) -> None:
        form = self.draft.save_form(content("second"), files={uuid.uuid4(): b"photo"})
        died = RuntimeError("the server died here")
        with mock.patch(target, side_effect=died), self.assertRaises(RuntimeError):
            self.client.post(save_url(self.draft.id), form)

    def assert_only_the_first_version(self) -> None:
        record = Record.objects.get(id=self.draft.id)
        self.assertEqual(record.current_version, 1)
        [first] = RecordVersion.objects.filter(record=record)
        self.assertEqual(self.draft.open(bytes(first.ciphertext), 1)["fields"]["what"], "first")
        self.assertFalse(Attachment.objects.exists())

    def test_it_keeps_no_half_version_when_failing_after_the_version_row(self) -> None:
        self.save_failing_at("mend.vault.models.Attachment.objects.bulk_create")
        self.assert_only_the_first_version()

    def test_it_keeps_no_half_version_when_failing_before_the_record_is_bumped(self) -> None:
        self.save_failing_at("mend.vault.models.Record.save")
        self.assert_only_the_first_version()

    def test_the_next_save_works_normally(self) -> None:
        self.save_failing_at("mend.vault.models.Record.save")
        r = self.client.post(save_url(self.draft.id), self.draft.save_form(content("second")))
        self.assertEqual(r.status_code, 201)
        self.assertEqual(Record.objects.get(id=self.draft.id).current_version, 2)
