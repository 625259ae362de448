"""`manage.py set_staff_role`: the one way to change a role, always audited."""

from __future__ import annotations

import io

from django.core.management import CommandError, call_command

from mend.accounts.models import Role, User
from mend.audit.models import AuditLog
from mend.test import BaseTestCase


def set_role(username: str, role: str) -> str:
    out = io.StringIO()
    call_command("set_staff_role", username, role, stdout=out)
    return out.getvalue()


class SetStaffRoleTests(BaseTestCase):
    def test_it_makes_an_editor_a_counselor_without_admin_access_and_audits_it(self) -> None:
        self.assertEqual(set_role("erin", "counselor"), "'erin' is now counselor.\n")
        erin = User.objects.get(pk=self.erin.pk)
        self.assertEqual((erin.role, erin.is_staff, erin.is_superuser), ("counselor", False, False))
        row = AuditLog.objects.get()
        self.assertEqual(
            (row.action, row.actor_id, row.object_type, row.object_id),
            ("staff.role.changed", None, "user", str(erin.pk)),
        )

    def test_it_gives_an_admin_the_admin_flags(self) -> None:
        set_role("carol", "admin")
        carol = User.objects.get(pk=self.carol.pk)
        self.assertEqual((carol.role, carol.is_staff, carol.is_superuser), ("admin", True, True))

    def test_it_writes_nothing_when_the_role_is_already_that(self) -> None:
        set_role("carol", "counselor")
        self.assertFalse(AuditLog.objects.exists())

    def test_it_never_turns_a_survivor_into_staff(self) -> None:
        with self.assertRaisesMessage(CommandError, "there is no staff account named 'alice'"):
            set_role("alice", "counselor")
        self.assertEqual(User.objects.get(pk=self.alice.pk).role, Role.SURVIVOR)
        self.assertFalse(AuditLog.objects.exists())

    def test_it_refuses_a_role_that_is_not_a_staff_role(self) -> None:
        with self.assertRaises(CommandError):
            set_role("carol", "survivor")
        self.assertEqual(User.objects.get(pk=self.carol.pk).role, Role.COUNSELOR)
