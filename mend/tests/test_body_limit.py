"""mend.middleware.BodyLimitMiddleware: oversized bodies are refused before anything reads them.

Each test claims a large Content-Length over a tiny body: a request that got past the
middleware would try to read the rest (the test client's payload refuses such a read), so
the exact 413 proves that neither CSRF, the session nor a view read the body first.
"""

from __future__ import annotations

import json
import uuid

from django.test import Client, override_settings

from mend.test import BaseTestCase
from mend.vault import actions

IMPORT = "/api/v1/vault/import"
MB = 1024 * 1024


class BodyLimitTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        # CSRF enforced as in production: a 403 would mean the CSRF check read the body.
        self.client = Client(enforce_csrf_checks=True)

    def test_it_refuses_an_import_larger_than_any_record_with_413_before_csrf(self) -> None:
        self.client.force_login(self.alice)
        r = self.client.post(
            IMPORT,
            b"x",
            content_type="multipart/form-data; boundary=b",
            CONTENT_LENGTH=str(actions.import_body_limit() + 1),
        )
        self.assertEqual(r.status_code, 413)
        self.assertEqual(json.loads(r.content)["code"], "import_too_large")

    def test_it_refuses_a_save_larger_than_any_save_with_413_before_csrf(self) -> None:
        self.client.force_login(self.alice)
        r = self.client.post(
            f"/api/v1/vault/records/{uuid.uuid4()}/versions",
            b"x",
            content_type="multipart/form-data; boundary=b",
            CONTENT_LENGTH=str(actions.save_body_limit() + 1),
        )
        self.assertEqual(r.status_code, 413)
        self.assertEqual(json.loads(r.content)["code"], "attachment_too_large")

    def test_it_refuses_a_large_body_on_any_other_path_with_413(self) -> None:
        for path in ("/api/v1/accounts/signup", "/api/v1/escrow/oprf", "/accounts/logout/", "/"):
            r = self.client.post(
                path, b"{}", content_type="application/json", CONTENT_LENGTH=str(3 * MB)
            )
            self.assertEqual(r.status_code, 413, path)
            self.assertEqual(json.loads(r.content)["code"], "too_large")

    @override_settings(REQUEST_MAX_BODY_BYTES=4 * MB)
    def test_it_takes_the_general_limit_from_the_setting(self) -> None:
        r = self.client.post(
            "/api/v1/accounts/kdf-params",
            b"{}",
            content_type="application/json",
            CONTENT_LENGTH=str(4 * MB + 1),
        )
        self.assertEqual(r.status_code, 413)

    def test_it_lets_a_body_within_the_limit_through_to_csrf(self) -> None:
        self.client.force_login(self.alice)
        r = self.client.post(IMPORT, {"record": "x"})
        self.assertEqual(r.status_code, 403)  # the CSRF check, which comes next

    def test_it_refuses_a_chunked_body_without_a_length_with_411(self) -> None:
        r = self.client.generic(
            "POST", IMPORT, b"", HTTP_TRANSFER_ENCODING="chunked", CONTENT_LENGTH=""
        )
        self.assertEqual(r.status_code, 411)
        self.assertEqual(json.loads(r.content)["code"], "length_required")

    def test_it_refuses_a_content_length_that_is_not_a_number_with_400(self) -> None:
        for length in ("-1", "12abc", "1e9"):
            r = self.client.generic("POST", IMPORT, b"x", CONTENT_LENGTH=length)
            self.assertEqual(r.status_code, 400, length)
            self.assertEqual(json.loads(r.content)["code"], "malformed")

    def test_it_lets_a_request_without_a_body_through(self) -> None:
        self.assertEqual(self.client.get("/").status_code, 200)
