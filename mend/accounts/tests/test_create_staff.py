from __future__ import annotations

from django.core.management import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from mend.accounts.models import Role, User
from mend.audit.models import AuditLog
from mend.test import BaseTestCase, run_with_passphrase


def create_staff(*args: str, passphrase: str = "a long staff passphrase") -> str:
    return run_with_passphrase("create_staff", *args, passphrase=passphrase)


class CreateStaffTests(BaseTestCase):
    def test_it_creates_an_editor_with_a_totp_device(self) -> None:
        output = create_staff("gina", "--role", "editor")
        gina = User.objects.get(username="gina")
        self.assertEqual(gina.role, Role.EDITOR)
        self.assertTrue(gina.is_staff)
        self.assertFalse(gina.is_superuser)
        self.assertTrue(gina.check_password("a long staff passphrase"))
        device = TOTPDevice.objects.get(user=gina)
        self.assertIn(device.config_url, output)
        # The app shows "Mend: gina", not a bare username among the person's other codes.
        self.assertIn("otpauth://totp/Mend%3Agina?", output)
        self.assertIn("&issuer=Mend", output)

    def test_it_writes_the_account_and_its_authenticator_to_the_audit_log(self) -> None:
        create_staff("gina", "--role", "editor")
        gina = User.objects.get(username="gina")
        rows = AuditLog.objects.order_by("id").values_list(
            "action", "actor", "object_type", "object_id"
        )
        self.assertEqual(
            list(rows),
            [
                ("staff.created", None, "user", str(gina.pk)),
                ("staff.device.added", None, "user", str(gina.pk)),
            ],
        )

    def test_it_gives_counselors_no_admin_access(self) -> None:
        create_staff("hana", "--role", "counselor")
        self.assertFalse(User.objects.get(username="hana").is_staff)

    def test_it_refuses_an_existing_username_and_writes_nothing(self) -> None:
        with self.assertRaisesMessage(CommandError, "an account named 'alice' already exists"):
            create_staff("alice", "--role", "editor")
        self.assertEqual(User.objects.get(username="alice").role, Role.SURVIVOR)
        self.assertFalse(TOTPDevice.objects.filter(user__username="alice").exists())

    def test_it_refuses_a_short_passphrase(self) -> None:
        with self.assertRaisesMessage(CommandError, "at least 12 characters"):
            create_staff("ivan", "--role", "admin", passphrase="short")
        self.assertFalse(User.objects.filter(username="ivan").exists())

    def test_it_refuses_the_survivor_role(self) -> None:
        with self.assertRaises(CommandError):
            create_staff("jo", "--role", "survivor")
        self.assertFalse(User.objects.filter(username="jo").exists())
