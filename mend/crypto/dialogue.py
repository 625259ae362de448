"""Dialogue items: encrypted by their author, readable by whom the case allows, never altered.

An item (a message, a letter, an acknowledgment, an assessment note, a plan item) is made in
its author's browser (ARCHITECTURE 10, ADR 0014):
- a fresh content key k; body = envelope.encrypt(k, plaintext, context
  ("dialogue-item", "<case id>/<item id>", revision));
- commitment = BLAKE2b-256(key = k, message = DIALOGUE_KEY_COMMITMENT);
- signature = Ed25519 by the author over the statement
      lp("mend-dialogue-item-v1") | lp(case id, 16 bytes) | lp(item id, 16 bytes)
      | lp(author participant id, 16 bytes) | lp(kind) | revision:u32
      | lp(SHA-256(body)) | lp(commitment)
- k sealed (envelope.seal) to each reader's X25519 key with context
  ("dialogue-reader-key", "<item id>/<reader participant id>", revision): at first the author
  and the case's facilitators; a facilitator who approves adds the recipient's.

A participant's Ed25519 signing seed comes from the X25519 secret key of her dialogue key
(BLAKE2b keyed by it over DIALOGUE_SIGNING_SEED), as counselor keys do (ADR 0007), so
nothing more is stored. The lead facilitator vouches for each participant's two public
keys with a signed key statement (`key_statement`) after comparing fingerprints with her.

Guarantees: `open_item` returns a plaintext only if the author's key signed exactly this
case, item, author, kind, revision, ciphertext and content key; a facilitator (or the
server) who changes a byte, re-encrypts under another key, or moves an item to another case,
author or revision is refused. The key commitment makes the signature bind the key too, so
one ciphertext cannot open to two texts under two keys (XChaCha20-Poly1305 alone does not
commit to its key). The JS twin is static/js/crypto/dialogue.js; tests/vectors/dialogue.json
pins both.

Not protected: lengths and times; who may read what (the server stores that); a facilitator
who withholds an item (she can refuse to approve, never alter); a server that lists a
different public key for an author, unless the reader checks the facilitator's key
statement, and the facilitator's own key is only as trusted as the chain that vouches for it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final
from uuid import UUID

import pysodium

from mend.crypto import envelope, labels
from mend.crypto.encoding import i2osp, lp
from mend.crypto.errors import CryptoError, DialogueError

KEY_BYTES: Final = 32
SIGNATURE_BYTES: Final = 64
COMMITMENT_BYTES: Final = 32
#: What an item can be; part of the signed statement, so a letter cannot pass as a message.
KINDS: Final = frozenset(
    {"message", "letter", "acknowledgment", "assessment", "plan-item", "return-note"}
)
#: The roles a key statement names.
ROLES: Final = frozenset({"survivor", "responsible", "lead", "co", "specialist"})


@dataclass(frozen=True)
class ItemRef:
    """Which item a ciphertext is: every field is signed and bound into the envelopes."""

    case_id: UUID
    item_id: UUID
    author_id: UUID
    kind: str
    revision: int

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise DialogueError(f"unknown item kind {self.kind!r}")
        if not 1 <= self.revision < 2**32:
            raise DialogueError("the revision must be between 1 and 2**32 - 1")

    def body_context(self) -> envelope.Context:
        return envelope.Context(
            labels.PURPOSE_DIALOGUE_ITEM, f"{self.case_id}/{self.item_id}", self.revision
        )

    def reader_context(self, reader_id: UUID) -> envelope.Context:
        return envelope.Context(
            labels.PURPOSE_DIALOGUE_READER_KEY, f"{self.item_id}/{reader_id}", self.revision
        )


@dataclass(frozen=True)
class SealedItem:
    """What the author's browser sends: body, signature, commitment, and sealed keys."""

    body: bytes
    signature: bytes
    commitment: bytes
    reader_keys: dict[UUID, bytes] = field(default_factory=dict)


def _check(value: bytes, length: int, what: str) -> bytes:
    if len(value) != length:
        raise DialogueError(f"{what} must be {length} bytes")
    return value


def signing_seed(box_secret_key: bytes) -> bytes:
    """The Ed25519 seed of a participant's dialogue key, from its X25519 secret key."""
    key = _check(box_secret_key, KEY_BYTES, "the secret key")
    message = labels.DIALOGUE_SIGNING_SEED.encode("ascii")
    return bytes(pysodium.crypto_generichash(message, key, KEY_BYTES))


def signing_public_key(seed: bytes) -> bytes:
    return bytes(pysodium.crypto_sign_seed_keypair(_check(seed, KEY_BYTES, "the seed"))[0])


def key_commitment(content_key: bytes) -> bytes:
    """BLAKE2b-256 keyed by the content key: signed, so the signature names the key."""
    key = _check(content_key, KEY_BYTES, "the content key")
    message = labels.DIALOGUE_KEY_COMMITMENT.encode("ascii")
    return bytes(pysodium.crypto_generichash(message, key, COMMITMENT_BYTES))


def item_statement(ref: ItemRef, body: bytes, commitment: bytes) -> bytes:
    """The exact bytes an author signs."""
    return (
        lp(labels.DIALOGUE_ITEM_DOMAIN.encode("ascii"))
        + lp(ref.case_id.bytes)
        + lp(ref.item_id.bytes)
        + lp(ref.author_id.bytes)
        + lp(ref.kind.encode("ascii"))
        + i2osp(ref.revision, 4)
        + lp(hashlib.sha256(body).digest())
        + lp(_check(commitment, COMMITMENT_BYTES, "the key commitment"))
    )


def _sign(seed: bytes, message: bytes) -> bytes:
    _, secret = pysodium.crypto_sign_seed_keypair(_check(seed, KEY_BYTES, "the seed"))
    return bytes(pysodium.crypto_sign_detached(message, secret))


def _verify(signature: bytes, message: bytes, public_key: bytes, what: str) -> None:
    _check(public_key, KEY_BYTES, "the signing public key")
    try:
        _check(signature, SIGNATURE_BYTES, "the signature")
        pysodium.crypto_sign_verify_detached(signature, message, public_key)
    except (ValueError, DialogueError) as error:
        raise DialogueError(f"the {what} does not verify") from error


def seal_item(
    ref: ItemRef,
    plaintext: bytes,
    author_seed: bytes,
    readers: Mapping[UUID, bytes],
    *,
    content_key: bytes | None = None,
    nonce: bytes | None = None,
    ephemeral_seeds: Mapping[UUID, bytes] | None = None,
) -> SealedItem:
    """Encrypt, sign and seal the key to each reader (participant id -> X25519 public key).

    `content_key`, `nonce` and `ephemeral_seeds` are injectable only for test vectors.
    """
    key = envelope.new_key() if content_key is None else content_key
    body = envelope.encrypt(key, plaintext, ref.body_context(), nonce=nonce)
    commitment = key_commitment(key)
    signature = _sign(author_seed, item_statement(ref, body, commitment))
    seeds = ephemeral_seeds or {}
    reader_keys = {
        reader: wrap_for_reader(ref, key, reader, public, ephemeral_seed=seeds.get(reader))
        for reader, public in readers.items()
    }
    return SealedItem(body, signature, commitment, reader_keys)


def wrap_for_reader(
    ref: ItemRef,
    content_key: bytes,
    reader_id: UUID,
    reader_public_key: bytes,
    *,
    ephemeral_seed: bytes | None = None,
) -> bytes:
    """Seal the content key to one more reader (what a facilitator's approval adds)."""
    context = ref.reader_context(reader_id)
    return envelope.seal(
        reader_public_key,
        _check(content_key, KEY_BYTES, "the content key"),
        context,
        ephemeral_seed=ephemeral_seed,
    )


def verify_item(ref: ItemRef, item: SealedItem, author_signing_key: bytes) -> None:
    """Raise DialogueError unless the author signed exactly this item (the server checks
    this too, before it stores one)."""
    statement = item_statement(ref, item.body, item.commitment)
    _verify(item.signature, statement, author_signing_key, "author's signature")


def open_content_key(
    ref: ItemRef, keypair: envelope.BoxKeyPair, reader_id: UUID, item: SealedItem
) -> bytes:
    """The content key sealed to this reader, checked against the signed commitment."""
    sealed = item.reader_keys.get(reader_id)
    if sealed is None:
        raise DialogueError("this item's key was not sealed to this reader")
    try:
        key = envelope.open_sealed(keypair, sealed, ref.reader_context(reader_id))
        commitment = key_commitment(key)
    except CryptoError as error:
        raise DialogueError("the sealed content key does not open") from error
    if commitment != item.commitment:
        raise DialogueError("the content key is not the one the author signed")
    return key


def open_item(
    ref: ItemRef,
    item: SealedItem,
    keypair: envelope.BoxKeyPair,
    reader_id: UUID,
    author_signing_key: bytes,
) -> bytes:
    """Verify the author's signature, open the reader's key, decrypt: or raise DialogueError."""
    verify_item(ref, item, author_signing_key)
    key = open_content_key(ref, keypair, reader_id, item)
    try:
        return envelope.decrypt(key, item.body, ref.body_context())
    except CryptoError as error:
        raise DialogueError("the item does not decrypt") from error


def key_statement(
    case_id: UUID, participant_id: UUID, role: str, box_public_key: bytes, signing_key: bytes
) -> bytes:
    """What the lead facilitator signs to vouch that two public keys are a participant's."""
    if role not in ROLES:
        raise DialogueError(f"unknown role {role!r}")
    return (
        lp(labels.DIALOGUE_KEY_DOMAIN.encode("ascii"))
        + lp(case_id.bytes)
        + lp(participant_id.bytes)
        + lp(role.encode("ascii"))
        + lp(_check(box_public_key, KEY_BYTES, "the public key"))
        + lp(_check(signing_key, KEY_BYTES, "the signing public key"))
    )


def sign_key_statement(
    facilitator_seed: bytes,
    case_id: UUID,
    participant_id: UUID,
    role: str,
    box_public_key: bytes,
    signing_key: bytes,
) -> bytes:
    statement = key_statement(case_id, participant_id, role, box_public_key, signing_key)
    return _sign(facilitator_seed, statement)


def verify_key_statement(
    signature: bytes,
    facilitator_signing_key: bytes,
    case_id: UUID,
    participant_id: UUID,
    role: str,
    box_public_key: bytes,
    signing_key: bytes,
) -> None:
    statement = key_statement(case_id, participant_id, role, box_public_key, signing_key)
    _verify(signature, statement, facilitator_signing_key, "key statement")
