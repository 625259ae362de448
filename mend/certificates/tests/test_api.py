"""The public, read-only certificates API."""

from __future__ import annotations

from django.test import Client

from mend.certificates import actions, keys
from mend.certificates.tests.base import CertificateTestCase
from mend.crypto import certificates
from mend.test import NOW


class CertificatesApiTests(CertificateTestCase):
    def test_it_publishes_the_signing_key_to_anyone(self) -> None:
        response = Client().get("/api/v1/certificates/public-key")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.json(),
            {
                "type": "mend-certificate-v1",
                "algorithm": "ed25519",
                "public_key": keys.public_key().hex(),
            },
        )

    def test_it_publishes_the_signed_list_of_revoked_certificates(self) -> None:
        kept, revoked = self.issue(self.alice), self.issue(self.bob)
        actions.do_revoke_certificate(revoked.id, "Issued in error", NOW)
        response = Client().get("/api/v1/certificates/revoked")
        self.assertEqual(response.status_code, 200)
        listing = certificates.verify_revocations(response.content.decode(), keys.public_key())
        self.assertEqual(listing.revoked, frozenset({revoked.id}))
        self.assertNotIn(str(kept.id), response.content.decode())

    def test_it_refuses_with_503_when_the_key_is_broken(self) -> None:
        with self.settings(CERTIFICATE_SIGNING_KEY="not hex"):
            for path in ("public-key", "revoked"):
                response = Client().get(f"/api/v1/certificates/{path}")
                self.assertEqual(response.status_code, 503)
                self.assertEqual(response.json()["code"], "certificates_unavailable")

    def test_the_openapi_document_declares_the_refusals(self) -> None:
        paths = Client().get("/api/v1/openapi.json").json()["paths"]
        for path in ("/api/v1/certificates/public-key", "/api/v1/certificates/revoked"):
            self.assertIn("503", paths[path]["get"]["responses"])
