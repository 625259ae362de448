"""Importing a record: read as a stream, within the body limit, the quota and the save rate.

Alice saves a record, exports it, deletes it, and imports it again (the record key is still
wrapped by her own vault key, so no rewrapping is needed for these tests).
"""

from __future__ import annotations

import io
import json
import uuid
from datetime import UTC, datetime
from typing import Any
from unittest import mock

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from mend.lib.refusal import Refusal
from mend.vault import bundle
from mend.vault.models import Attachment, Record, RecordVersion
from mend.vault.tests.base import API, VaultTestCase

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


class ImportLimitTests(VaultTestCase):
    def exported_record(self, files: int = 1) -> dict[str, Any]:
        """One record of Alice's with `files` files, exported, then deleted from the server."""
        draft = self.draft()
        photos = {uuid.uuid4(): f"photo {n}".encode() for n in range(files)}
        self.assertEqual(self.save(self.alice, draft, files=photos).status_code, 201)
        self.assertEqual(self.save(self.alice, draft).status_code, 201)
        r = self.client.get(f"{API}/export")
        data: dict[str, Any] = json.loads(b"".join(r.streaming_content))  # type: ignore[attr-defined]
        self.assertEqual(self.delete(self.alice, f"{API}/records").status_code, 204)
        record: dict[str, Any] = data["records"][0]
        return record

    def send(self, text: str | bytes) -> Any:
        raw = text.encode() if isinstance(text, str) else text
        return self.client.post(f"{API}/import", {"record": SimpleUploadedFile("r.json", raw)})

    def test_it_imports_a_record_with_its_files(self) -> None:
        record = self.exported_record(files=3)
        r = self.send(json.dumps(record))
        self.assertEqual(r.status_code, 201, r.content)
        self.assertEqual(self.json(r), {"id": record["id"], "versions": 2})
        self.assertEqual(Attachment.objects.filter(record_id=record["id"]).count(), 3)
        self.assertEqual(RecordVersion.objects.filter(record_id=record["id"]).count(), 2)

    def test_it_refuses_a_deeply_nested_record_with_400(self) -> None:
        # Once a 500: json.loads raised RecursionError on the whole upload.
        self.client.force_login(self.alice)
        for deep in ("[" * 100_000 + "]" * 100_000, '{"id": ' + "[" * 100_000):
            r = self.send(deep)
            self.assertEqual(r.status_code, 400, deep[:20])
            self.assertEqual(self.json(r)["code"], "import_invalid")
        self.assertFalse(Record.objects.exists())

    def test_it_refuses_deep_nesting_inside_a_version_with_400(self) -> None:
        record = self.exported_record()
        text = json.dumps(record).replace('"receipt": {', '"receipt": {"x": ' + "[" * 50_000, 1)
        r = self.send(text)
        self.assertEqual(r.status_code, 400)
        self.assertEqual(self.json(r)["code"], "import_invalid")
        self.assertFalse(Record.objects.exists())

    def test_it_refuses_what_is_not_one_record_with_400_and_stores_nothing(self) -> None:
        record = self.exported_record()
        versions_last = {k: v for k, v in record.items() if k != "versions"}
        versions_last["versions"] = record["versions"]
        cases: list[str | bytes] = [
            "",
            "not json",
            "[]",
            json.dumps(record)[:-1],  # cut short
            json.dumps(record) + " {}",  # something after the record
            json.dumps(record)[:-1] + ', "extra": 1}',  # a field after the files
            json.dumps(versions_last),  # the files before the versions
            json.dumps({k: v for k, v in record.items() if k != "attachments"}),
            json.dumps(record).replace('"id"', '"id": "x", "id"', 1),  # a field twice
            b"\xff" + json.dumps(record).encode(),
        ]
        for text in cases:
            r = self.send(text)
            self.assertEqual(r.status_code, 400, text[:40])
            self.assertEqual(self.json(r)["code"], "import_invalid", text[:40])
        self.assertFalse(Record.objects.exists())

    def test_it_refuses_a_single_value_larger_than_any_file_with_413(self) -> None:
        record = self.exported_record()
        with self.settings(VAULT_MAX_ATTACHMENT_BYTES=1000):
            huge = json.dumps({"notes": "x" * bundle.max_value_chars(), **record})
            r = self.send(huge)
        self.assertEqual(r.status_code, 413)
        self.assertEqual(self.json(r)["code"], "import_too_large")
        self.assertFalse(Record.objects.exists())

    def test_it_refuses_more_versions_than_an_import_takes_with_413(self) -> None:
        record = self.exported_record()  # two versions
        for name, value in (("MAX_IMPORT_VERSIONS", 1), ("MAX_IMPORT_VERSIONS_BYTES", 100)):
            with mock.patch.object(bundle, name, value):
                r = self.send(json.dumps(record))
            self.assertEqual(r.status_code, 413, name)
            self.assertEqual(self.json(r)["code"], "import_too_large")
        self.assertFalse(Record.objects.exists())
        self.assertEqual(self.send(json.dumps(record)).status_code, 201)

    def test_it_refuses_more_files_than_a_record_holds_with_413_and_stores_nothing(self) -> None:
        record = self.exported_record(files=3)
        with self.settings(VAULT_MAX_ATTACHMENTS_PER_RECORD=2):
            r = self.send(json.dumps(record))
        self.assertEqual(r.status_code, 413)
        self.assertEqual(self.json(r)["code"], "import_too_large")
        self.assertFalse(Record.objects.exists())
        self.assertFalse(Attachment.objects.exists())

    def test_it_refuses_a_record_beyond_the_quota_with_413_and_stores_nothing(self) -> None:
        record = self.exported_record(files=2)
        r = self.send(json.dumps(record))
        self.assertEqual(r.status_code, 201)
        used = sum(v.size for v in RecordVersion.objects.all()) + sum(
            a.size for a in Attachment.objects.all()
        )
        self.delete(self.alice, f"{API}/records")
        with self.settings(VAULT_QUOTA_BYTES=used - 1):  # one byte short, in the last file
            r = self.send(json.dumps(record))
        self.assertEqual(r.status_code, 413)
        self.assertEqual(self.json(r)["code"], "quota_exceeded")
        self.assertFalse(Record.objects.exists())
        self.assertFalse(Attachment.objects.exists())
        with self.settings(VAULT_QUOTA_BYTES=used):
            self.assertEqual(self.send(json.dumps(record)).status_code, 201)

    def test_it_counts_imports_against_the_import_rate(self) -> None:
        record = self.exported_record()
        limited = self.settings(RATE_LIMIT_VAULT_IMPORT_ACCOUNT=(0, 3600))
        with time_machine.travel(NOON, tick=False), limited:
            r = self.send(json.dumps(record))
        self.assertEqual(r.status_code, 429)
        self.assertEqual(self.json(r)["code"], "save_rate_limited")
        self.assertEqual(r["Retry-After"], "3600")
        self.assertFalse(Record.objects.exists())

    def test_it_counts_imports_apart_from_saves(self) -> None:
        # An export of many records imports in one go, though saves are limited to fewer.
        record = self.exported_record()
        no_saves = self.settings(RATE_LIMIT_VAULT_SAVE_ACCOUNT=(0, 3600))
        with time_machine.travel(NOON, tick=False), no_saves:
            self.assertEqual(self.send(json.dumps(record)).status_code, 201)

    def test_it_reads_the_files_one_at_a_time(self) -> None:
        record = self.exported_record(files=2)
        stream = io.BytesIO(json.dumps(record).encode())
        with mock.patch.object(bundle, "READ_BYTES", 64):
            imported = bundle.read_imported_record(stream)
        self.assertEqual(len(imported.versions), 2)
        files = iter(imported.attachments)
        with mock.patch.object(bundle, "READ_BYTES", 64):
            first = next(files)
        self.assertLess(stream.tell(), len(stream.getvalue()))  # the second not read yet
        self.assertEqual(str(first.id), record["attachments"][0]["id"])
        self.assertEqual(len(list(files)), 1)

    def test_it_refuses_trailing_garbage_after_the_last_file(self) -> None:
        record = self.exported_record()
        imported = bundle.read_imported_record(io.BytesIO(json.dumps(record).encode() + b"]"))
        with self.assertRaises(Refusal):
            list(imported.attachments)

    def test_it_gives_staff_404_before_reading_anything(self) -> None:
        self.client.force_login(self.carol)
        self.assertEqual(self.send("[" * 100_000).status_code, 404)

    def json(self, response: Any) -> Any:
        return json.loads(response.content)
