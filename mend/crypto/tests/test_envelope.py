from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mend.crypto import envelope, labels
from mend.crypto.errors import CryptoError, DecryptionError, UnsupportedVersionError
from mend.crypto.tests.vectors import flip, h, project

VECTORS = project("envelope.json")
CTX = envelope.Context(labels.PURPOSE_RECORD, "record-1", 4)
KEY = bytes(range(32))


def context(data: dict[str, Any]) -> envelope.Context:
    return envelope.Context(data["purpose"], data["object_id"], data["object_version"])


@pytest.mark.parametrize("case", VECTORS["contexts"])
def test_it_encodes_the_associated_data_canonically(case: dict[str, Any]) -> None:
    assert context(case).encode().hex() == case["encoded"]


@pytest.mark.parametrize("case", VECTORS["bad_contexts"])
def test_it_refuses_bad_contexts(case: dict[str, Any]) -> None:
    with pytest.raises(CryptoError):
        context(case)


@pytest.mark.parametrize("case", VECTORS["encrypt"])
def test_it_reproduces_the_envelope_vectors(case: dict[str, Any]) -> None:
    ctx = context(case["context"])
    sealed = envelope.encrypt(h(case["key"]), h(case["plaintext"]), ctx, nonce=h(case["nonce"]))
    assert sealed.hex() == case["envelope"]
    assert envelope.decrypt(h(case["key"]), sealed, ctx) == h(case["plaintext"])


def test_it_reproduces_the_key_wrapping_vector() -> None:
    [case] = VECTORS["wrap_key"]
    ctx = context(case["context"])
    wrapped = envelope.wrap_key(
        h(case["wrapping_key"]), h(case["key"]), ctx, nonce=h(case["nonce"])
    )
    assert wrapped.hex() == case["wrapped"]
    assert envelope.unwrap_key(h(case["wrapping_key"]), wrapped, ctx) == h(case["key"])


def test_it_opens_the_sealed_box_vector_and_reproduces_it() -> None:
    [case] = VECTORS["sealed"]
    keys = envelope.box_keypair(h(case["recipient_seed"]))
    assert keys.public_key.hex() == case["recipient_public_key"]
    assert keys.secret_key.hex() == case["recipient_secret_key"]
    ctx = context(case["context"])
    assert envelope.open_sealed(keys, h(case["sealed"]), ctx) == h(case["message"])
    again = envelope.seal(
        keys.public_key, h(case["message"]), ctx, ephemeral_seed=h(case["ephemeral_seed"])
    )
    assert again.hex() == case["sealed"]


def test_it_uses_a_fresh_nonce_every_time() -> None:
    assert envelope.encrypt(KEY, b"same", CTX) != envelope.encrypt(KEY, b"same", CTX)
    assert len(envelope.encrypt(KEY, b"abc", CTX)) == 3 + envelope.OVERHEAD


def test_it_refuses_a_wrong_key_context_or_version_byte() -> None:
    sealed = envelope.encrypt(KEY, b"secret", CTX)
    with pytest.raises(DecryptionError):
        envelope.decrypt(bytes(32), sealed, CTX)
    for other in (
        envelope.Context(labels.PURPOSE_RECORD_KEY, "record-1", 4),
        envelope.Context(labels.PURPOSE_RECORD, "record-2", 4),
        envelope.Context(labels.PURPOSE_RECORD, "record-1", 5),
    ):
        with pytest.raises(DecryptionError):
            envelope.decrypt(KEY, sealed, other)
    with pytest.raises(UnsupportedVersionError, match="version 2"):
        envelope.decrypt(KEY, b"\x02" + sealed[1:], CTX)


def test_it_refuses_truncated_ciphertexts_and_wrong_sizes() -> None:
    sealed = envelope.encrypt(KEY, b"", CTX)
    with pytest.raises(DecryptionError, match="truncated"):
        envelope.decrypt(KEY, sealed[:-1], CTX)
    with pytest.raises(DecryptionError, match="truncated"):
        envelope.decrypt(KEY, b"", CTX)
    with pytest.raises(CryptoError, match="32 bytes"):
        envelope.encrypt(bytes(16), b"x", CTX)
    with pytest.raises(CryptoError, match="nonce"):
        envelope.encrypt(KEY, b"x", CTX, nonce=bytes(12))
    with pytest.raises(CryptoError, match="32 bytes"):
        envelope.wrap_key(KEY, bytes(31), CTX)


def test_it_refuses_a_wrapped_value_that_is_not_a_key() -> None:
    not_a_key = envelope.encrypt(KEY, bytes(31), CTX)
    with pytest.raises(CryptoError, match="32 bytes"):
        envelope.unwrap_key(KEY, not_a_key, CTX)


@settings(max_examples=60, deadline=None)
@given(plaintext=st.binary(max_size=200), data=st.data())
def test_it_detects_any_single_bit_flip(plaintext: bytes, data: st.DataObject) -> None:
    sealed = envelope.encrypt(KEY, plaintext, CTX)
    assert envelope.decrypt(KEY, sealed, CTX) == plaintext
    index = data.draw(st.integers(0, len(sealed) - 1))
    bit = data.draw(st.integers(0, 7))
    with pytest.raises((DecryptionError, UnsupportedVersionError)):
        envelope.decrypt(KEY, flip(sealed, index, bit), CTX)


@settings(max_examples=40, deadline=None)
@given(
    plaintext=st.binary(max_size=100),
    object_id=st.text(min_size=1, max_size=60),
    version=st.integers(0, 2**32 - 1),
    cut=st.integers(1, 40),
)
def test_it_round_trips_and_refuses_truncation(
    plaintext: bytes, object_id: str, version: int, cut: int
) -> None:
    ctx = envelope.Context(labels.PURPOSE_ESCROW_ENTRY, object_id, version)
    sealed = envelope.encrypt(KEY, plaintext, ctx)
    assert envelope.decrypt(KEY, sealed, ctx) == plaintext
    with pytest.raises(DecryptionError):
        envelope.decrypt(KEY, sealed[:-cut], ctx)


def test_it_seals_to_a_public_key_only_its_owner_opens() -> None:
    owner, stranger = envelope.box_keypair(), envelope.box_keypair()
    ctx = envelope.Context(labels.PURPOSE_ESCROW_SHARE, "entry-1", 1)
    sealed = envelope.seal(owner.public_key, b"share", ctx)
    assert sealed[0] == envelope.VERSION
    assert envelope.open_sealed(owner, sealed, ctx) == b"share"
    with pytest.raises(DecryptionError, match="not sealed to this key"):
        envelope.open_sealed(stranger, sealed, ctx)
    with pytest.raises(DecryptionError, match="not sealed to this key"):
        envelope.open_sealed(owner, flip(sealed, 60), ctx)
    other = envelope.Context(labels.PURPOSE_ESCROW_SHARE, "entry-2", 1)
    with pytest.raises(DecryptionError, match="different context"):
        envelope.open_sealed(owner, sealed, other)
    with pytest.raises(UnsupportedVersionError):
        envelope.open_sealed(owner, b"\x00" + sealed[1:], ctx)
    with pytest.raises(DecryptionError, match="truncated"):
        envelope.open_sealed(owner, sealed[:48], ctx)


def test_it_refuses_unusable_recipient_keys() -> None:
    with pytest.raises(CryptoError, match="cannot be used"):
        envelope.seal(bytes(32), b"x", CTX)  # a low-order point
    with pytest.raises(CryptoError, match="cannot be used"):
        envelope.seal(bytes(32), b"x", CTX, ephemeral_seed=bytes(32))
    with pytest.raises(CryptoError, match="32 bytes"):
        envelope.seal(bytes(31), b"x", CTX)
    with pytest.raises(CryptoError, match="32 bytes"):
        envelope.box_keypair(bytes(31))


def test_it_makes_random_keys() -> None:
    assert envelope.new_key() != envelope.new_key()
    assert len(envelope.new_key()) == envelope.KEY_BYTES
