"""Escrow secrets from an OPRF output (ARCHITECTURE 9.3-9.4) and the sealed share payload.

From the VOPRF output O on "mend-escrow-v1|" + identifier, everyone who names the same person
derives the same matching index pi, secret s and coefficients a_1..a_(t-1); each survivor
contributes the point (x_u, f(x_u)) where x_u comes from her random escrow id.

Guarantees:
- pi, s, each a_i, K(s) and x_u come from HKDF-SHA-512 with distinct labels, so learning pi
  (the server does) says nothing about s or K(s).
- The same survivor naming the same person twice produces the same point, so she can never
  make a match (t distinct points) on her own.
- x_u is never 0 (the point at 0 would be the secret itself).

Not protected: anyone who can evaluate the OPRF on a guessed identifier derives the same
secrets; that is why evaluation is rate-limited and restricted to verified survivors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from mend.crypto import group, labels, shamir
from mend.crypto.errors import CryptoError, ShareError, UnsupportedVersionError
from mend.crypto.kdf import derive_key, derive_scalar

MATCH_INDEX_BYTES: Final = 32
ESCROW_ID_MIN_BYTES: Final = 16
PAYLOAD_VERSION: Final = 0x01
#: version | x | y, then c (the wrapped entry key) to the end.
_PAYLOAD_HEAD: Final = 1 + 2 * group.SCALAR_BYTES


@dataclass(frozen=True)
class EscrowSecrets:
    """What one identifier yields: pi is public (stored, indexed); the rest is secret."""

    match_index: bytes
    secret: bytes
    coefficients: tuple[bytes, ...]

    def share_for(self, x: bytes) -> bytes:
        """y = s + sum(a_i * x^i) mod L."""
        return shamir.share_at(self.secret, self.coefficients, x)


def derive_escrow_secrets(oprf_output: bytes, threshold: int) -> EscrowSecrets:
    """pi, s and a_1..a_(threshold-1) from the 64-byte VOPRF output."""
    if len(oprf_output) != 64:
        raise CryptoError("the OPRF output must be 64 bytes")
    if threshold < 2:
        raise ShareError("the threshold must be at least 2")
    coefficients = tuple(
        derive_scalar(oprf_output, labels.escrow_coefficient_label(i)) for i in range(1, threshold)
    )
    return EscrowSecrets(
        match_index=derive_key(oprf_output, labels.ESCROW_MATCH_INDEX, MATCH_INDEX_BYTES),
        secret=derive_scalar(oprf_output, labels.ESCROW_SECRET),
        coefficients=coefficients,
    )


def entry_wrap_key(secret: bytes) -> bytes:
    """K(s): the key that wraps each entry key k_e; derived again by the counselor."""
    return derive_key(group.scalar(secret, "secret"), labels.ESCROW_ENTRY_WRAP_KEY)


def x_coordinate(escrow_id: bytes) -> bytes:
    """x_u from the survivor's random per-account escrow id (at least 16 bytes)."""
    if len(escrow_id) < ESCROW_ID_MIN_BYTES:
        raise CryptoError(f"escrow id must be at least {ESCROW_ID_MIN_BYTES} bytes")
    x = derive_scalar(escrow_id, labels.ESCROW_X_COORDINATE)
    if x == group.ZERO:  # probability 2^-252; refusing is safer than sharing the secret
        raise CryptoError("this escrow id gives x = 0; choose another")
    return x


def encode_share_payload(share: shamir.Share, wrapped_entry_key: bytes) -> bytes:
    """The plaintext sealed to each counselor key: version | x_u | y | c."""
    group.scalar(share.x, "x-coordinate", nonzero=True)
    group.scalar(share.y, "share value")
    return bytes([PAYLOAD_VERSION]) + share.x + share.y + wrapped_entry_key


def decode_share_payload(payload: bytes) -> tuple[shamir.Share, bytes]:
    """Parse `encode_share_payload` output back into (share, c), checking both scalars."""
    if len(payload) <= _PAYLOAD_HEAD:
        raise ShareError("share payload is truncated")
    if payload[0] != PAYLOAD_VERSION:
        raise UnsupportedVersionError(f"unknown share payload version {payload[0]}")
    x = group.scalar(payload[1:33], "x-coordinate", nonzero=True)
    y = group.scalar(payload[33:65], "share value")
    return shamir.Share(x, y), payload[_PAYLOAD_HEAD:]
