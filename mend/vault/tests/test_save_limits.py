"""Saving within the account's storage quota and save rate (issue 9, item 4)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine

from mend.vault.actions import stored_bytes
from mend.vault.models import Attachment, Record, RecordVersion
from mend.vault.tests.base import CANARY, VaultTestCase, content

NOON = datetime(2026, 3, 2, 12, 0, 30, tzinfo=UTC)


class SaveQuotaTests(VaultTestCase):
    def test_it_refuses_a_save_beyond_the_quota_with_413_and_writes_nothing(self) -> None:
        first = self.saved_record(self.alice)
        used = stored_bytes(self.alice)
        draft = self.draft()
        with self.settings(VAULT_QUOTA_BYTES=used * 2 + 1000):
            r = self.save(self.alice, draft, files={uuid.uuid4(): b"x" * 1000})
        self.assertEqual(r.status_code, 413)
        self.assertEqual(self.json(r)["code"], "quota_exceeded")
        self.assertFalse(Record.objects.filter(id=draft.id).exists())
        self.assertFalse(Attachment.objects.exists())
        self.assertEqual(RecordVersion.objects.filter(record_id=first.id).count(), 1)

    def test_it_accepts_a_save_that_fills_the_quota_exactly(self) -> None:
        draft = self.saved_record(self.alice)
        used = stored_bytes(self.alice)
        same_size = content(f"{CANARY} version 2")  # as long as version 1's words
        with self.settings(VAULT_QUOTA_BYTES=2 * used):
            self.assertEqual(self.save(self.alice, draft, same_size).status_code, 201)
            self.assertEqual(stored_bytes(self.alice), 2 * used)
            r = self.save(self.alice, draft, same_size)
        self.assertEqual(r.status_code, 413)
        self.assertEqual(RecordVersion.objects.filter(record_id=draft.id).count(), 2)

    def test_it_counts_only_the_survivors_own_records(self) -> None:
        self.saved_record(self.bob, versions=3)
        self.saved_record(self.alice)
        used = stored_bytes(self.alice)
        with self.settings(VAULT_QUOTA_BYTES=2 * used):
            self.assertEqual(self.save(self.alice, self.draft()).status_code, 201)

    def test_it_frees_room_when_a_record_is_deleted(self) -> None:
        draft = self.saved_record(self.alice)
        used = stored_bytes(self.alice)
        with self.settings(VAULT_QUOTA_BYTES=used):
            self.assertEqual(self.save(self.alice, self.draft()).status_code, 413)
            self.assertEqual(
                self.delete(self.alice, f"/api/v1/vault/records/{draft.id}").status_code, 204
            )
            self.assertEqual(self.save(self.alice, self.draft()).status_code, 201)

    def json(self, response: Any) -> Any:
        return json.loads(response.content)


class SaveRateTests(VaultTestCase):
    def test_it_refuses_saves_beyond_the_rate_with_429_and_writes_nothing(self) -> None:
        draft = self.draft()
        with (
            time_machine.travel(NOON, tick=False),
            self.settings(RATE_LIMIT_VAULT_SAVE_ACCOUNT=(2, 60)),
        ):
            self.assertEqual(self.save(self.alice, draft).status_code, 201)
            self.assertEqual(self.save(self.alice, draft).status_code, 201)
            r = self.save(self.alice, draft)
            self.assertEqual(r.status_code, 429)
            self.assertEqual(self.json(r)["code"], "save_rate_limited")
            self.assertEqual(self.json(r)["retry_after"], 30)
            self.assertEqual(r["Retry-After"], "30")
            # Bob's saves are counted apart from Alice's.
            self.assertEqual(self.save(self.bob, self.draft()).status_code, 201)
        self.assertEqual(Record.objects.get(id=draft.id).current_version, 2)
        with (
            time_machine.travel(NOON + timedelta(seconds=30), tick=False),
            self.settings(RATE_LIMIT_VAULT_SAVE_ACCOUNT=(2, 60)),
        ):
            self.assertEqual(self.save(self.alice, draft).status_code, 201)

    def json(self, response: Any) -> Any:
        return json.loads(response.content)
