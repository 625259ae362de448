from __future__ import annotations

from mend.test import BaseTestCase


class SecurityHeaderTests(BaseTestCase):
    def test_it_sends_a_strict_content_security_policy_with_a_nonce_free_page(self) -> None:
        r = self.client.get("/")
        csp = r.headers["Content-Security-Policy"]
        self.assertIn("default-src 'self'", csp)
        self.assertIn("object-src 'none'", csp)
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertNotIn("unsafe-eval", csp)
        self.assertNotIn("unsafe-inline", csp)

    def test_it_sends_privacy_headers(self) -> None:
        r = self.client.get("/")
        self.assertEqual(r.headers["Referrer-Policy"], "same-origin")
        self.assertEqual(r.headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(r.headers["X-Frame-Options"], "DENY")
        self.assertEqual(r.headers["Cross-Origin-Opener-Policy"], "same-origin")
        self.assertIn("camera=()", r.headers["Permissions-Policy"])

    def test_it_keeps_signed_in_pages_out_of_the_browser_cache(self) -> None:
        self.client.force_login(self.alice)
        self.assertNoStore(self.client.get("/"))

    def test_it_lets_public_pages_be_cached_normally(self) -> None:
        r = self.client.get("/")
        self.assertNotIn("Cache-Control", r.headers)


class ErrorPageTests(BaseTestCase):
    def test_it_shows_a_plain_not_found_page(self) -> None:
        r = self.client.get("/no-such-page/")
        self.assertEqual(r.status_code, 404)
        self.assertContains(r, "Page not found", status_code=404)
        self.assertContains(r, "data-quick-exit", status_code=404)
