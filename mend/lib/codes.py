"""One-time codes handed from one person to another (escrow and training invitations).

A code is 20 characters from a 32-letter alphabet without look-alikes (0/O, 1/I): 100
random bits, read aloud or typed from paper without confusion. Only a keyed hash of a code
is stored (``keyed_hash``, HMAC-SHA-256), so a copy of the database gives no usable code,
and a short code (a six-digit mail code) cannot be found by hashing every candidate.

Guarantees: ``normalise`` makes the typed forms of one code ("abcd-efgh …", lower case,
spaces, dashes) hash alike. Not protected: whoever holds the hashing key can test guesses.

This module imports no app of Mend (mend/tests/test_import_layers.py).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

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
