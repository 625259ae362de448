"""Key derivation: HKDF-SHA-512 with named labels, Argon2id with stored parameters, vault keys.

Guarantees:
- `derive_key` output for one label is independent of the output for any other label.
- `Argon2Params` travels beside what it protects (version, opslimit, memlimit, salt), so the
  cost can be raised later: `needs_upgrade()` says when to re-derive and rewrap.
- `derive_vault_keys` refuses parameters below the production floor, so a server that hands
  a browser weak parameters (to brute-force the passphrase from auth_key faster) is refused.
- Passphrases are NFC-normalised before hashing, so the same words typed on different
  keyboards give the same key.

Not protected: a weak passphrase. Argon2id only makes each guess expensive.
libsodium 1.0.18 (the Python side) lacks crypto_kdf_hkdf_sha512, so HKDF is RFC 5869 over
hashlib/hmac; the JS twin uses libsodium's HMAC-SHA-512. Shared vectors pin both.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from dataclasses import dataclass
from typing import Any, Final

import pysodium

from mend.crypto import group, labels
from mend.crypto.encoding import from_hex
from mend.crypto.errors import CryptoError, ParamsError

HASH_BYTES: Final = 64
KEY_BYTES: Final = 32
SALT_BYTES: Final = 16
SEED_BYTES: Final = 64
#: The only version of the parameter record so far.
PARAMS_VERSION: Final = 1
ALGORITHM: Final = "argon2id13"
#: Production cost: 3 passes over 64 MiB (OWASP's minimum for Argon2id is lower).
OPSLIMIT: Final = 3
MEMLIMIT: Final = 64 * 1024 * 1024
#: libsodium's hard limits for Argon2id.
_OPSLIMIT_MIN: Final = 1
_MEMLIMIT_MIN: Final = 8192
_MEMLIMIT_MAX: Final = 4 * 1024**3


def hkdf_extract(salt: bytes, ikm: bytes) -> bytes:
    """RFC 5869 HKDF-Extract with SHA-512 (an empty salt means 64 zero bytes)."""
    return hmac.new(salt or bytes(HASH_BYTES), ikm, hashlib.sha512).digest()


def hkdf_expand(prk: bytes, info: bytes, length: int) -> bytes:
    """RFC 5869 HKDF-Expand with SHA-512."""
    if not 1 <= length <= 255 * HASH_BYTES:
        raise CryptoError("HKDF output length out of range")
    out = block = b""
    counter = 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha512).digest()
        out += block
        counter += 1
    return out[:length]


def derive_key(ikm: bytes, label: str, length: int = KEY_BYTES) -> bytes:
    """HKDF-SHA-512(salt = empty, IKM = ikm, info = label) for a label from mend.crypto.labels.

    Only a registered label, exactly (labels.is_hkdf_label): a label that merely starts with
    a registered one is refused.
    """
    if not labels.is_hkdf_label(label):
        raise CryptoError(f"unknown HKDF label {label!r}: add it to mend.crypto.labels")
    return hkdf_expand(hkdf_extract(b"", ikm), label.encode("ascii"), length)


def derive_scalar(ikm: bytes, label: str) -> bytes:
    """A scalar from 64 HKDF bytes reduced modulo L (bias below 2^-250)."""
    return group.reduce(derive_key(ikm, label, 64))


@dataclass(frozen=True)
class Argon2Params:
    """Argon2id parameters stored beside the result they protect."""

    opslimit: int
    memlimit: int
    salt: bytes
    version: int = PARAMS_VERSION

    def __post_init__(self) -> None:
        if self.version != PARAMS_VERSION:
            raise ParamsError(f"unknown KDF parameter version {self.version}")
        if not _OPSLIMIT_MIN <= self.opslimit <= 2**32 - 1:
            raise ParamsError("opslimit out of range")
        if not _MEMLIMIT_MIN <= self.memlimit <= _MEMLIMIT_MAX or self.memlimit % 1024:
            raise ParamsError("memlimit must be a whole number of KiB between 8 KiB and 4 GiB")
        if len(self.salt) != SALT_BYTES:
            raise ParamsError(f"salt must be {SALT_BYTES} bytes")

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready record (also what the JS twin reads)."""
        return {
            "v": self.version,
            "alg": ALGORITHM,
            "opslimit": self.opslimit,
            "memlimit": self.memlimit,
            "salt": self.salt.hex(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Argon2Params:
        """Strictly parse `to_dict()` output; unknown fields or types are an error."""
        if set(data) != {"v", "alg", "opslimit", "memlimit", "salt"}:
            raise ParamsError("KDF parameters must have exactly v, alg, opslimit, memlimit, salt")
        if data["alg"] != ALGORITHM:
            raise ParamsError(f"unknown KDF algorithm {data['alg']!r}")
        numbers = (data["v"], data["opslimit"], data["memlimit"])
        if not all(type(n) is int for n in numbers) or not isinstance(data["salt"], str):
            raise ParamsError("KDF parameters have the wrong types")
        try:
            salt = from_hex(data["salt"], SALT_BYTES, "salt")
        except CryptoError as error:
            raise ParamsError(str(error)) from error
        return cls(data["opslimit"], data["memlimit"], salt, data["v"])


def new_params(opslimit: int = OPSLIMIT, memlimit: int = MEMLIMIT) -> Argon2Params:
    """Fresh parameters with a random salt, at production cost unless told otherwise."""
    return Argon2Params(opslimit, memlimit, bytes(pysodium.randombytes(SALT_BYTES)))


def needs_upgrade(params: Argon2Params) -> bool:
    """True if these parameters are cheaper than today's production cost."""
    return params.opslimit < OPSLIMIT or params.memlimit < MEMLIMIT


def argon2id(passphrase: str, params: Argon2Params, length: int = SEED_BYTES) -> bytes:
    """Argon2id (v1.3) of the NFC-normalised UTF-8 passphrase."""
    if not passphrase:
        raise ParamsError("the passphrase is empty")
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    return bytes(
        pysodium.crypto_pwhash(
            length,
            secret,
            params.salt,
            params.opslimit,
            params.memlimit,
            pysodium.crypto_pwhash_ALG_ARGON2ID13,
        )
    )


@dataclass(frozen=True)
class VaultKeys:
    """auth_key goes to the server (which stores only a hash); enc_key never leaves."""

    auth_key: bytes
    enc_key: bytes


def derive_vault_keys(passphrase: str, params: Argon2Params) -> VaultKeys:
    """seed = Argon2id(passphrase, params); auth_key and enc_key from seed with distinct labels.

    Refuses parameters below the production floor (see the module docstring).
    """
    if needs_upgrade(params):
        raise ParamsError("KDF parameters are weaker than the minimum this version accepts")
    seed = argon2id(passphrase, params)
    return VaultKeys(
        derive_key(seed, labels.VAULT_AUTH_KEY), derive_key(seed, labels.VAULT_ENC_KEY)
    )


def decoy_params(server_secret: bytes, username: str) -> Argon2Params:
    """Stable production parameters for a username that does not exist.

    The salt is an HMAC of the username under a server secret, so repeated probes see the same
    answer as for a real account and cannot tell the two apart.
    """
    if len(server_secret) < KEY_BYTES:
        raise ParamsError("the decoy secret must be at least 32 bytes")
    prk = hkdf_extract(server_secret, username.encode("utf-8"))
    salt = hkdf_expand(prk, labels.VAULT_DECOY_SALT.encode("ascii"), SALT_BYTES)
    return Argon2Params(OPSLIMIT, MEMLIMIT, salt)
