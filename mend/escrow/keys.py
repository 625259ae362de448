"""The server's escrow secrets, read from settings (ESCROW_OPRF_SEED, ESCROW_SERVER_KEY),
and the operator's public key that roots counselor-key endorsements.

Guarantees: the VOPRF key pair is RFC 9497 DeriveKeyPair of the 32-byte seed with the info
label mend.crypto.labels.ESCROW_OPRF_KEY_INFO, so the same seed always gives the same key
and the published public key; the seed is never logged or sent. The address-hash key and
the message key are HMAC-SHA-256 of ESCROW_SERVER_KEY under distinct labels.

Not protected: whoever holds the seed can evaluate the OPRF without limits, which lets them
test guessed identifiers against stored pi values (docs/escrow.md).
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from typing import Final

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from mend.crypto import labels, oprf
from mend.lib import codes
from mend.lib.env import hex_key

ADDRESS_HASH_LABEL: Final = b"mend-escrow-v1/address-hash"
MESSAGE_KEY_LABEL: Final = b"mend-escrow-v1/message-key"
CODE_HASH_LABEL: Final = b"mend-escrow-v1/code-hash"


@lru_cache(maxsize=4)
def _key_pair(seed_hex: str) -> oprf.KeyPair:
    seed = hex_key("ESCROW_OPRF_SEED", seed_hex)
    return oprf.derive_key_pair(seed, labels.ESCROW_OPRF_KEY_INFO.encode(), oprf.Mode.VOPRF)


def oprf_key_pair() -> oprf.KeyPair:
    return _key_pair(settings.ESCROW_OPRF_SEED)


def oprf_public_key() -> bytes:
    return oprf_key_pair().public_key


def _server_key(label: bytes) -> bytes:
    key = hex_key("ESCROW_SERVER_KEY", settings.ESCROW_SERVER_KEY)
    return hmac.new(key, label, hashlib.sha256).digest()


def address_hash(canonical_address: str) -> str:
    """The keyed hash that stands for a verified address (the address itself is dropped)."""
    return hmac.new(
        _server_key(ADDRESS_HASH_LABEL), canonical_address.encode("utf-8"), hashlib.sha256
    ).hexdigest()


def message_key() -> bytes:
    return _server_key(MESSAGE_KEY_LABEL)


def code_hash(code: str) -> str:
    """A keyed hash of a one-time code: a six-digit mail code is too short for a plain hash."""
    return codes.keyed_hash(_server_key(CODE_HASH_LABEL), code)


def operator_public_key() -> bytes:
    """The operator's Ed25519 public key, the root of every counselor-key endorsement."""
    return hex_key("ESCROW_OPERATOR_PUBLIC_KEY", settings.ESCROW_OPERATOR_PUBLIC_KEY)


def secret_problems(*, production: bool) -> list[str]:
    """What is wrong with the escrow secrets and the operator key (read by mend.checks)."""
    problems: list[str] = []
    try:
        operator_public_key()
    except ImproperlyConfigured as error:
        problems.append(str(error) + ": no counselor key could ever be endorsed.")
    if (
        production
        and settings.ESCROW_OPERATOR_PUBLIC_KEY == settings.DEV_ESCROW_OPERATOR_PUBLIC_KEY
    ):
        problems.append("ESCROW_OPERATOR_PUBLIC_KEY must not be the development key in production.")
    for name, dev_value in (
        ("ESCROW_OPRF_SEED", settings.DEV_ESCROW_OPRF_SEED),
        ("ESCROW_SERVER_KEY", settings.DEV_ESCROW_SERVER_KEY),
    ):
        value = getattr(settings, name)
        try:
            hex_key(name, value)
        except ImproperlyConfigured as error:
            problems.append(str(error) + ".")
        if production and value == dev_value:
            problems.append(f"{name} must not be the development value in production.")
    return problems
