"""Messages between a counselor and a matched survivor: sealed at rest, limited per account."""

from __future__ import annotations

import uuid

from django.test import override_settings

from mend.crypto import envelope, labels
from mend.crypto.errors import CryptoError
from mend.escrow import keys, testing
from mend.escrow.messages import open_message, seal_message
from mend.escrow.models import MatchGroup, Membership, Message
from mend.escrow.tests.base import EscrowTestCase

NAMES = ["email:someone@example.org"]


class SealingTests(EscrowTestCase):
    def test_it_opens_a_message_under_its_own_id(self) -> None:
        message_id = uuid.uuid4()
        self.assertEqual(open_message(message_id, seal_message(message_id, "hello")), "hello")

    def test_it_does_not_open_a_message_under_another_id(self) -> None:
        sealed = seal_message(uuid.uuid4(), "hello")
        with self.assertRaises(CryptoError):
            open_message(uuid.uuid4(), sealed)

    def test_it_does_not_open_what_was_sealed_under_the_entry_purpose(self) -> None:
        message_id = uuid.uuid4()
        for object_id in (str(message_id), f"message:{message_id}"):
            context = envelope.Context(labels.PURPOSE_ESCROW_ENTRY, object_id, 1)
            sealed = envelope.encrypt(keys.message_key(), b"hello", context)
            with self.assertRaises(CryptoError):
                open_message(message_id, sealed)


@override_settings(RATE_LIMIT_ESCROW_MESSAGE_ACCOUNT=(2, 3600))
class RateLimitTests(EscrowTestCase):
    def setUp(self) -> None:
        super().setUp()
        for user in (self.alice, self.bob):
            with self.captureOnCommitCallbacks(execute=True):
                response = self.browser_for(user).submit(NAMES, {"what": user.username})
                self.assertEqual(response.status_code, 201)
        self.group = MatchGroup.objects.get()
        self.alice_member = Membership.objects.get(group=self.group, survivor=self.alice)
        self.bob_member = Membership.objects.get(group=self.group, survivor=self.bob)

    def test_it_limits_a_survivors_messages(self) -> None:
        alice = self.browser_for(self.alice)
        url = f"{testing.API}/threads/{self.alice_member.id}/messages"
        for n in range(2):
            sent = testing.post_json(alice.client, url, {"text": f"message {n}"})
            self.assertEqual(sent.status_code, 201)
        refused = testing.post_json(alice.client, url, {"text": "one too many"})
        self.assertEqual(refused.status_code, 429)
        self.assertEqual(refused.json()["code"], "rate_limited")
        self.assertEqual(refused.json()["detail"], "too many messages for now")
        self.assertGreater(int(refused["Retry-After"]), 0)
        self.assertEqual(Message.objects.count(), 2)
        # bob has his own allowance
        bob = self.browser_for(self.bob)
        bob_url = f"{testing.API}/threads/{self.bob_member.id}/messages"
        self.assertEqual(testing.post_json(bob.client, bob_url, {"text": "hi"}).status_code, 201)

    def test_it_limits_a_counselors_messages(self) -> None:
        client = self.counselor_client()
        base = f"{testing.COUNSELOR_API}/groups/{self.group.id}/members"
        for member in (self.alice_member, self.bob_member):
            sent = testing.post_json(client, f"{base}/{member.id}/messages", {"text": "hello"})
            self.assertEqual(sent.status_code, 201)
        refused = testing.post_json(
            client, f"{base}/{self.alice_member.id}/messages", {"text": "again"}
        )
        self.assertEqual(refused.status_code, 429)
        self.assertEqual(refused.json()["code"], "rate_limited")
        self.assertEqual(Message.objects.count(), 2)

    def test_the_survivors_page_says_to_wait(self) -> None:
        alice = self.browser_for(self.alice)
        url = f"/find-others/messages/{self.alice_member.id}/"
        for n in range(2):
            self.assertEqual(alice.client.post(url, {"text": f"message {n}"}).status_code, 302)
        refused = alice.client.post(url, {"text": "one too many"})
        self.assertContains(refused, "Please wait a while.", status_code=429)
        self.assertEqual(Message.objects.count(), 2)

    def test_the_counselors_page_says_to_wait(self) -> None:
        client = self.counselor_client()
        url = f"/counselor/groups/{self.group.id}/members/{self.alice_member.id}/"
        for n in range(2):
            self.assertEqual(client.post(url, {"text": f"message {n}"}).status_code, 302)
        refused = client.post(url, {"text": "one too many"})
        self.assertContains(refused, "Please wait a while.", status_code=429)
        self.assertEqual(Message.objects.count(), 2)
