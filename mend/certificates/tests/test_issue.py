"""Issuing a certificate (the call the training app makes) and revoking one."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from mend.audit.models import AuditLog
from mend.certificates import actions, keys
from mend.certificates.models import Certificate, CertificateModule
from mend.certificates.tests.base import CertificateTestCase
from mend.crypto import certificates
from mend.crypto.errors import CertificateError
from mend.test import NOW


class IssueTests(CertificateTestCase):
    def test_it_signs_a_certificate_anyone_can_verify_with_the_published_key(self) -> None:
        stored = self.issue(self.alice, name="  Alice   María ")
        signed = certificates.verify_certificate(stored.compact, keys.public_key())
        self.assertEqual(signed.certificate_id, stored.id)
        self.assertEqual(signed.name, "Alice María")
        self.assertEqual(signed.path_id, "police")
        self.assertEqual(signed.path_title, "Police and campus security")
        self.assertEqual(
            signed.modules,
            (("first-response", 1), ("receiving-disclosure", 2), ("trauma-basics", 1)),
        )
        self.assertEqual(signed.issued_at, NOW)
        self.assertEqual(signed.expires_at, datetime(2028, 11, 24, 17, 30, tzinfo=UTC))
        self.assertEqual(bytes(stored.signer), keys.public_key())

    def test_it_stores_what_it_signed_and_audits_the_issue(self) -> None:
        stored = self.issue(self.alice)
        self.assertEqual(stored.holder, self.alice)
        self.assertEqual(stored.expires_at, datetime(2028, 11, 24, 17, 30, tzinfo=UTC))
        self.assertIsNone(stored.revoked_at)
        self.assertEqual(
            dict(
                CertificateModule.objects.filter(certificate=stored).values_list(
                    "module_id", "version"
                )
            ),
            {"trauma-basics": 1, "receiving-disclosure": 2, "first-response": 1},
        )
        log = AuditLog.objects.get(action="certificates.issued")
        self.assertEqual(log.object_id, str(stored.id))

    def test_the_signed_text_names_neither_the_username_nor_the_account(self) -> None:
        stored = self.issue(self.alice, name="A. Learner")
        raw = certificates._unb64(stored.compact)
        self.assertNotIn(b"alice", raw)
        self.assertNotIn(self.alice.id.bytes, raw)
        self.assertNotIn(str(self.alice.id).encode(), raw)

    def test_it_drops_fractions_of_a_second_and_keeps_29_february_in_february(self) -> None:
        leap = datetime(2028, 2, 29, 9, 15, 30, 123456, tzinfo=UTC)
        stored = self.issue(self.alice, now=leap)
        self.assertEqual(stored.issued_at, leap.replace(microsecond=0))
        self.assertEqual(stored.expires_at, datetime(2030, 2, 28, 9, 15, 30, tzinfo=UTC))

    def test_it_refuses_bad_input_and_writes_nothing(self) -> None:
        with self.assertRaises(CertificateError):
            self.issue(self.alice, name="   ")
        with self.assertRaises(CertificateError):
            self.issue(self.alice, modules=[])
        with self.assertRaises(CertificateError):
            self.issue(self.alice, modules=[("Bad Id", 1)])
        self.assertFalse(Certificate.objects.exists())
        self.assertFalse(AuditLog.objects.filter(action="certificates.issued").exists())

    def test_each_certificate_gets_its_own_random_id(self) -> None:
        first, second = self.issue(self.alice), self.issue(self.alice)
        self.assertNotEqual(first.id, second.id)
        self.assertNotEqual(first.compact, second.compact)


class RevokeTests(CertificateTestCase):
    def test_it_revokes_once_with_a_reason_and_audits_it(self) -> None:
        stored = self.issue(self.alice)
        later = NOW + timedelta(days=3)
        actions.do_revoke_certificate(stored.id, "Issued in error", later)
        stored.refresh_from_db()
        self.assertEqual(stored.revoked_at, later)
        self.assertEqual(stored.revoked_reason, "Issued in error")
        self.assertEqual(
            AuditLog.objects.get(action="certificates.revoked").object_id, str(stored.id)
        )
        with self.assertRaisesMessage(actions.RevokeError, "revoked already"):
            actions.do_revoke_certificate(stored.id, "Again", later)

    def test_it_refuses_without_a_reason_or_an_existing_id(self) -> None:
        stored = self.issue(self.alice)
        with self.assertRaisesMessage(actions.RevokeError, "Say why"):
            actions.do_revoke_certificate(stored.id, "  ", NOW)
        with self.assertRaisesMessage(actions.RevokeError, "No certificate"):
            actions.do_revoke_certificate(uuid.uuid4(), "Issued in error", NOW)
        stored.refresh_from_db()
        self.assertIsNone(stored.revoked_at)
        self.assertFalse(AuditLog.objects.filter(action="certificates.revoked").exists())

    def test_the_published_list_is_signed_and_names_only_revoked_ids(self) -> None:
        kept, revoked = self.issue(self.alice), self.issue(self.bob)
        actions.do_revoke_certificate(revoked.id, "Issued in error", NOW)
        listing = certificates.verify_revocations(keys.published_list(NOW), keys.public_key())
        self.assertEqual(listing.revoked, frozenset({revoked.id}))
        self.assertEqual(listing.published_at, NOW)
        self.assertNotIn(str(kept.id), keys.published_list(NOW))
        self.assertNotIn("Issued in error", keys.published_list(NOW))
