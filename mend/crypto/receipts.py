"""Signed receipts: the server's Ed25519 statement that it stored a ciphertext at a time.

Signed message (every field length-framed, so no two receipts share a message):
    lp("mend-receipt-v1") | lp(object_id, UTF-8) | version:u32 | lp(SHA-256(ciphertext))
    | lp(received_at as "YYYY-MM-DDTHH:MM:SS.ffffffZ", UTC)

JSON file (one object, exactly these keys, hex in lower case):
    {"type": "mend-receipt-v1", "object_id": ..., "version": ..., "ciphertext_sha256": ...,
     "received_at": ..., "public_key": ..., "signature": ...}

Guarantees: a receipt that verifies under Mend's published public key proves that the holder
of the signing key issued it for exactly that object, version, ciphertext hash and time.
Not protected: that the time was true (the server's clock is trusted), or anything about the
plaintext; the receipt names a ciphertext, which only its owner can open.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

import pysodium

from mend.crypto import labels
from mend.crypto.encoding import from_hex, i2osp, lp
from mend.crypto.errors import CryptoError, ReceiptError

SEED_BYTES: Final = 32
PUBLIC_KEY_BYTES: Final = 32
SIGNATURE_BYTES: Final = 64
_TIME_FORMAT: Final = "%Y-%m-%dT%H:%M:%S.%fZ"
_TIME_SHAPE: Final = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
_FIELDS: Final = (
    "type",
    "object_id",
    "version",
    "ciphertext_sha256",
    "received_at",
    "public_key",
    "signature",
)


@dataclass(frozen=True)
class Receipt:
    object_id: str
    version: int
    ciphertext_sha256: bytes
    received_at: datetime
    public_key: bytes
    signature: bytes


def format_time(moment: datetime) -> str:
    """The one canonical text of an aware datetime, in UTC with microseconds."""
    if moment.tzinfo is None:
        raise ReceiptError("received_at must carry a time zone")
    return moment.astimezone(UTC).strftime(_TIME_FORMAT)


def parse_time(text: str) -> datetime:
    """Parse `format_time` output; any other spelling of a time is an error."""
    if not _TIME_SHAPE.fullmatch(text):
        raise ReceiptError("received_at must look like 2025-01-31T09:30:00.000000Z")
    try:
        return datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError as error:
        raise ReceiptError(f"received_at is not a real time: {error}") from error


def receipt_message(
    object_id: str, version: int, ciphertext_sha256: bytes, received_at: datetime
) -> bytes:
    """The exact bytes that are signed."""
    encoded_id = object_id.encode("utf-8")
    if not 1 <= len(encoded_id) <= 255:
        raise ReceiptError("object id must be 1 to 255 bytes of UTF-8")
    if not 0 <= version < 2**32:
        raise ReceiptError("version must fit in 32 bits")
    if len(ciphertext_sha256) != 32:
        raise ReceiptError("the ciphertext hash must be 32 bytes")
    return (
        lp(labels.RECEIPT_DOMAIN.encode("ascii"))
        + lp(encoded_id)
        + i2osp(version, 4)
        + lp(ciphertext_sha256)
        + lp(format_time(received_at).encode("ascii"))
    )


def public_key_for(signing_seed: bytes) -> bytes:
    """The Ed25519 public key to publish for a 32-byte signing seed."""
    return bytes(pysodium.crypto_sign_seed_keypair(_check_seed(signing_seed))[0])


def sign_receipt(
    signing_seed: bytes, object_id: str, version: int, ciphertext: bytes, received_at: datetime
) -> Receipt:
    """Issue a receipt for a stored ciphertext (Ed25519 is deterministic: no randomness)."""
    public, secret = pysodium.crypto_sign_seed_keypair(_check_seed(signing_seed))
    digest = hashlib.sha256(ciphertext).digest()
    message = receipt_message(object_id, version, digest, received_at)
    signature = bytes(pysodium.crypto_sign_detached(message, secret))
    return Receipt(object_id, version, digest, received_at, bytes(public), signature)


def verify_receipt(receipt: Receipt, public_key: bytes) -> None:
    """Raise ReceiptError unless `public_key` signed exactly this receipt."""
    if len(public_key) != PUBLIC_KEY_BYTES:
        raise ReceiptError(f"public key must be {PUBLIC_KEY_BYTES} bytes")
    if receipt.public_key != public_key:
        raise ReceiptError("the receipt names a different public key")
    message = receipt_message(
        receipt.object_id, receipt.version, receipt.ciphertext_sha256, receipt.received_at
    )
    try:
        pysodium.crypto_sign_verify_detached(receipt.signature, message, public_key)
    except ValueError as error:
        raise ReceiptError("the signature does not match this receipt and key") from error


def check_ciphertext(receipt: Receipt, ciphertext: bytes) -> None:
    """Raise ReceiptError unless the receipt names exactly this ciphertext."""
    if hashlib.sha256(ciphertext).digest() != receipt.ciphertext_sha256:
        raise ReceiptError("the ciphertext is not the one this receipt names")


def to_json(receipt: Receipt) -> str:
    """The receipt file, pretty-printed with a fixed key order."""
    data = {
        "type": labels.RECEIPT_DOMAIN,
        "object_id": receipt.object_id,
        "version": receipt.version,
        "ciphertext_sha256": receipt.ciphertext_sha256.hex(),
        "received_at": format_time(receipt.received_at),
        "public_key": receipt.public_key.hex(),
        "signature": receipt.signature.hex(),
    }
    return json.dumps(data, indent=2) + "\n"


def from_json(text: str) -> Receipt:
    """Strictly parse a receipt file; anything unexpected is a ReceiptError."""
    try:
        data: Any = json.loads(text)
    except ValueError as error:
        raise ReceiptError(f"the receipt is not valid JSON: {error}") from error
    if not isinstance(data, dict) or sorted(data) != sorted(_FIELDS):
        raise ReceiptError(f"a receipt has exactly these fields: {', '.join(_FIELDS)}")
    if data["type"] != labels.RECEIPT_DOMAIN:
        raise ReceiptError(f"unknown receipt type {data['type']!r}")
    if not isinstance(data["object_id"], str) or type(data["version"]) is not int:
        raise ReceiptError("object_id must be a string and version an integer")
    texts = [data[k] for k in ("ciphertext_sha256", "received_at", "public_key", "signature")]
    if not all(isinstance(t, str) for t in texts):
        raise ReceiptError("hashes, keys, signatures and times must be strings")
    try:
        return Receipt(
            object_id=data["object_id"],
            version=data["version"],
            ciphertext_sha256=from_hex(data["ciphertext_sha256"], 32, "ciphertext_sha256"),
            received_at=parse_time(data["received_at"]),
            public_key=from_hex(data["public_key"], PUBLIC_KEY_BYTES, "public_key"),
            signature=from_hex(data["signature"], SIGNATURE_BYTES, "signature"),
        )
    except CryptoError as error:
        raise ReceiptError(str(error)) from error


def _check_seed(seed: bytes) -> bytes:
    if len(seed) != SEED_BYTES:
        raise ReceiptError(f"the signing seed must be {SEED_BYTES} bytes")
    return seed
