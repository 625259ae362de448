"""Helpers for account tests: a survivor's browser (mend.vault.testing) talking JSON."""

from __future__ import annotations

import json
from typing import Any

from mend.test import BaseTestCase
from mend.vault.testing import Survivor

API = "/api/v1/accounts"
PASSPHRASE = "correct horse battery staple, in the rain"


class AccountTestCase(BaseTestCase):
    def post(self, path: str, body: dict[str, Any]) -> Any:
        response = self.client.post(
            f"{API}/{path}", json.dumps(body), content_type="application/json"
        )
        return response

    def sign_up(self, username: str = "sam", passphrase: str = PASSPHRASE) -> Survivor:
        survivor = Survivor(username, passphrase)
        r = self.post("signup", survivor.signup_body())
        self.assertEqual(r.status_code, 201, r.content)
        self.client.logout()
        return survivor

    def json(self, response: Any) -> Any:
        return json.loads(response.content)
