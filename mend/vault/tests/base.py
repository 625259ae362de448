"""Shared helpers for vault tests: the personas, plus a survivor's browser in Python."""

from __future__ import annotations

import json
import uuid
from typing import Any

from mend.accounts.models import User
from mend.crypto import envelope
from mend.test import BaseTestCase
from mend.vault.testing import Draft

API = "/api/v1/vault"
#: The auth key a persona's browser derives from her passphrase (deleting asks for it).
AUTH_KEY = bytes(range(32))
CANARY = "canary-7f3a9c-the-words-only-she-reads"


def save_url(record_id: uuid.UUID) -> str:
    return f"{API}/records/{record_id}/versions"


def content(what: str = CANARY, **fields: str) -> dict[str, Any]:
    return {"v": 1, "fields": {"what": what, **fields}, "attachments": []}


class VaultTestCase(BaseTestCase):
    def draft(self) -> Draft:
        return Draft(vk=envelope.new_key())

    def save(
        self,
        user: User,
        draft: Draft,
        body: dict[str, Any] | None = None,
        files: dict[uuid.UUID, bytes] | None = None,
    ) -> Any:
        """Log `user` in and save the draft's next version, as her browser does."""
        self.client.force_login(user)
        response = self.client.post(save_url(draft.id), draft.save_form(body or content(), files))
        if response.status_code == 201:
            draft.version += 1
        return response

    def saved_record(self, user: User, versions: int = 1) -> Draft:
        draft = self.draft()
        for n in range(versions):
            r = self.save(user, draft, content(f"{CANARY} version {n + 1}"))
            self.assertEqual(r.status_code, 201, r.content)
        return draft

    def delete(self, user: User, path: str, auth_key: bytes = AUTH_KEY) -> Any:
        """Log `user` in and delete at `path` as her browser does: with her passphrase
        again (its auth key; her account's passphrase is made to match AUTH_KEY)."""
        user.set_password(AUTH_KEY.hex())
        user.save(update_fields=["password"])
        self.client.force_login(user)
        body = json.dumps({"auth_key": auth_key.hex()})
        return self.client.delete(path, body, content_type="application/json")

    def json(self, response: Any) -> Any:
        return json.loads(response.content)
