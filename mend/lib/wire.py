"""How bytes travel in Mend's JSON: base64 (standard alphabet, padded) and lower-case hex.

Strict on input: anything that is not exactly the expected encoding and length is refused,
so a malformed value never reaches the database. A request body declares its byte fields
with a type, not with length checks in the view::

    class TagIn(Strict):
        match_index: Annotated[bytes, Base64Of(32, exactly=True)]   # bytes in the view

A value that does not fit is refused by validation (422 naming the field, through the
API's one handler, mend.lib.refusal); ``Strict`` bodies refuse unknown fields too.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Annotated, Any, Final

from ninja import Schema
from pydantic import ConfigDict, GetCoreSchemaHandler, StringConstraints
from pydantic_core import CoreSchema, core_schema

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


class Strict(Schema):
    """A request body that refuses any field it does not declare (never silently ignored)."""

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class Base64Of:
    """``Annotated[bytes, Base64Of(n)]``: base64 in the JSON, at most `n` bytes in Python
    (exactly `n` with ``exactly``; a Mend envelope's outside checked with ``envelope``)."""

    max_bytes: int
    exactly: bool = False
    envelope: bool = False

    def decode(self, text: str) -> bytes:
        data = unb64(text, "the value", max_bytes=self.max_bytes)
        if self.exactly and len(data) != self.max_bytes:
            raise WireError(f"the value must be {self.max_bytes} bytes")
        return envelope_bytes(data, "the value") if self.envelope else data

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        # Checked as a string first (so the OpenAPI document says base64 and its length),
        # then decoded; WireError is a ValueError, which pydantic reports as invalid.
        text = core_schema.str_schema(
            pattern=f"^{_BASE64.pattern}$", max_length=4 * (self.max_bytes // 3 + 1)
        )
        return core_schema.no_info_after_validator_function(self.decode, text)


#: A 32-byte key wrapped in one envelope (the browser's record and entry keys).
WrappedKey = Annotated[bytes, Base64Of(WRAPPED_KEY_BYTES, exactly=True, envelope=True)]
#: A 32-byte public key or group element.
Bytes32 = Annotated[bytes, Base64Of(32, exactly=True)]
