"""The ristretto255 prime-order group (RFC 9496) and its scalar field, over libsodium.

Guarantees:
- `element()` accepts only the canonical encoding of a group element other than the identity.
  libsodium's crypto_core_ristretto255_is_valid_point accepts the identity (32 zero bytes), so
  we reject it explicitly: an identity input would make an OPRF evaluation independent of the
  server key. We also reject any encoding with bit 255 set (RFC 9496, section 4.3.1: such a
  string is not canonical): libsodium 1.0.18, the system library here, ignores that bit, while
  the browser's libsodium (1.0.19 and later) refuses it, so without our check the two sides
  would disagree and one element would have two accepted encodings.
- `scalar()` accepts only canonical scalars (little-endian, below the group order L).
- Arithmetic on secret scalars and points goes through libsodium (constant time); Python
  integers appear only for range checks and public values.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Final

import pysodium

from mend.crypto.encoding import i2osp
from mend.crypto.errors import CryptoError, InvalidElementError, InvalidScalarError

#: L, the order of the group and the modulus of the scalar field.
ORDER: Final = 2**252 + 27742317777372353535851937790883648493
ELEMENT_BYTES: Final = 32
SCALAR_BYTES: Final = 32
#: The encoding of the identity element (and of the scalar 0).
IDENTITY: Final = bytes(32)
ZERO: Final = bytes(32)
#: The canonical encoding of the generator (RFC 9496, section 4.4).
GENERATOR: Final = bytes.fromhex("e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76")

_HASH_BYTES: Final = 64  # SHA-512 output
_BLOCK_BYTES: Final = 128  # SHA-512 input block


def libsodium_version() -> str:
    """The version of the libsodium library in use (for benchmarks and diagnostics)."""
    return str(pysodium.sodium.sodium_version_string().decode())


def element(data: bytes, what: str = "element") -> bytes:
    """Return `data` if it is a canonical, non-identity ristretto255 element; else raise."""
    if len(data) != ELEMENT_BYTES:
        raise InvalidElementError(f"{what} must be {ELEMENT_BYTES} bytes, got {len(data)}")
    if data == IDENTITY:
        raise InvalidElementError(f"{what} is the identity element")
    if data[31] & 0x80:  # before libsodium, which ignores this bit in version 1.0.18
        raise InvalidElementError(f"{what} is not a canonical ristretto255 encoding (bit 255)")
    if not pysodium.crypto_core_ristretto255_is_valid_point(data):
        raise InvalidElementError(f"{what} is not a canonical ristretto255 encoding")
    return data


def scalar(data: bytes, what: str = "scalar", *, nonzero: bool = False) -> bytes:
    """Return `data` if it is a canonical scalar (and non-zero when asked); else raise."""
    if len(data) != SCALAR_BYTES:
        raise InvalidScalarError(f"{what} must be {SCALAR_BYTES} bytes, got {len(data)}")
    if int.from_bytes(data, "little") >= ORDER:
        raise InvalidScalarError(f"{what} is not below the group order (non-canonical)")
    if nonzero and is_zero(data):
        raise InvalidScalarError(f"{what} must not be zero")
    return data


def is_zero(data: bytes) -> bool:
    """Constant-time test for the zero scalar (or the identity), safe on secret values."""
    return hmac.compare_digest(data, ZERO)


def scalar_from_int(value: int) -> bytes:
    """The canonical encoding of an integer in [0, L)."""
    if not 0 <= value < ORDER:
        raise InvalidScalarError("integer is outside the scalar field")
    return value.to_bytes(SCALAR_BYTES, "little")


def random_scalar() -> bytes:
    """A uniformly random non-zero scalar from libsodium's CSPRNG."""
    return bytes(pysodium.crypto_core_ristretto255_scalar_random())


def reduce(wide: bytes) -> bytes:
    """Reduce 64 bytes (little-endian) modulo L; the bias is below 2^-250."""
    return bytes(pysodium.crypto_core_ristretto255_scalar_reduce(wide))


def scalar_add(a: bytes, b: bytes) -> bytes:
    return bytes(pysodium.crypto_core_ristretto255_scalar_add(a, b))


def scalar_sub(a: bytes, b: bytes) -> bytes:
    return bytes(pysodium.crypto_core_ristretto255_scalar_sub(a, b))


def scalar_mul(a: bytes, b: bytes) -> bytes:
    return bytes(pysodium.crypto_core_ristretto255_scalar_mul(a, b))


def scalar_invert(a: bytes) -> bytes:
    """1/a mod L for a non-zero scalar."""
    if is_zero(a):
        raise InvalidScalarError("zero has no inverse")
    return bytes(pysodium.crypto_core_ristretto255_scalar_invert(a))


def mul(k: bytes, point: bytes) -> bytes:
    """k * point for a canonical scalar and a valid element (the identity allowed).

    libsodium refuses to output the identity; in a prime-order group that happens exactly when
    k = 0 or the point is the identity, so we answer those cases ourselves.
    """
    if is_zero(k) or point == IDENTITY:
        return IDENTITY
    return bytes(pysodium.crypto_scalarmult_ristretto255(k, point))


def mul_base(k: bytes) -> bytes:
    """k * G for a canonical scalar (the generator's precomputed table makes this cheaper)."""
    if is_zero(k):
        return IDENTITY
    return bytes(pysodium.crypto_scalarmult_ristretto255_base(k))


def add(p: bytes, q: bytes) -> bytes:
    """p + q for valid elements (the identity allowed)."""
    return bytes(pysodium.crypto_core_ristretto255_add(p, q))


def expand_message_xmd(msg: bytes, dst: bytes, length: int) -> bytes:
    """expand_message_xmd with SHA-512 (RFC 9380, section 5.3.1)."""
    blocks = -(-length // _HASH_BYTES)
    if not 1 <= length <= 65535 or blocks > 255 or not 1 <= len(dst) <= 255:
        raise CryptoError("expand_message_xmd: output length or DST length out of range")
    dst_prime = dst + i2osp(len(dst), 1)
    b_0 = hashlib.sha512(
        bytes(_BLOCK_BYTES) + msg + i2osp(length, 2) + b"\x00" + dst_prime
    ).digest()
    b_i = hashlib.sha512(b_0 + b"\x01" + dst_prime).digest()
    out = b_i
    for i in range(2, blocks + 1):
        mixed = bytes(x ^ y for x, y in zip(b_0, b_i, strict=True))
        b_i = hashlib.sha512(mixed + i2osp(i, 1) + dst_prime).digest()
        out += b_i
    return out[:length]


def hash_to_group(msg: bytes, dst: bytes) -> bytes:
    """hash_to_ristretto255 (RFC 9380 / RFC 9496 one-way map over 64 uniform bytes)."""
    uniform = expand_message_xmd(msg, dst, _HASH_BYTES)
    return bytes(pysodium.crypto_core_ristretto255_from_hash(uniform))


def hash_to_scalar(msg: bytes, dst: bytes) -> bytes:
    """HashToScalar for ristretto255-SHA512 (RFC 9497, section 4.1)."""
    return reduce(expand_message_xmd(msg, dst, _HASH_BYTES))
