from __future__ import annotations

from django.test import SimpleTestCase

from mend.checks import check_receipt_signing_key


class ReceiptKeyCheckTests(SimpleTestCase):
    def ids(self, **settings: object) -> list[str]:
        with self.settings(PRODUCTION=True, **settings):
            return [e.id or "" for e in check_receipt_signing_key(None)]

    def test_it_refuses_the_development_key_in_production(self) -> None:
        from django.conf import settings

        self.assertEqual(
            self.ids(RECEIPT_SIGNING_KEY=settings.DEV_RECEIPT_SIGNING_KEY), ["mend.E021"]
        )

    def test_it_refuses_a_malformed_key(self) -> None:
        self.assertEqual(self.ids(RECEIPT_SIGNING_KEY="not hex"), ["mend.E020"])
        self.assertEqual(self.ids(RECEIPT_SIGNING_KEY="ab" * 16), ["mend.E020"])

    def test_it_accepts_a_real_key(self) -> None:
        self.assertEqual(self.ids(RECEIPT_SIGNING_KEY="5e" * 32), [])

    def test_it_says_nothing_outside_production(self) -> None:
        with self.settings(PRODUCTION=False, RECEIPT_SIGNING_KEY="x"):
            self.assertEqual(check_receipt_signing_key(None), [])
