"""Messages between a counselor and a matched survivor, encrypted at rest.

Scheme (ADR 0005): XChaCha20-Poly1305 envelopes under a key derived from the secret
ESCROW_SERVER_KEY, bound to the message id. This protects the messages in a copy of the
database or a backup without the secret. It does NOT protect them from the running server
(which holds the key): unlike entries, messages are not end-to-end encrypted, and the
pages say so ("do not write anything here you would not tell a counselor by phone").

The associated data names PURPOSE_ESCROW_MESSAGE and the message id, so a message opens
only as that message: not as another message, and nothing sealed for another purpose
(an entry, a share) opens as a message.
"""

from __future__ import annotations

from uuid import UUID

from mend.crypto import envelope, labels
from mend.escrow import keys

MAX_MESSAGE_CHARS = 4000


def _context(message_id: UUID) -> envelope.Context:
    return envelope.Context(labels.PURPOSE_ESCROW_MESSAGE, str(message_id), 1)


def seal_message(message_id: UUID, text: str) -> bytes:
    return envelope.encrypt(keys.message_key(), text.encode("utf-8"), _context(message_id))


def open_message(message_id: UUID, ciphertext: bytes) -> str:
    return envelope.decrypt(keys.message_key(), ciphertext, _context(message_id)).decode("utf-8")
