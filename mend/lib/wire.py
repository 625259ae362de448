"""How bytes travel in Mend's JSON: base64 (standard alphabet, padded) and lower-case hex.

Strict on input: anything that is not exactly the expected encoding and length is refused,
so a malformed value never reaches the database.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Annotated, Final

from pydantic import StringConstraints

from mend.crypto import envelope

#: An envelope holding a 32-byte key: version, nonce, key, tag.
WRAPPED_KEY_BYTES: Final = envelope.OVERHEAD + envelope.KEY_BYTES

KeyHex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Base64 = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+/]*={0,2}$")]
_BASE64: Final = re.compile(r"[A-Za-z0-9+/]*={0,2}")


class WireError(ValueError):
    """A value is not in the expected encoding or has the wrong size."""


def b64(data: bytes | memoryview) -> str:
    return base64.b64encode(bytes(data)).decode("ascii")


def unb64(text: str, what: str, *, max_bytes: int) -> bytes:
    if len(text) > 4 * (max_bytes // 3 + 1) or not _BASE64.fullmatch(text):
        raise WireError(f"{what} must be base64 of at most {max_bytes} bytes")
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise WireError(f"{what} is not valid base64") from None
    if len(data) > max_bytes:
        raise WireError(f"{what} must be at most {max_bytes} bytes")
    return data


def envelope_bytes(data: bytes, what: str) -> bytes:
    """Check the outside of an envelope (the server cannot check more): version and size."""
    if len(data) < envelope.OVERHEAD or data[0] != envelope.VERSION:
        raise WireError(f"{what} is not a Mend envelope")
    return data


def wrapped_key(text: str, what: str) -> bytes:
    data = envelope_bytes(unb64(text, what, max_bytes=WRAPPED_KEY_BYTES), what)
    if len(data) != WRAPPED_KEY_BYTES:
        raise WireError(f"{what} must be a wrapped 32-byte key")
    return data
