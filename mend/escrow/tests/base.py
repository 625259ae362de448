"""Shared set-up for escrow tests: verified survivors, counselor keys, browsers."""

from __future__ import annotations

from typing import Any

from django.test import Client

from mend.accounts.models import Role, User
from mend.certificates.testing import certify
from mend.crypto import envelope
from mend.escrow import testing
from mend.escrow.models import MatchGroup
from mend.test import BaseTestCase, login_with_otp


class EscrowTestCase(BaseTestCase):
    carol_keys: envelope.BoxKeyPair

    def setUp(self) -> None:
        super().setUp()
        self.carol_keys = testing.add_counselor_key(self.carol)
        certify(self.carol)  # cases go only to counselors with a current staff certificate

    def browser_for(self, user: User, *, verified: bool = True) -> testing.SurvivorBrowser:
        if verified and not hasattr(user, "escrow_account"):
            testing.verify(user)
        testing.with_auth_key(user)  # her edits and withdrawals prove her passphrase
        client = Client()
        client.force_login(user)
        return testing.SurvivorBrowser(client)

    def counselor_client(self, user: User | None = None) -> Client:
        client = Client()
        login_with_otp(client, user or self.carol)
        return client

    def open_as_counselor(self, group: MatchGroup, client: Client | None = None) -> Any:
        client = client or self.counselor_client()
        response = client.get(f"{testing.COUNSELOR_API}/groups/{group.id}")
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()

    def make_survivor(self, name: str) -> User:
        return User.objects.create_user(username=name, password=f"{name}-passphrase")

    def make_counselor(self, name: str) -> User:
        return User.objects.create_user(
            username=name, password=f"{name}-passphrase", role=Role.COUNSELOR
        )
