"""Production refuses to sign certificates with a missing, malformed or development key."""

from __future__ import annotations

from django.conf import settings
from django.test import SimpleTestCase

from mend.checks import check_certificate_signing_key


class CertificateKeyCheckTests(SimpleTestCase):
    def ids(self, key: str) -> list[str]:
        with self.settings(PRODUCTION=True, CERTIFICATE_SIGNING_KEY=key):
            return [e.id or "" for e in check_certificate_signing_key(None)]

    def test_it_refuses_the_development_key_in_production(self) -> None:
        self.assertEqual(self.ids(settings.DEV_CERTIFICATE_SIGNING_KEY), ["mend.E071"])

    def test_it_refuses_a_malformed_key(self) -> None:
        self.assertEqual(self.ids("not hex"), ["mend.E070"])
        self.assertEqual(self.ids("ab" * 16), ["mend.E070"])

    def test_it_accepts_a_real_key(self) -> None:
        self.assertEqual(self.ids("5e" * 32), [])

    def test_it_says_nothing_outside_production(self) -> None:
        with self.settings(PRODUCTION=False, CERTIFICATE_SIGNING_KEY="x"):
            self.assertEqual(check_certificate_signing_key(None), [])
