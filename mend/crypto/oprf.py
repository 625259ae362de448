"""RFC 9497 OPRF (mode 0x00) and VOPRF (mode 0x01), suite ristretto255-SHA512.

Roles: the server holds the key and runs `blind_evaluate*`; the client (the browser, via the
JS twin static/js/crypto/oprf.js) runs `blind` and `finalize*`.

Guarantees:
- The server learns nothing about the input: it sees only blind * H(input) for a fresh
  uniformly random blind.
- In VOPRF mode, `finalize_verifiable` returns an output only if the server proved (DLEQ) that
  it evaluated with the secret key matching the published public key; a server that tags a
  user with a different key is caught. OPRF mode has no such check.
- Every element from the other party is checked: canonical, on the group, not the identity.
  Every scalar from the other party is checked: canonical.

Not protected: the server can evaluate any input it likes, so low-entropy inputs can be
guessed by a server that tries every candidate (rate limiting is the application's job).
Randomness (blinds, proof nonces) is injectable only so that tests can reproduce the RFC
vectors; production callers must leave it to the default.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

from mend.crypto import group
from mend.crypto.encoding import i2osp, lp
from mend.crypto.errors import (
    DeriveKeyPairError,
    InvalidElementError,
    InvalidInputError,
    InvalidScalarError,
    VerifyError,
)

SUITE: bytes = b"ristretto255-SHA512"
SEED_BYTES = 32
PROOF_BYTES = 2 * group.SCALAR_BYTES
_MAX_INPUT = 65535  # the input is length-prefixed with two bytes in Finalize


class Mode(IntEnum):
    OPRF = 0x00
    VOPRF = 0x01


def context_string(mode: Mode) -> bytes:
    return b"OPRFV1-" + i2osp(mode, 1) + b"-" + SUITE


@dataclass(frozen=True)
class KeyPair:
    secret_key: bytes
    public_key: bytes


@dataclass(frozen=True)
class Blinded:
    """What the client keeps (`blind`) and what it sends (`blinded_element`)."""

    blind: bytes
    blinded_element: bytes


@dataclass(frozen=True)
class Evaluation:
    """The server's VOPRF answer: one element per blinded element, one proof for them all."""

    evaluated_elements: tuple[bytes, ...]
    proof: bytes


def derive_key_pair(seed: bytes, info: bytes, mode: Mode) -> KeyPair:
    """RFC 9497 DeriveKeyPair: the same seed and info always give the same key pair."""
    if len(seed) != SEED_BYTES:
        raise InvalidInputError(f"seed must be {SEED_BYTES} bytes")
    derive_input = seed + lp(info)
    dst = b"DeriveKeyPair" + context_string(mode)
    for counter in range(256):
        secret = group.hash_to_scalar(derive_input + i2osp(counter, 1), dst)
        if not group.is_zero(secret):
            return KeyPair(secret, group.mul_base(secret))
    raise DeriveKeyPairError("no non-zero scalar after 256 attempts")


def public_key(secret_key: bytes) -> bytes:
    """The public key pkS = skS * G of a non-zero canonical secret key."""
    return group.mul_base(group.scalar(secret_key, "secret key", nonzero=True))


def blind(data: bytes, mode: Mode, *, blind: bytes | None = None) -> Blinded:
    """Client: hash the input to the group and blind it with a fresh random scalar."""
    _check_input(data)
    element = group.hash_to_group(data, b"HashToGroup-" + context_string(mode))
    if element == group.IDENTITY:
        raise InvalidInputError("the input hashes to the identity element")
    r = group.random_scalar() if blind is None else group.scalar(blind, "blind", nonzero=True)
    return Blinded(r, group.mul(r, element))


def blind_evaluate(secret_key: bytes, blinded_element: bytes) -> bytes:
    """Server, OPRF mode: skS * blindedElement, after checking the element.

    `secret_key` is the server's own key from derive_key_pair (trusted, so not re-checked on
    this hot path); the element comes from a client and is checked.
    """
    return group.mul(secret_key, group.element(blinded_element, "blinded element"))


def blind_evaluate_verifiable(
    secret_key: bytes,
    public_key: bytes,
    blinded_elements: Sequence[bytes],
    *,
    proof_nonce: bytes | None = None,
) -> Evaluation:
    """Server, VOPRF mode: evaluate one or more elements and prove it with one DLEQ proof."""
    if not blinded_elements:
        raise InvalidInputError("nothing to evaluate")
    evaluated = tuple(blind_evaluate(secret_key, b) for b in blinded_elements)
    proof = generate_proof(secret_key, public_key, blinded_elements, evaluated, proof_nonce)
    return Evaluation(evaluated, proof)


def finalize(data: bytes, blind: bytes, evaluated_element: bytes) -> bytes:
    """Client, OPRF mode: unblind and hash to the 64-byte output."""
    _check_input(data)
    inverse = group.scalar_invert(group.scalar(blind, "blind", nonzero=True))
    unblinded = group.mul(inverse, group.element(evaluated_element, "evaluated element"))
    return hashlib.sha512(lp(data) + lp(unblinded) + b"Finalize").digest()


def finalize_verifiable(
    inputs: Sequence[bytes],
    blinds: Sequence[Blinded],
    evaluation: Evaluation,
    public_key: bytes,
) -> list[bytes]:
    """Client, VOPRF mode: verify the server's proof, then finalize every input.

    Raises VerifyError if the proof does not show that the key behind `public_key` was used.
    """
    count = len(inputs)
    if count == 0 or len(blinds) != count or len(evaluation.evaluated_elements) != count:
        raise InvalidInputError("inputs, blinds and evaluations must pair up one to one")
    blinded = [b.blinded_element for b in blinds]
    verify_proof(public_key, blinded, evaluation.evaluated_elements, evaluation.proof)
    return [
        finalize(data, b.blind, e)
        for data, b, e in zip(inputs, blinds, evaluation.evaluated_elements, strict=True)
    ]


def generate_proof(
    secret_key: bytes,
    public_key: bytes,
    blinded: Sequence[bytes],
    evaluated: Sequence[bytes],
    nonce: bytes | None = None,
) -> bytes:
    """DLEQ proof that log_G(pkS) == log_M(Z) (RFC 9497 GenerateProof, A = G).

    Cost: one scalar mult per composite element, one for Z, one base mult for t2 and one for
    t3; the evaluations themselves are the caller's.
    """
    m, z = _composites(public_key, blinded, evaluated, secret_key)
    r = group.random_scalar() if nonce is None else group.scalar(nonce, "proof nonce")
    t2 = group.mul_base(r)
    t3 = group.mul(r, m)
    c = _challenge(public_key, m, z, t2, t3)
    s = group.scalar_sub(r, group.scalar_mul(c, secret_key))
    return c + s


def verify_proof(
    public_key: bytes, blinded: Sequence[bytes], evaluated: Sequence[bytes], proof: bytes
) -> None:
    """RFC 9497 VerifyProof with A = G; raises VerifyError unless the proof is valid."""
    try:
        group.element(public_key, "public key")
        for element in (*blinded, *evaluated):
            group.element(element)
        if len(proof) != PROOF_BYTES:
            raise InvalidScalarError(f"proof must be {PROOF_BYTES} bytes")
        c = group.scalar(proof[:32], "proof challenge")
        s = group.scalar(proof[32:], "proof response")
        m, z = _composites(public_key, blinded, evaluated, None)
    except (InvalidElementError, InvalidScalarError) as error:
        raise VerifyError(f"malformed proof or elements: {error}") from error
    t2 = group.add(group.mul_base(s), group.mul(c, public_key))
    t3 = group.add(group.mul(s, m), group.mul(c, z))
    if not hmac.compare_digest(_challenge(public_key, m, z, t2, t3), c):
        raise VerifyError("the server's proof does not match its public key")


def _composites(
    public_key: bytes,
    blinded: Sequence[bytes],
    evaluated: Sequence[bytes],
    secret_key: bytes | None,
) -> tuple[bytes, bytes]:
    """RFC 9497 ComputeComposites; with the secret key, ComputeCompositesFast (Z = k * M).

    The caller has checked every element (the server in blind_evaluate, the client in
    verify_proof), so none is checked twice on the server's hot path.
    """
    if not blinded or len(blinded) != len(evaluated):
        raise InvalidElementError("blinded and evaluated elements must pair up one to one")
    seed_dst = b"Seed-" + context_string(Mode.VOPRF)
    seed = hashlib.sha512(lp(public_key) + lp(seed_dst)).digest()
    dst = b"HashToScalar-" + context_string(Mode.VOPRF)
    m = z = group.IDENTITY
    for i, (c_i, d_i) in enumerate(zip(blinded, evaluated, strict=True)):
        weight = group.hash_to_scalar(
            lp(seed) + i2osp(i, 2) + lp(c_i) + lp(d_i) + b"Composite", dst
        )
        m = _accumulate(m, group.mul(weight, c_i))
        if secret_key is None:
            z = _accumulate(z, group.mul(weight, d_i))
    if secret_key is not None:
        z = group.mul(secret_key, m)
    return m, z


def _accumulate(total: bytes, term: bytes) -> bytes:
    # The first term needs no addition: saves a point decode/encode for single evaluations.
    return term if total == group.IDENTITY else group.add(total, term)


def _challenge(public_key: bytes, m: bytes, z: bytes, t2: bytes, t3: bytes) -> bytes:
    transcript = lp(public_key) + lp(m) + lp(z) + lp(t2) + lp(t3) + b"Challenge"
    return group.hash_to_scalar(transcript, b"HashToScalar-" + context_string(Mode.VOPRF))


def _check_input(data: bytes) -> None:
    if len(data) > _MAX_INPUT:
        raise InvalidInputError(f"input is longer than {_MAX_INPUT} bytes")
