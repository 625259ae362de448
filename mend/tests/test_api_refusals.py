"""Every JSON API of Mend refuses in one shape, from one handler, and says so in its schema.

ADR 0012: one refusal type (mend.lib.refusal.Refusal) answered by one handler, whose body
is ``{"code", "detail", "retry_after"}`` (the HSDS API's 400 adds ``parameter``). The
schema test reads /api/v1/openapi.json, so a new route that forgets to declare what it
may refuse fails here, not in a client.
"""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

from django.test import Client, SimpleTestCase, override_settings

from mend.accounts.models import User
from mend.vault.testing import Survivor
from mend.vault.tests.base import VaultTestCase, content, save_url

SHAPE = {"code", "detail", "retry_after"}
ERROR_SCHEMAS = {"#/components/schemas/ErrorOut", "#/components/schemas/ParameterErrorOut"}
#: Public routes that take no input at all, so there is nothing they could refuse.
NOTHING_TO_REFUSE = {
    "GET /api/v1/receipts/public-key",
    "GET /api/v1/escrow/oprf-key",
    "GET /api/v1/hsds/",
    "GET /api/v1/leave/rules",
    "GET /api/v1/certificates/public-key",
    "GET /api/v1/certificates/revoked",
}
#: ninja's cookie auth classes that admit a signed-in person (401 signed out, 404 others).
SESSIONS = {
    "SurvivorSession",
    "CounselorSession",
    "IdleClockSession",
    "PartySession",
    "SupervisorSession",
}


def operations(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"{method.upper()} {path}": operation
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }


def required_refusals(name: str, operation: dict[str, Any]) -> set[str]:
    """What a route must declare, read from the route itself: who may call it (401, 404),
    CSRF on writes (403), ids in the path (404), a body (422) or HSDS parameters (400)."""
    method, path = name.split(" ", 1)
    auth = {scheme for entry in operation.get("security") or [] for scheme in entry}
    places = {parameter["in"] for parameter in operation.get("parameters", [])}
    required: set[str] = set()
    if auth & SESSIONS:
        required |= {"401", "404"}
    if auth and method != "GET":
        required.add("403")
    if "path" in places:
        required.add("404")
    if "requestBody" in operation:
        required.add("422")
    if path.startswith("/api/v1/hsds/") and path != "/api/v1/hsds/":
        required.add("400")  # every HSDS route refuses a parameter it does not know
    return required


class OpenApiTests(SimpleTestCase):
    def setUp(self) -> None:
        self.schema = Client().get("/api/v1/openapi.json").json()
        self.operations = operations(self.schema)

    def test_it_lists_every_route_but_ping(self) -> None:
        self.assertNotIn("GET /api/v1/ping", self.operations)
        self.assertGreater(len(self.operations), 50)

    def test_every_route_declares_what_it_may_refuse(self) -> None:
        missing = {
            name: sorted(required_refusals(name, op) - set(op["responses"]))
            for name, op in self.operations.items()
        }
        self.assertEqual({name: codes for name, codes in missing.items() if codes}, {})

    def test_only_routes_without_any_input_declare_no_refusal(self) -> None:
        silent = {
            name
            for name, op in self.operations.items()
            if not any(status.startswith("4") for status in op["responses"])
        }
        self.assertEqual(silent, NOTHING_TO_REFUSE)

    def test_every_json_body_refuses_a_field_it_does_not_know(self) -> None:
        """Every JSON input schema is a ``mend.lib.wire.Strict`` (extra fields refused)."""
        components = self.schema["components"]["schemas"]
        bodies = {
            name: content["schema"]["$ref"].rsplit("/", 1)[-1]
            for name, operation in self.operations.items()
            for kind, content in operation.get("requestBody", {}).get("content", {}).items()
            if kind == "application/json"
        }
        self.assertGreater(len(bodies), 10, "the JSON bodies were found")
        loose = {
            n: s
            for n, s in bodies.items()
            if components[s].get("additionalProperties") is not False
        }
        self.assertEqual(loose, {})

    def test_every_declared_refusal_has_the_one_shape(self) -> None:
        wrong = {}
        for name, op in self.operations.items():
            for status, answer in op["responses"].items():
                if status[0] in "45":
                    ref = answer["content"]["application/json"]["schema"]["$ref"]
                    if ref not in ERROR_SCHEMAS:
                        wrong[f"{name} {status}"] = ref
        self.assertEqual(wrong, {})

    def test_the_hsds_refusal_extends_the_one_shape(self) -> None:
        schemas = self.schema["components"]["schemas"]
        one = set(schemas["ErrorOut"]["properties"])
        self.assertEqual(one, SHAPE)
        self.assertEqual(set(schemas["ParameterErrorOut"]["properties"]), SHAPE | {"parameter"})


class OneShapeTests(VaultTestCase):
    def assert_refusal(self, response: Any, status: int, code: str) -> dict[str, Any]:
        self.assertEqual(response.status_code, status, response.content)
        body: dict[str, Any] = response.json()
        self.assertEqual(set(body), SHAPE)
        self.assertEqual(body["code"], code)
        self.assertTrue(body["detail"])
        return body

    def test_a_signed_out_visitor_gets_401_signed_out_from_every_protected_api(self) -> None:
        for url in ("/api/v1/vault/records", "/api/v1/accounts/alive"):
            self.assert_refusal(Client().get(url), 401, "signed_out")

    def test_someone_elses_record_is_404_not_found(self) -> None:
        draft = self.saved_record(self.alice)
        self.client.force_login(self.mallory)
        self.assert_refusal(self.client.get(f"/api/v1/vault/records/{draft.id}"), 404, "not_found")

    def test_staff_get_404_not_found_in_the_same_shape(self) -> None:
        self.client.force_login(self.erin)
        self.assert_refusal(self.client.get("/api/v1/vault/records"), 404, "not_found")

    def test_a_stale_version_is_409_in_the_same_shape(self) -> None:
        draft = self.saved_record(self.alice, versions=2)
        draft.version = 1
        self.assert_refusal(self.save(self.alice, draft), 409, "version_conflict")

    @override_settings(RATE_LIMIT_VAULT_SAVE_ACCOUNT=(1, 3600))
    def test_too_many_saves_is_429_with_retry_after_in_body_and_header(self) -> None:
        self.saved_record(self.alice)
        body = self.assert_refusal(self.save(self.alice, self.draft()), 429, "save_rate_limited")
        self.assertGreater(body["retry_after"], 0)
        response = self.save(self.alice, self.draft())
        self.assertEqual(response.headers["Retry-After"], str(response.json()["retry_after"]))

    def test_a_field_that_does_not_validate_is_422_naming_it(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            "/api/v1/escrow/evaluate", {"blinded": "x"}, content_type="application/json"
        )
        body = self.assert_refusal(response, 422, "invalid")
        self.assertIn("blinded", body["detail"])

    def test_bytes_that_are_not_an_envelope_are_400_malformed(self) -> None:
        body = Survivor("sam", "a passphrase of hers").signup_body()
        body["wrapped_vk"] = base64.b64encode(b"not an envelope").decode()
        response = self.client.post(
            "/api/v1/accounts/signup", json.dumps(body), content_type="application/json"
        )
        refusal = self.assert_refusal(response, 400, "malformed")
        self.assertIn("wrapped_vk", refusal["detail"])
        self.assertFalse(User.objects.filter(username="sam").exists())

    def test_a_form_field_that_is_not_a_number_is_400_malformed(self) -> None:
        self.client.force_login(self.alice)
        form = self.draft().save_form(content())
        form["version"] = "one"
        response = self.client.post(save_url(uuid.uuid4()), form)
        self.assert_refusal(response, 400, "malformed")
