"""Counselor-key endorsements: who vouches that a public key belongs to a counselor.

Each counselor key (an X25519 key pair made in her browser, ADR 0005) has an Ed25519 signing
key derived from its secret half:
    signing_seed = BLAKE2b-256(key = X25519 secret key, message = COUNSELOR_SIGNING_SEED)
so nothing more is stored or wrapped, and only the holder of the secret key can sign.

An endorsement is an Ed25519 signature over (every field length-framed, as receipts are):
    lp("mend-counselor-key-v1") | lp(key id, 16 bytes) | lp(owner account id, 16 bytes)
    | lp(X25519 public key) | lp(Ed25519 signing public key)
made either by an endorsed key of another counselor or, for the first key, by the operator's
offline key (its public key is configured as ESCROW_OPERATOR_PUBLIC_KEY).

Guarantees: `trusted_keys` accepts a key only if a chain of valid endorsements leads from
the operator's public key to it, each link made by a key of a different account; the server,
a web admin or anyone who can write the database cannot add a key to that set without the
operator's secret seed or the secret key of an endorsed counselor. The JS twin is
static/js/crypto/endorsement.js; tests/vectors/endorsement.json pins both.
Not protected: an endorsed counselor who vouches for the wrong person, and an operator
whose seed leaks; nor that a key is still in use (retiring is the server's word).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final
from uuid import UUID

import pysodium

from mend.crypto import labels
from mend.crypto.encoding import lp
from mend.crypto.errors import EndorsementError

KEY_BYTES: Final = 32
SIGNATURE_BYTES: Final = 64


@dataclass(frozen=True)
class KeyRecord:
    """What a browser is told about one counselor key, endorsement included."""

    key_id: UUID
    owner_id: UUID
    public_key: bytes
    signing_public_key: bytes
    endorsed_by: UUID | None  # None: the operator
    signature: bytes


def _check(value: bytes, length: int, what: str) -> bytes:
    if len(value) != length:
        raise EndorsementError(f"{what} must be {length} bytes")
    return value


def endorsement_message(
    key_id: UUID, owner_id: UUID, public_key: bytes, signing_public_key: bytes
) -> bytes:
    """The exact bytes an endorser signs."""
    return (
        lp(labels.ENDORSEMENT_DOMAIN.encode("ascii"))
        + lp(key_id.bytes)
        + lp(owner_id.bytes)
        + lp(_check(public_key, KEY_BYTES, "the public key"))
        + lp(_check(signing_public_key, KEY_BYTES, "the signing public key"))
    )


def signing_seed(box_secret_key: bytes) -> bytes:
    """The Ed25519 seed of a counselor key, from its X25519 secret key."""
    key = _check(box_secret_key, KEY_BYTES, "the secret key")
    message = labels.COUNSELOR_SIGNING_SEED.encode("ascii")
    return bytes(pysodium.crypto_generichash(message, key, KEY_BYTES))


def signing_public_key(seed: bytes) -> bytes:
    """The Ed25519 public key of a 32-byte seed (a counselor's or the operator's)."""
    return bytes(pysodium.crypto_sign_seed_keypair(_check(seed, KEY_BYTES, "the seed"))[0])


def sign_endorsement(
    seed: bytes, key_id: UUID, owner_id: UUID, public_key: bytes, signing_public_key: bytes
) -> bytes:
    """Endorse a key with the endorser's seed (Ed25519 is deterministic)."""
    _, secret = pysodium.crypto_sign_seed_keypair(_check(seed, KEY_BYTES, "the seed"))
    message = endorsement_message(key_id, owner_id, public_key, signing_public_key)
    return bytes(pysodium.crypto_sign_detached(message, secret))


def verify_endorsement(record: KeyRecord, endorser_public_key: bytes) -> None:
    """Raise EndorsementError unless `endorser_public_key` signed exactly this record."""
    message = endorsement_message(
        record.key_id, record.owner_id, record.public_key, record.signing_public_key
    )
    _check(endorser_public_key, KEY_BYTES, "the endorser's key")
    try:
        _check(record.signature, SIGNATURE_BYTES, "the signature")
        pysodium.crypto_sign_verify_detached(record.signature, message, endorser_public_key)
    except (ValueError, EndorsementError) as error:
        raise EndorsementError("the endorsement does not verify") from error


def fingerprint(public_key: bytes, signing_public_key: bytes) -> str:
    """What people compare aloud before vouching for a key: the first 16 bytes of SHA-256
    over both public keys, in hex groups of four."""
    digest = hashlib.sha256(public_key + signing_public_key).hexdigest()[:32]
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def trusted_keys(records: Iterable[KeyRecord], operator_public_key: bytes) -> set[UUID]:
    """The ids of the records that a chain of endorsements links to the operator's key.

    Each round admits the records whose endorser is the operator or an admitted record of a
    different owner and whose signature verifies; it stops when a round admits nothing, so
    cycles and broken links simply stay out.
    """
    pending = {r.key_id: r for r in records}
    trusted: dict[UUID, KeyRecord] = {}
    while True:
        admitted = [r for r in pending.values() if _links(r, trusted, operator_public_key)]
        if not admitted:
            return set(trusted)
        for record in admitted:
            trusted[record.key_id] = pending.pop(record.key_id)


def _links(record: KeyRecord, trusted: dict[UUID, KeyRecord], operator: bytes) -> bool:
    if record.endorsed_by is None:
        endorser_key = operator
    else:
        endorser = trusted.get(record.endorsed_by)
        if endorser is None or endorser.owner_id == record.owner_id:
            return False
        endorser_key = endorser.signing_public_key
    try:
        verify_endorsement(record, endorser_key)
    except EndorsementError:
        return False
    return True
