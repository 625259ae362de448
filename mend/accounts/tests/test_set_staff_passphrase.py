"""`manage.py set_staff_passphrase`: a new passphrase (and authenticator), always audited."""

from __future__ import annotations

from django.core.management import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from mend.accounts.models import User
from mend.audit.models import AuditLog
from mend.test import BaseTestCase, run_with_passphrase

NEW = "a brand new staff passphrase"


def set_passphrase(*args: str, passphrase: str = NEW) -> str:
    return run_with_passphrase("set_staff_passphrase", *args, passphrase=passphrase)


class SetStaffPassphraseTests(BaseTestCase):
    def actions(self) -> list[tuple[str, str]]:
        return list(AuditLog.objects.order_by("id").values_list("action", "object_id"))

    def test_it_sets_the_passphrase_and_audits_it(self) -> None:
        set_passphrase("carol")
        self.assertTrue(User.objects.get(pk=self.carol.pk).check_password(NEW))
        self.assertEqual(self.actions(), [("staff.passphrase.changed", str(self.carol.pk))])

    def test_it_replaces_the_authenticator_on_request_and_audits_both(self) -> None:
        old = TOTPDevice.objects.create(user=self.carol, name="authenticator")
        output = set_passphrase("carol", "--new-authenticator")
        new = TOTPDevice.objects.get(user=self.carol)
        self.assertNotEqual(new.pk, old.pk)
        self.assertIn(new.config_url, output)
        carol = str(self.carol.pk)
        self.assertEqual(
            self.actions(),
            [
                ("staff.passphrase.changed", carol),
                ("staff.device.removed", carol),
                ("staff.device.added", carol),
            ],
        )

    def test_it_refuses_a_short_passphrase_and_changes_nothing(self) -> None:
        with self.assertRaisesMessage(CommandError, "at least 12 characters"):
            set_passphrase("carol", "--new-authenticator", passphrase="short")
        self.assertTrue(User.objects.get(pk=self.carol.pk).check_password("carol-passphrase"))
        self.assertFalse(AuditLog.objects.exists())

    def test_it_never_touches_a_survivor_account(self) -> None:
        with self.assertRaisesMessage(CommandError, "there is no staff account named 'alice'"):
            set_passphrase("alice")
        self.assertTrue(User.objects.get(pk=self.alice.pk).check_password("alice-passphrase"))
