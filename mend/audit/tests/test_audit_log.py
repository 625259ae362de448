"""The audit log is append-only, and its admin page is a read-only listing."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.utils import DatabaseError

from mend.audit.actions import record_audit
from mend.audit.models import AppendOnlyError, AuditLog
from mend.test import BaseTestCase, login_with_otp


class AuditLogTests(BaseTestCase):
    def test_it_records_who_did_what_to_which_object(self) -> None:
        entry = record_audit(
            "escrow.group.opened", actor=self.carol, object_type="match_group", object_id=42
        )
        stored = AuditLog.objects.get()
        self.assertEqual(stored.pk, entry.pk)
        self.assertEqual((stored.actor, stored.actor_role), (self.carol, "counselor"))
        self.assertEqual((stored.object_type, stored.object_id), ("match_group", "42"))

    def test_a_count_only_record_names_no_one_and_keeps_the_day(self) -> None:
        record_audit("escrow.entry.withdrawn", count_only=True)
        stored = AuditLog.objects.get()
        self.assertIsNone(stored.actor_id)
        self.assertEqual((stored.actor_role, stored.object_type, stored.object_id), ("", "", ""))
        self.assertEqual(stored.at.time().isoformat(), "00:00:00")

    def test_it_refuses_changes_and_deletions(self) -> None:
        entry = record_audit("x", actor=self.adam)
        entry.action = "y"
        with self.assertRaises(AppendOnlyError):
            entry.save()
        with self.assertRaises(AppendOnlyError):
            entry.delete()
        with self.assertRaises(AppendOnlyError):
            AuditLog.objects.filter(pk=entry.pk).update(action="y")
        with self.assertRaises(AppendOnlyError):
            AuditLog.objects.all().delete()
        self.assertEqual(AuditLog.objects.get().action, "x")

    def test_postgresql_refuses_sql_updates_and_sqlite_relies_on_the_model(self) -> None:
        record_audit("x", actor=self.adam)
        statements = ["UPDATE audit_auditlog SET action = 'y'", "DELETE FROM audit_auditlog"]
        for sql in statements:
            if connection.vendor == "postgresql":
                with (
                    self.assertRaises(DatabaseError),
                    transaction.atomic(),
                    connection.cursor() as cursor,
                ):
                    cursor.execute(sql)
                self.assertEqual(AuditLog.objects.get().action, "x")
            else:  # documented in migration 0002: the embedded file has no separate owner
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(sql)

    def test_it_outlives_the_account_that_acted(self) -> None:
        record_audit("x", actor=self.erin)
        self.erin.delete()
        self.assertEqual(AuditLog.objects.get().actor_role, "editor")


class AuditAdminTests(BaseTestCase):
    def test_the_admin_can_list_but_not_change(self) -> None:
        entry = record_audit("escrow.group.opened", actor=self.carol)
        login_with_otp(self.client, self.adam)
        self.assertEqual(self.client.get("/staff/admin/audit/auditlog/").status_code, 200)
        self.assertEqual(self.client.get("/staff/admin/audit/auditlog/add/").status_code, 403)
        response = self.client.post(
            f"/staff/admin/audit/auditlog/{entry.pk}/delete/", {"post": "yes"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertTrue(AuditLog.objects.filter(pk=entry.pk).exists())

    def test_an_editor_cannot_see_it(self) -> None:
        record_audit("x")
        login_with_otp(self.client, self.erin)
        self.assertEqual(self.client.get("/staff/admin/audit/auditlog/").status_code, 403)

    def test_a_stranger_cannot_see_it(self) -> None:
        self.client.force_login(self.mallory)
        response = self.client.get("/staff/admin/audit/auditlog/")
        self.assertEqual(response.status_code, 302)  # the admin sends non-staff to its login
