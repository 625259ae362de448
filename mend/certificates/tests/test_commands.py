"""verify_certificate (offline), revoke_certificate and allow_retake (audited), and
staff_certification."""

from __future__ import annotations

import io
import tempfile
from datetime import timedelta
from pathlib import Path

import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from mend.accounts.models import Role, User
from mend.audit.models import AuditLog
from mend.certificates import keys
from mend.certificates.access import revoked_ids
from mend.certificates.models import Certificate
from mend.certificates.testing import certify
from mend.certificates.tests.base import CertificateTestCase
from mend.crypto import certificates
from mend.test import NOW, login_with_otp


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def changed_byte(compact: str) -> str:
    raw = bytearray(certificates._unb64(compact))
    raw[30] ^= 0x01
    return certificates._b64(bytes(raw))


@time_machine.travel(NOW + timedelta(days=10), tick=False)
class VerifyCertificateCommandTests(CertificateTestCase):
    def setUp(self) -> None:
        self.certificate = self.issue(self.alice, name="Alice Learner")
        self.key = keys.public_key().hex()
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)

    def revoked_list(self) -> Path:
        path = self.folder / "revoked.json"
        path.write_text(keys.published_list(NOW + timedelta(days=10)), encoding="utf-8")
        return path

    def test_it_says_valid_for_the_text_and_for_a_file_with_the_published_key(self) -> None:
        output = run("verify_certificate", self.certificate.compact, "--public-key", self.key)
        self.assertIn("VALID: Mend issued this certificate and it is current.", output)
        self.assertIn("Alice Learner", output)
        self.assertIn("trauma-basics (v1)", output)
        self.assertIn("expires (UTC): 2028-11-24T17:30:00Z", output)
        self.assertIn("revocations:   not checked", output)
        path = self.folder / "certificate.txt"
        path.write_text(self.certificate.compact + "\n", encoding="utf-8")
        self.assertIn("VALID", run("verify_certificate", str(path), "--public-key", self.key))

    def test_a_changed_byte_is_not_valid(self) -> None:
        with self.assertRaisesMessage(CommandError, "NOT VALID") as caught:
            run(
                "verify_certificate",
                changed_byte(self.certificate.compact),
                "--public-key",
                self.key,
            )
        self.assertEqual(caught.exception.returncode, 1)

    def test_another_key_is_not_valid(self) -> None:
        with self.assertRaisesMessage(CommandError, "signature does not match"):
            run("verify_certificate", self.certificate.compact, "--public-key", "ab" * 32)

    def test_it_shows_a_revoked_certificate_as_revoked_with_the_published_list(self) -> None:
        run("revoke_certificate", str(self.certificate.id), "--reason", "Issued in error")
        out = io.StringIO()
        with self.assertRaisesMessage(CommandError, "REVOKED") as caught:
            call_command(
                "verify_certificate",
                self.certificate.compact,
                "--public-key",
                self.key,
                "--revoked",
                str(self.revoked_list()),
                stdout=out,
            )
        self.assertEqual(caught.exception.returncode, 2)
        self.assertIn("checked against the list published 2026-12-04T17:30:00Z", out.getvalue())

    def test_it_refuses_a_revocation_list_that_was_changed(self) -> None:
        path = self.revoked_list()
        path.write_text(
            path.read_text().replace('"revoked": []', f'"revoked": ["{self.certificate.id}"]')
        )
        with self.assertRaisesMessage(CommandError, "NOT VALID"):
            run("verify_certificate", self.certificate.compact, "--revoked", str(path))

    def test_it_says_expired_after_two_years(self) -> None:
        later = time_machine.travel(NOW + timedelta(days=731), tick=False)
        with later, self.assertRaisesMessage(CommandError, "EXPIRED") as caught:
            run("verify_certificate", self.certificate.compact, "--public-key", self.key)
        self.assertEqual(caught.exception.returncode, 2)

    def test_without_a_key_it_uses_this_servers_own_and_says_so(self) -> None:
        output = run("verify_certificate", self.certificate.compact)
        self.assertIn("this server's own key (CERTIFICATE_SIGNING_KEY)", output)
        with (
            self.settings(CERTIFICATE_SIGNING_KEY=""),
            self.assertRaisesMessage(CommandError, "No public key"),
        ):
            run("verify_certificate", self.certificate.compact)


class RevokeCertificateCommandTests(CertificateTestCase):
    def test_it_revokes_and_audits(self) -> None:
        certificate = self.issue(self.alice)
        output = run("revoke_certificate", str(certificate.id), "--reason", "Issued in error")
        self.assertIn(f"Revoked certificate {certificate.id}", output)
        certificate.refresh_from_db()
        self.assertIsNotNone(certificate.revoked_at)
        self.assertEqual(certificate.revoked_reason, "Issued in error")
        self.assertTrue(
            AuditLog.objects.filter(
                action="certificates.revoked", object_id=str(certificate.id)
            ).exists()
        )

    def test_it_refuses_a_malformed_id_an_unknown_id_and_an_empty_reason(self) -> None:
        certificate = self.issue(self.alice)
        with self.assertRaisesMessage(CommandError, "is not a certificate id"):
            run("revoke_certificate", "nope", "--reason", "x")
        with self.assertRaisesMessage(CommandError, "No certificate has the id"):
            run("revoke_certificate", "8c6f0f5e-1b2a-4c3d-9e8f-0a1b2c3d4e5f", "--reason", "x")
        with self.assertRaisesMessage(CommandError, "Say why"):
            run("revoke_certificate", str(certificate.id), "--reason", " ")
        self.assertFalse(Certificate.objects.exclude(revoked_at=None).exists())


class AllowRetakeCommandTests(CertificateTestCase):
    """An operator lifts a revocation's bar: the certificate stays revoked and published."""

    def test_it_lifts_the_bar_of_a_revoked_certificate_and_audits(self) -> None:
        certificate = self.issue(self.alice)
        run("revoke_certificate", str(certificate.id), "--reason", "Suspended for a term")
        output = run("allow_retake", str(certificate.id), "--reason", "Term served")
        self.assertIn(f"Certificate {certificate.id} (police) stays revoked", output)
        certificate.refresh_from_db()
        self.assertIsNotNone(certificate.revoked_at)
        self.assertIsNotNone(certificate.retake_allowed_at)
        self.assertEqual(certificate.retake_reason, "Term served")
        self.assertIn(certificate.id, set(revoked_ids()))  # still published as revoked
        audited = AuditLog.objects.filter(object_id=str(certificate.id))
        self.assertTrue(audited.filter(action="certificates.retake_allowed").exists())

    def test_it_refuses_what_has_no_bar_to_lift_and_says_why(self) -> None:
        current = self.issue(self.alice)
        with self.assertRaisesMessage(CommandError, "is not revoked: nothing to lift"):
            run("allow_retake", str(current.id), "--reason", "x")
        with self.assertRaisesMessage(CommandError, "is not a certificate id"):
            run("allow_retake", "nope", "--reason", "x")
        with self.assertRaisesMessage(CommandError, "No certificate has the id"):
            run("allow_retake", "8c6f0f5e-1b2a-4c3d-9e8f-0a1b2c3d4e5f", "--reason", "x")
        run("revoke_certificate", str(current.id), "--reason", "Issued in error")
        with self.assertRaisesMessage(CommandError, "Say why"):
            run("allow_retake", str(current.id), "--reason", "  ")
        run("allow_retake", str(current.id), "--reason", "Reviewed")
        with self.assertRaisesMessage(CommandError, "may take the path again already"):
            run("allow_retake", str(current.id), "--reason", "Twice")
        current.refresh_from_db()
        self.assertEqual(current.retake_reason, "Reviewed")


@time_machine.travel(NOW, tick=False)
class StaffCertificationTests(CertificateTestCase):
    def test_it_names_each_uncertified_counselor_and_facilitator_and_why(self) -> None:
        certify(self.carol, now=NOW - timedelta(days=800))
        output = run("staff_certification")
        self.assertIn("2 of 2 counselors and facilitators may not be assigned cases", output)
        self.assertIn("carol (counselor): certificate expired on 2026-09-15", output)
        self.assertIn("frank (facilitator): never certified", output)
        self.assertIn("Each takes the path in Training", output)  # what to do about it
        self.assertNotIn("alice", output)
        certify(self.carol, now=NOW)
        certify(self.frank, now=NOW)
        self.assertIn("All 2 counselors and facilitators hold", run("staff_certification"))

    def test_with_no_counselor_or_facilitator_it_says_so_rather_than_all_is_well(self) -> None:
        User.objects.filter(role__in=[Role.COUNSELOR, Role.FACILITATOR]).delete()
        output = run("staff_certification")
        self.assertIn("There is no active counselor or facilitator yet", output)
        self.assertNotIn("All 0", output)

    def test_the_admin_home_page_names_who_is_not_yet_certified(self) -> None:
        certify(self.carol, now=NOW)
        admin = Client()
        login_with_otp(admin, self.adam)
        response = admin.get("/staff/admin/")
        self.assertContains(response, 'data-qa="staff-not-certified"')
        self.assertContains(response, "frank.")
        certify(self.frank, now=NOW)
        self.assertNotContains(admin.get("/staff/admin/"), 'data-qa="staff-not-certified"')
