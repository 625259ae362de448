"""Unambiguous byte encodings shared by every construction in mend.crypto.

Guarantee: `lp()` is injective over sequences of fields (each field carries its length), so two
different field lists never encode to the same bytes. The JS twin is static/js/crypto/bytes.js.
"""

from __future__ import annotations

import re

from mend.crypto.errors import CryptoError

_HEX = re.compile(r"[0-9a-f]*")


def i2osp(value: int, length: int) -> bytes:
    """Big-endian encoding of a non-negative integer in exactly `length` bytes (RFC 8017)."""
    if value < 0 or value >= 1 << (8 * length):
        raise CryptoError(f"integer {value} does not fit in {length} bytes")
    return value.to_bytes(length, "big")


def lp(data: bytes) -> bytes:
    """Length-prefixed field: two bytes of length (big-endian), then the bytes (RFC 9497 style)."""
    return i2osp(len(data), 2) + data


def from_hex(text: str, length: int | None = None, what: str = "value") -> bytes:
    """Decode lower-case hex, optionally of an exact byte length; anything else is an error."""
    if not _HEX.fullmatch(text) or len(text) % 2:
        raise CryptoError(f"{what} must be lower-case hexadecimal")
    data = bytes.fromhex(text)
    if length is not None and len(data) != length:
        raise CryptoError(f"{what} must be {length} bytes, got {len(data)}")
    return data
