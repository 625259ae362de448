"""Versioned envelopes: XChaCha20-Poly1305 with bound context, key wrapping, sealed boxes.

Formats (all byte strings; the JS twin is static/js/crypto/envelope.js):
- context (associated data):  version:u8 | lp(purpose) | lp(object_id) | object_version:u32
- envelope:                   version:u8 (0x01) | nonce (24) | XChaCha20-Poly1305 ciphertext+tag
- sealed box:                 version:u8 (0x01) | crypto_box_seal(context | message)
  (lp = two-byte big-endian length, then the bytes.)

Guarantees:
- Confidentiality and integrity of the plaintext under a 256-bit key; nonces are random
  192-bit values, so random nonces never collide in practice.
- A ciphertext opens only with the same purpose, object id and object version it was sealed
  with: it cannot be swapped onto another record, another version, or another use.
- Any change to any byte, a truncation, a wrong key or an unknown version byte raises.
- Sealed boxes: only the holder of the X25519 secret key opens them; the sender is anonymous.

Not protected: lengths (ciphertext length = plaintext length + 41), and who stored what when.
Sealed boxes are not authenticated as coming from anyone in particular.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Final

import pysodium

from mend.crypto import labels
from mend.crypto.encoding import i2osp, lp
from mend.crypto.errors import CryptoError, DecryptionError, UnsupportedVersionError

VERSION: Final = 0x01
KEY_BYTES: Final = 32
NONCE_BYTES: Final = 24
TAG_BYTES: Final = 16
OVERHEAD: Final = 1 + NONCE_BYTES + TAG_BYTES
BOX_SEAL_OVERHEAD: Final = 48  # ephemeral public key + tag


@dataclass(frozen=True)
class Context:
    """What a ciphertext is for; bound to it as associated data."""

    purpose: str
    object_id: str
    object_version: int

    def __post_init__(self) -> None:
        if self.purpose not in labels.PURPOSES:
            raise CryptoError(f"unknown purpose {self.purpose!r}: add it to mend.crypto.labels")
        if not 1 <= len(self.object_id.encode("utf-8")) <= 255:
            raise CryptoError("object id must be 1 to 255 bytes of UTF-8")
        if not 0 <= self.object_version < 2**32:
            raise CryptoError("object version must fit in 32 bits")

    def encode(self) -> bytes:
        """The canonical associated data (injective: every field is length-framed)."""
        return (
            i2osp(VERSION, 1)
            + lp(self.purpose.encode("ascii"))
            + lp(self.object_id.encode("utf-8"))
            + i2osp(self.object_version, 4)
        )


def new_key() -> bytes:
    """A fresh random 256-bit key."""
    return bytes(pysodium.randombytes(KEY_BYTES))


def encrypt(key: bytes, plaintext: bytes, context: Context, *, nonce: bytes | None = None) -> bytes:
    """Encrypt and bind to `context`. `nonce` is injectable only for test vectors."""
    _check_key(key)
    if nonce is None:
        nonce = bytes(pysodium.randombytes(NONCE_BYTES))
    if len(nonce) != NONCE_BYTES:
        raise CryptoError(f"nonce must be {NONCE_BYTES} bytes")
    sealed = pysodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
        plaintext, context.encode(), nonce, key
    )
    return i2osp(VERSION, 1) + nonce + bytes(sealed)


def decrypt(key: bytes, envelope: bytes, context: Context) -> bytes:
    """Open an envelope made by `encrypt` with the same key and context, or raise."""
    _check_key(key)
    _check_version(envelope, OVERHEAD)
    nonce, body = envelope[1 : 1 + NONCE_BYTES], envelope[1 + NONCE_BYTES :]
    try:
        plain = pysodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
            body, context.encode(), nonce, key
        )
    except ValueError as error:
        raise DecryptionError("wrong key, wrong context, or the data was changed") from error
    return bytes(plain)


def wrap_key(
    wrapping_key: bytes, key: bytes, context: Context, *, nonce: bytes | None = None
) -> bytes:
    """Encrypt a 32-byte key under another key (an envelope whose plaintext is the key)."""
    _check_key(key)
    return encrypt(wrapping_key, key, context, nonce=nonce)


def unwrap_key(wrapping_key: bytes, wrapped: bytes, context: Context) -> bytes:
    """Open a wrapped key; raises unless it is exactly a 32-byte key."""
    key = decrypt(wrapping_key, wrapped, context)
    _check_key(key)
    return key


@dataclass(frozen=True)
class BoxKeyPair:
    """An X25519 key pair for sealed boxes (staff keys are made in the staff browser)."""

    public_key: bytes
    secret_key: bytes


def box_keypair(seed: bytes | None = None) -> BoxKeyPair:
    """A fresh key pair, or a deterministic one from a 32-byte seed."""
    if seed is None:
        public, secret = pysodium.crypto_box_keypair()
    else:
        public, secret = pysodium.crypto_box_seed_keypair(_check_key(seed))
    return BoxKeyPair(bytes(public), bytes(secret))


def seal(
    public_key: bytes, message: bytes, context: Context, *, ephemeral_seed: bytes | None = None
) -> bytes:
    """Anonymous public-key encryption to `public_key`, bound to `context`.

    `ephemeral_seed` exists only to reproduce test vectors: it builds libsodium's own sealed
    box format (ephemeral key, nonce = BLAKE2b-192(epk | pk)) from a fixed ephemeral key.
    """
    _check_key(public_key)
    plaintext = context.encode() + message
    try:
        if ephemeral_seed is None:
            body = bytes(pysodium.crypto_box_seal(plaintext, public_key))
        else:
            body = _seal_deterministic(public_key, plaintext, _check_key(ephemeral_seed))
    except ValueError as error:  # libsodium refuses low-order public keys
        raise CryptoError("the recipient public key cannot be used") from error
    return i2osp(VERSION, 1) + body


def open_sealed(keypair: BoxKeyPair, sealed: bytes, context: Context) -> bytes:
    """Open a sealed box with the recipient's key pair and check its context, or raise."""
    _check_version(sealed, 1 + BOX_SEAL_OVERHEAD)
    try:
        plaintext = bytes(
            pysodium.crypto_box_seal_open(sealed[1:], keypair.public_key, keypair.secret_key)
        )
    except ValueError as error:
        raise DecryptionError("not sealed to this key, or the data was changed") from error
    expected = context.encode()
    if not hmac.compare_digest(plaintext[: len(expected)], expected):
        raise DecryptionError("the sealed box was made for a different context")
    return plaintext[len(expected) :]


def _seal_deterministic(public_key: bytes, plaintext: bytes, seed: bytes) -> bytes:
    ephemeral = box_keypair(seed)
    nonce = pysodium.crypto_generichash(ephemeral.public_key + public_key, outlen=24)
    boxed = pysodium.crypto_box(plaintext, nonce, public_key, ephemeral.secret_key)
    return ephemeral.public_key + bytes(boxed)


def _check_key(key: bytes) -> bytes:
    if len(key) != KEY_BYTES:
        raise CryptoError(f"key must be {KEY_BYTES} bytes, got {len(key)}")
    return key


def _check_version(data: bytes, minimum: int) -> None:
    if len(data) < minimum:
        raise DecryptionError("ciphertext is truncated")
    if data[0] != VERSION:
        raise UnsupportedVersionError(f"unknown ciphertext version {data[0]}")
