"""One-time codes handed from one person to another (escrow and training invitations).

A code is 20 characters from a 32-letter alphabet without look-alikes (0/O, 1/I): 100
random bits, read aloud or typed from paper without confusion. Only a keyed hash of a code
is stored (``keyed_hash``, HMAC-SHA-256), so a copy of the database gives no usable code,
and a short code (a six-digit mail code) cannot be found by hashing every candidate.

Each app hashes under a key of its own derived from SECRET_KEY (``secret_keyed_hash``, a
label per app), so it needs no secret of its own and production already refuses to start
without SECRET_KEY; rotating SECRET_KEY makes outstanding codes unusable (issue new ones).

Guarantees: ``normalise`` makes the typed forms of one code ("abcd-efgh …", lower case,
spaces, dashes) hash alike. Not protected: whoever holds the hashing key can test guesses.

This module imports no app of Mend (mend/tests/test_import_layers.py).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
LENGTH = 20  # 20 characters of 32: 100 bits


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(code: str) -> str:
    """The code as stored: upper case, letters and digits only."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def keyed_hash(key: bytes, code: str) -> str:
    """HMAC-SHA-256 of the code under ``key``, as 64 hex characters."""
    return hmac.new(key, code.encode("utf-8"), hashlib.sha256).hexdigest()


def secret_keyed_hash(label: bytes, code: str) -> str:
    """``keyed_hash`` of the normalised code, under the key SECRET_KEY gives ``label``."""
    key = hmac.new(settings.SECRET_KEY.encode(), label, hashlib.sha256).digest()
    return keyed_hash(key, normalise(code))
