"""Named personas for tests (STYLE: tests read as sentences about people).

alice and bob are survivors, carol a counselor, erin a directory editor, frank a
facilitator, adam an admin, and mallory a stranger with her own survivor account.
"""

from __future__ import annotations

import io
import secrets
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.test import Client, TestCase
from django_otp.plugins.otp_totp.models import TOTPDevice

from mend.accounts.models import Role, User
from mend.accounts.roles import admin_flags, is_staff_role
from mend.lib.env import search_file_dir

# The moment tests freeze the clock at (time_machine) and build search indexes for: a
# Tuesday, mid-day across the US. Tests never depend on the day they run.
NOW = datetime(2026, 11, 24, 17, 30, tzinfo=UTC)

PERSONAS: dict[str, str] = {
    "alice": Role.SURVIVOR,
    "bob": Role.SURVIVOR,
    "carol": Role.COUNSELOR,
    "erin": Role.EDITOR,
    "frank": Role.FACILITATOR,
    "adam": Role.ADMIN,
    "mallory": Role.SURVIVOR,
}


# Every secret production refuses to start without (mend.lib.env.env_secret, no default).
PRODUCTION_SECRETS = (
    "RECEIPT_SIGNING_KEY",
    "ESCROW_OPRF_SEED",
    "ESCROW_SERVER_KEY",
    "CERTIFICATE_SIGNING_KEY",
)


def production_environment(**overrides: str) -> dict[str, str]:
    """Environment variables for a process that runs as production, with fresh secrets."""
    env = {
        "MEND_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "mend.settings",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "mend.example.org",
    }
    env.update({name: secrets.token_hex(32) for name in PRODUCTION_SECRETS})
    # Public, not secret, but production refuses to start without one (mend.escrow.keys).
    env["ESCROW_OPERATOR_PUBLIC_KEY"] = secrets.token_hex(32)
    # Production names the folder of the mapped search file (ADR 0018); one per process here.
    env["SEARCH_FILE_DIR"] = search_file_dir("test", Path(tempfile.gettempdir()))
    env.update(overrides)
    return env


def make_persona(name: str) -> User:
    role = PERSONAS[name]
    flags = admin_flags(role)
    return User.objects.create_user(
        username=name,
        password=f"{name}-passphrase",
        role=role,
        is_staff=flags["is_staff"],
        is_superuser=flags["is_superuser"],
    )


def login_with_otp(client: Client, user: User) -> None:
    """Log a staff persona in with a verified second factor, as the admin requires."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()


def sign_in(client: Client, user: User | None) -> None:
    """Sign ``client`` in as ``user`` signs in (staff with their second factor), or out."""
    client.logout()
    if user is None:
        return
    if is_staff_role(user.role):
        login_with_otp(client, user)
    else:
        client.force_login(user)


class BaseTestCase(TestCase):
    alice: User
    bob: User
    carol: User
    erin: User
    frank: User
    adam: User
    mallory: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for name in PERSONAS:
            setattr(cls, name, make_persona(name))

    def assertNoStore(self, response: Any) -> None:
        self.assertEqual(response.headers.get("Cache-Control"), "no-store")


def run_with_passphrase(command: str, *args: str, passphrase: str) -> str:
    """Run a staff command that reads a passphrase (create_staff, set_staff_passphrase)
    with it on standard input; return what the command printed."""
    out = io.StringIO()
    call_command(
        command, *args, "--passphrase-stdin", stdin=io.StringIO(passphrase + "\n"), stdout=out
    )
    return out.getvalue()
