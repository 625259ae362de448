from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command

from mend.crypto import receipts
from mend.vault import receipts as server_receipts
from mend.vault.models import RecordVersion
from mend.vault.tests.base import API, VaultTestCase


class ReceiptDownloadTests(VaultTestCase):
    def download(self, url: str) -> str:
        r = self.client.get(url)
        self.assertEqual(r.status_code, 200)
        self.assertIn("attachment; filename=", r["Content-Disposition"])
        return r.content.decode()

    def test_it_gives_a_receipt_file_that_verifies_offline(self) -> None:
        draft = self.saved_record(self.alice, versions=2)
        text = self.download(f"{API}/records/{draft.id}/versions/2/receipt")
        receipt = receipts.from_json(text)
        receipts.verify_receipt(receipt, server_receipts.public_key())
        stored = RecordVersion.objects.get(record_id=draft.id, version=2)
        receipts.check_ciphertext(receipt, bytes(stored.ciphertext))
        self.assertEqual((receipt.object_id, receipt.version), (str(draft.id), 2))

    def test_it_verifies_with_manage_py_verify_receipt(self) -> None:
        draft = self.saved_record(self.alice)
        text = self.download(f"{API}/records/{draft.id}/versions/1/receipt")
        stored = RecordVersion.objects.get(record_id=draft.id, version=1)
        with tempfile.TemporaryDirectory() as tmp:
            receipt_file, ciphertext_file = Path(tmp, "r.json"), Path(tmp, "c.bin")
            receipt_file.write_text(text)
            ciphertext_file.write_bytes(bytes(stored.ciphertext))
            out = io.StringIO()
            call_command(
                "verify_receipt",
                str(receipt_file),
                "--public-key",
                server_receipts.public_key().hex(),
                "--ciphertext",
                str(ciphertext_file),
                stdout=out,
            )
            self.assertIn("VALID", out.getvalue())
            receipt_file.write_text(text.replace('"version": 1', '"version": 2'))
            with self.assertRaises(CommandError):
                call_command("verify_receipt", str(receipt_file), stdout=io.StringIO())

    def test_it_gives_a_receipt_for_each_attachment(self) -> None:
        import uuid

        draft = self.draft()
        photo = uuid.uuid4()
        self.save(self.alice, draft, files={photo: b"x"})
        text = self.download(f"{API}/records/{draft.id}/attachments/{photo}/receipt")
        receipt = receipts.from_json(text)
        receipts.verify_receipt(receipt, server_receipts.public_key())
        self.assertEqual(receipt.object_id, f"{draft.id}/{photo}")

    def test_it_gives_404_for_a_version_that_does_not_exist(self) -> None:
        draft = self.saved_record(self.alice)
        self.assertEqual(
            self.client.get(f"{API}/records/{draft.id}/versions/2/receipt").status_code, 404
        )


class PublicKeyTests(VaultTestCase):
    def test_it_publishes_the_receipt_key_to_anyone(self) -> None:
        r = self.client.get("/api/v1/receipts/public-key")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(
            self.json(r),
            {
                "type": "mend-receipt-v1",
                "algorithm": "ed25519",
                "public_key": server_receipts.public_key().hex(),
            },
        )

    def test_it_signs_with_the_configured_key(self) -> None:
        with self.settings(RECEIPT_SIGNING_KEY="11" * 32):
            self.assertEqual(server_receipts.public_key(), receipts.public_key_for(b"\x11" * 32))
