"""HEAD gets what GET gets, without the body (uptime monitors and link checkers)."""

from __future__ import annotations

from mend.test import BaseTestCase


class HeadRequestTests(BaseTestCase):
    def test_pages_and_the_api_answer_head_like_get_without_a_body(self) -> None:
        for path in ("/", "/es/", "/help/", "/safety/", "/find-others/", "/api/v1/hsds/"):
            with self.subTest(path):
                got = self.client.get(path)
                head = self.client.head(path)
                self.assertEqual((got.status_code, head.status_code), (200, 200))
                self.assertEqual(head.content, b"")
                self.assertEqual(head["Content-Type"], got["Content-Type"])
                self.assertEqual(int(head["Content-Length"]), len(got.content))

    def test_head_keeps_every_rule_of_get(self) -> None:
        self.assertEqual(self.client.head("/record/").status_code, 302)  # sign in first
        self.client.force_login(self.carol)
        self.assertEqual(self.client.head("/record/").status_code, 404)  # staff: not found
        self.assertEqual(self.client.head("/account/exit/").status_code, 405)  # POST only
