"""Messages between a counselor and a matched survivor: sealed at rest under their own purpose."""

from __future__ import annotations

import uuid

from mend.crypto import envelope, labels
from mend.crypto.errors import CryptoError
from mend.escrow import keys
from mend.escrow.messages import open_message, seal_message
from mend.escrow.tests.base import EscrowTestCase


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
