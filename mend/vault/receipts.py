"""The server's side of receipts: its signing key, its public key, and issuing receipts.

The signing seed comes from RECEIPT_SIGNING_KEY (or RECEIPT_SIGNING_KEY_FILE); production
refuses to start without one (mend.lib.env) or with the development value (mend.checks).
The public key is published at /api/v1/receipts/public-key and on the receipt-checking page.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import cache

from django.conf import settings

from mend.crypto import receipts
from mend.crypto.receipts import Receipt
from mend.lib.env import hex_key
from mend.vault.models import Receipted


def signing_seed() -> bytes:
    """The seed; ImproperlyConfigured when the setting is not 64 hexadecimal characters."""
    return hex_key("RECEIPT_SIGNING_KEY", settings.RECEIPT_SIGNING_KEY)


@cache
def _public_key_for(seed_hex: str) -> bytes:
    return receipts.public_key_for(hex_key("RECEIPT_SIGNING_KEY", seed_hex))


def public_key() -> bytes:
    return _public_key_for(settings.RECEIPT_SIGNING_KEY)


def sign(object_id: str, version: int, ciphertext: bytes, received_at: datetime) -> Receipt:
    return receipts.sign_receipt(signing_seed(), object_id, version, ciphertext, received_at)


def receipt_of(stored: Receipted, object_id: str, version: int) -> Receipt:
    """The receipt issued when `stored` was received, rebuilt from what was kept."""
    return Receipt(
        object_id=object_id,
        version=version,
        ciphertext_sha256=hashlib.sha256(bytes(stored.ciphertext)).digest(),
        received_at=stored.received_at,
        public_key=bytes(stored.signer),
        signature=bytes(stored.signature),
    )
