"""Configuration fails closed: production refuses to start without its secrets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase

from mend.lib.env import hex_key
from mend.test import PRODUCTION_SECRETS, production_environment

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = production_environment()


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "DEBUG"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
    )


class ProductionSettingsTests(SimpleTestCase):
    def test_it_passes_the_deploy_checks_with_production_settings(self) -> None:
        result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_it_refuses_to_start_without_a_secret_key(self) -> None:
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
        result = manage("check", **env)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY (or SECRET_KEY_FILE) must be set in production", result.stderr)

    def test_it_reads_the_secret_key_from_a_file(self) -> None:
        key_file = Path(self.id().replace(".", "_") + ".key")
        tmp = ROOT / "var" / key_file
        tmp.parent.mkdir(exist_ok=True)
        tmp.write_text("file-Key-5b8e2c9f71a04d36-e0c7a94b1f3d2e86-17a5c3f9d0b4e6a2")
        try:
            env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
            result = manage("check", "--deploy", SECRET_KEY_FILE=str(tmp), **env)
            self.assertEqual(result.returncode, 0, result.stderr)
        finally:
            tmp.unlink()

    def test_it_refuses_debug_in_production(self) -> None:
        result = manage("check", "--deploy", DEBUG="true", **PRODUCTION_ENV)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("mend.E001", result.stderr)

    def test_it_refuses_to_start_without_each_production_secret(self) -> None:
        for name in PRODUCTION_SECRETS:
            with self.subTest(secret=name):
                env = {k: v for k, v in PRODUCTION_ENV.items() if k != name}
                result = manage("check", **env)
                self.assertNotEqual(result.returncode, 0)
                self.assertIn(f"{name} (or {name}_FILE) must be set in production", result.stderr)

    def test_it_refuses_a_wildcard_host(self) -> None:
        result = manage("check", "--deploy", **{**PRODUCTION_ENV, "ALLOWED_HOSTS": "*"})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("mend.E004", result.stderr)

    def test_it_refuses_a_short_secret_key(self) -> None:
        result = manage("check", "--deploy", **{**PRODUCTION_ENV, "SECRET_KEY": "short"})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("mend.E002", result.stderr)

    def test_it_refuses_insecure_cookies(self) -> None:
        result = manage("check", "--deploy", SESSION_COOKIE_SECURE="false", **PRODUCTION_ENV)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("mend.E005", result.stderr)

    def test_it_refuses_to_start_without_a_folder_for_the_search_file(self) -> None:
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SEARCH_FILE_DIR"}
        result = manage("check", "--deploy", **env)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("mend.E070", result.stderr)

    def test_it_refuses_a_relative_folder_for_the_search_file(self) -> None:
        result = manage("check", "--deploy", **{**PRODUCTION_ENV, "SEARCH_FILE_DIR": "var/search"})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("mend.E071", result.stderr)

    def test_it_rejects_an_unknown_environment_name(self) -> None:
        result = manage("check", **{**PRODUCTION_ENV, "MEND_ENV": "prod"})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("MEND_ENV must be one of", result.stderr)


class KeySettingTests(SimpleTestCase):
    """One reading of a key setting (mend.lib.env.hex_key) for the signing keys, the escrow's
    keys and the deploy checks."""

    def test_it_reads_64_hexadecimal_characters_in_either_case_as_32_bytes(self) -> None:
        self.assertEqual(hex_key("RECEIPT_SIGNING_KEY", " " + "AB" * 32 + "\n"), b"\xab" * 32)

    def test_it_refuses_anything_else_naming_the_setting(self) -> None:
        for value in ("", "ab" * 31, "ab" * 33, "zz" * 32):
            with self.assertRaisesMessage(
                ImproperlyConfigured, "CERTIFICATE_SIGNING_KEY must be 64 hexadecimal characters"
            ):
                hex_key("CERTIFICATE_SIGNING_KEY", value)
