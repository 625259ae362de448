"""manage.py verify_receipt: checks one receipt offline and says clearly whether it holds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase, override_settings

from mend.crypto import receipts

ROOT = Path(__file__).resolve().parents[2]
SEED = bytes(range(32))
PUBLIC_KEY = receipts.public_key_for(SEED).hex()
CIPHERTEXT = b"\x01 a stored ciphertext"


class VerifyReceiptTests(SimpleTestCase):
    def setUp(self) -> None:
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.dir = Path(folder.name)
        moment = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
        receipt = receipts.sign_receipt(SEED, "record-7", 3, CIPHERTEXT, moment)
        self.receipt = self.write("receipt.json", receipts.to_json(receipt).encode())
        self.ciphertext = self.write("record.bin", CIPHERTEXT)

    def write(self, name: str, data: bytes) -> Path:
        path = self.dir / name
        path.write_bytes(data)
        return path

    def verify(self, *args: str) -> str:
        out = StringIO()
        call_command("verify_receipt", *args, stdout=out)
        return out.getvalue()

    def test_it_accepts_a_genuine_receipt(self) -> None:
        out = self.verify(str(self.receipt), "--public-key", PUBLIC_KEY)
        self.assertIn("VALID: Mend signed this receipt.", out)
        self.assertIn("record-7", out)
        self.assertIn("2025-03-01T09:30:00.000000Z", out)
        self.assertIn("not checked", out)

    def test_it_checks_the_ciphertext_when_given(self) -> None:
        out = self.verify(
            str(self.receipt), "--public-key", PUBLIC_KEY, "--ciphertext", str(self.ciphertext)
        )
        self.assertIn("ciphertext file:    matches", out)
        other = self.write("other.bin", CIPHERTEXT + b"!")
        with self.assertRaisesMessage(CommandError, "NOT VALID: the ciphertext is not the one"):
            self.verify(str(self.receipt), "--public-key", PUBLIC_KEY, "--ciphertext", str(other))

    def test_it_refuses_a_changed_receipt(self) -> None:
        data = json.loads(self.receipt.read_text())
        forged = self.write("forged.json", json.dumps({**data, "version": 4}).encode())
        with self.assertRaisesMessage(CommandError, "NOT VALID: the signature does not match"):
            self.verify(str(forged), "--public-key", PUBLIC_KEY)

    def test_it_refuses_a_receipt_signed_by_another_key(self) -> None:
        stranger = receipts.sign_receipt(bytes(32), "record-7", 3, CIPHERTEXT, datetime.now(UTC))
        path = self.write("stranger.json", receipts.to_json(stranger).encode())
        with self.assertRaisesMessage(
            CommandError, "NOT VALID: the receipt names a different public key"
        ):
            self.verify(str(path), "--public-key", PUBLIC_KEY)

    @override_settings(RECEIPT_SIGNING_KEY="")
    def test_it_needs_a_trusted_key(self) -> None:
        with self.assertRaisesMessage(CommandError, "No public key to check against"):
            self.verify(str(self.receipt))
        with self.assertRaisesMessage(CommandError, "public key must be 32 bytes"):
            self.verify(str(self.receipt), "--public-key", "abcd")

    @override_settings(RECEIPT_SIGNING_KEY=SEED.hex())
    def test_it_uses_this_servers_own_key_by_default(self) -> None:
        out = self.verify(str(self.receipt))
        self.assertIn("VALID", out)
        self.assertIn("this server's own key", out)

    @override_settings(RECEIPT_SIGNING_KEY=bytes(32).hex())
    def test_it_prefers_the_key_given_over_its_own(self) -> None:
        with self.assertRaisesMessage(CommandError, "different public key"):
            self.verify(str(self.receipt))
        out = self.verify(str(self.receipt), "--public-key", PUBLIC_KEY.upper())
        self.assertIn("the key given with --public-key", out)

    def test_it_says_when_a_file_cannot_be_read_or_parsed(self) -> None:
        with self.assertRaisesMessage(CommandError, "Cannot read"):
            self.verify(str(self.dir / "missing.json"), "--public-key", PUBLIC_KEY)
        garbage = self.write("garbage.json", b"\xff\xfe not json")
        with self.assertRaisesMessage(CommandError, "NOT VALID: the receipt is not valid JSON"):
            self.verify(str(garbage), "--public-key", PUBLIC_KEY)

    def test_it_exits_non_zero_on_failure_and_zero_on_success(self) -> None:
        env = {**os.environ, "MEND_ENV": "test", "DJANGO_SETTINGS_MODULE": "mend.settings_test"}

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            command = [sys.executable, "manage.py", "verify_receipt", str(self.receipt), *args]
            return subprocess.run(
                command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
            )

        good = run("--public-key", PUBLIC_KEY)
        self.assertEqual(good.returncode, 0, good.stderr)
        self.assertIn("VALID", good.stdout)
        bad = run("--public-key", receipts.public_key_for(bytes(32)).hex())
        self.assertEqual(bad.returncode, 1)
        self.assertIn("NOT VALID", bad.stderr)
