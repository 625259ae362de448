from __future__ import annotations

from typing import Any

import pytest

from mend.crypto import group, oprf
from mend.crypto.errors import (
    DeriveKeyPairError,
    InvalidElementError,
    InvalidInputError,
    InvalidScalarError,
    VerifyError,
)
from mend.crypto.tests.vectors import flip, h, hs, rfc9497

SUITES = rfc9497()
CASES = [(suite, v) for suite in SUITES for v in suite["vectors"]]
VOPRF = next(s for s in SUITES if s["mode"] == 1)
KEYS = oprf.derive_key_pair(h(VOPRF["seed"]), h(VOPRF["keyInfo"]), oprf.Mode.VOPRF)


def case_id(case: tuple[dict[str, Any], dict[str, Any]]) -> str:
    suite, vector = case
    return f"mode{suite['mode']}-batch{vector['Batch']}-{vector['Input'][:8]}"


def test_it_reads_both_official_suites() -> None:
    assert sorted(s["mode"] for s in SUITES) == [0, 1]
    assert len(CASES) == 5


@pytest.mark.parametrize("suite", SUITES, ids=lambda s: f"mode{s['mode']}")
def test_it_derives_the_rfc_key_pair(suite: dict[str, Any]) -> None:
    keys = oprf.derive_key_pair(h(suite["seed"]), h(suite["keyInfo"]), oprf.Mode(suite["mode"]))
    assert keys.secret_key.hex() == suite["skSm"]
    assert oprf.public_key(keys.secret_key) == keys.public_key
    if "pkSm" in suite:
        assert keys.public_key.hex() == suite["pkSm"]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_it_reproduces_every_rfc_vector(case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    suite, vector = case
    mode = oprf.Mode(suite["mode"])
    keys = oprf.derive_key_pair(h(suite["seed"]), h(suite["keyInfo"]), mode)
    inputs = hs(vector["Input"])
    blinds = [
        oprf.blind(x, mode, blind=b) for x, b in zip(inputs, hs(vector["Blind"]), strict=True)
    ]
    assert [b.blinded_element for b in blinds] == hs(vector["BlindedElement"])
    if mode is oprf.Mode.OPRF:
        evaluated = [oprf.blind_evaluate(keys.secret_key, b.blinded_element) for b in blinds]
        outputs = [
            oprf.finalize(x, b.blind, e) for x, b, e in zip(inputs, blinds, evaluated, strict=True)
        ]
    else:
        evaluation = oprf.blind_evaluate_verifiable(
            keys.secret_key,
            keys.public_key,
            [b.blinded_element for b in blinds],
            proof_nonce=h(vector["Proof"]["r"]),
        )
        assert evaluation.proof.hex() == vector["Proof"]["proof"]
        evaluated = list(evaluation.evaluated_elements)
        outputs = oprf.finalize_verifiable(inputs, blinds, evaluation, keys.public_key)
    assert evaluated == hs(vector["EvaluationElement"])
    assert outputs == hs(vector["Output"])


def _evaluate(data: bytes = b"someone@example.org") -> tuple[oprf.Blinded, oprf.Evaluation]:
    blinded = oprf.blind(data, oprf.Mode.VOPRF)
    evaluation = oprf.blind_evaluate_verifiable(
        KEYS.secret_key, KEYS.public_key, [blinded.blinded_element]
    )
    return blinded, evaluation


def test_it_gives_the_same_output_for_fresh_random_blinds() -> None:
    first, first_eval = _evaluate()
    second, second_eval = _evaluate()
    assert first.blind != second.blind
    assert first.blinded_element != second.blinded_element
    outputs = [
        oprf.finalize_verifiable([b"someone@example.org"], [b], e, KEYS.public_key)
        for b, e in ((first, first_eval), (second, second_eval))
    ]
    assert outputs[0] == outputs[1]


def test_it_gives_different_outputs_for_different_inputs() -> None:
    blinded, evaluation = _evaluate(b"a")
    other, other_eval = _evaluate(b"b")
    [a] = oprf.finalize_verifiable([b"a"], [blinded], evaluation, KEYS.public_key)
    [b] = oprf.finalize_verifiable([b"b"], [other], other_eval, KEYS.public_key)
    assert a != b


def test_it_rejects_a_proof_made_with_another_key() -> None:
    other = oprf.derive_key_pair(bytes(32), b"another key", oprf.Mode.VOPRF)
    blinded = oprf.blind(b"x", oprf.Mode.VOPRF)
    evaluation = oprf.blind_evaluate_verifiable(
        other.secret_key, other.public_key, [blinded.blinded_element]
    )
    with pytest.raises(VerifyError, match="does not match its public key"):
        oprf.finalize_verifiable([b"x"], [blinded], evaluation, KEYS.public_key)


@pytest.mark.parametrize("index", [0, 31, 32, 63])
def test_it_rejects_a_proof_with_a_flipped_bit(index: int) -> None:
    blinded, evaluation = _evaluate()
    bad = oprf.Evaluation(evaluation.evaluated_elements, flip(evaluation.proof, index))
    with pytest.raises(VerifyError):
        oprf.finalize_verifiable([b"someone@example.org"], [blinded], bad, KEYS.public_key)


def test_it_rejects_an_evaluation_that_does_not_match_the_proof() -> None:
    blinded, evaluation = _evaluate()
    swapped = oprf.blind_evaluate(
        KEYS.secret_key, oprf.blind(b"y", oprf.Mode.VOPRF).blinded_element
    )
    bad = oprf.Evaluation((swapped,), evaluation.proof)
    with pytest.raises(VerifyError):
        oprf.finalize_verifiable([b"someone@example.org"], [blinded], bad, KEYS.public_key)


@pytest.mark.parametrize(
    ("proof", "message"),
    [
        (bytes(63), "64 bytes"),
        (group.ORDER.to_bytes(32, "little") + bytes(32), "challenge is not below"),
        (bytes(32) + b"\xff" * 32, "response is not below"),
    ],
)
def test_it_rejects_malformed_proofs(proof: bytes, message: str) -> None:
    blinded, evaluation = _evaluate()
    bad = oprf.Evaluation(evaluation.evaluated_elements, proof)
    with pytest.raises(VerifyError, match=message):
        oprf.finalize_verifiable([b"someone@example.org"], [blinded], bad, KEYS.public_key)


def test_it_rejects_a_zero_proof_without_crashing() -> None:
    blinded, evaluation = _evaluate()
    bad = oprf.Evaluation(evaluation.evaluated_elements, bytes(64))
    with pytest.raises(VerifyError, match="does not match"):
        oprf.finalize_verifiable([b"someone@example.org"], [blinded], bad, KEYS.public_key)


def test_it_rejects_the_identity_as_public_key_or_evaluation() -> None:
    blinded, evaluation = _evaluate()
    with pytest.raises(VerifyError, match="public key is the identity"):
        oprf.finalize_verifiable([b"x"], [blinded], evaluation, group.IDENTITY)
    bad = oprf.Evaluation((group.IDENTITY,), evaluation.proof)
    with pytest.raises(VerifyError, match="identity"):
        oprf.finalize_verifiable([b"x"], [blinded], bad, KEYS.public_key)


def test_it_refuses_to_evaluate_the_identity_or_a_non_canonical_element() -> None:
    with pytest.raises(InvalidElementError, match="identity"):
        oprf.blind_evaluate(KEYS.secret_key, group.IDENTITY)
    with pytest.raises(InvalidElementError, match="canonical"):
        oprf.blind_evaluate(KEYS.secret_key, b"\xff" * 32)  # field element >= p
    with pytest.raises(InvalidElementError, match="canonical"):
        oprf.blind_evaluate(KEYS.secret_key, group.scalar_from_int(1))  # negative encoding
    with pytest.raises(InvalidElementError, match="32 bytes"):
        oprf.blind_evaluate(KEYS.secret_key, group.GENERATOR[:31])
    with pytest.raises(InvalidElementError):
        oprf.blind_evaluate_verifiable(KEYS.secret_key, KEYS.public_key, [group.IDENTITY])


def test_it_refuses_an_empty_batch_or_mismatched_lengths() -> None:
    with pytest.raises(InvalidInputError, match="nothing to evaluate"):
        oprf.blind_evaluate_verifiable(KEYS.secret_key, KEYS.public_key, [])
    blinded, evaluation = _evaluate()
    with pytest.raises(InvalidInputError, match="pair up"):
        oprf.finalize_verifiable([b"a", b"b"], [blinded], evaluation, KEYS.public_key)
    with pytest.raises(InvalidInputError, match="pair up"):
        oprf.finalize_verifiable([], [], evaluation, KEYS.public_key)
    with pytest.raises(VerifyError, match="pair up"):
        oprf.verify_proof(KEYS.public_key, [], [], evaluation.proof)


def test_it_refuses_zero_or_non_canonical_blinds_and_keys() -> None:
    with pytest.raises(InvalidScalarError, match="blind must not be zero"):
        oprf.blind(b"x", oprf.Mode.OPRF, blind=group.ZERO)
    with pytest.raises(InvalidScalarError, match="not below"):
        oprf.blind(b"x", oprf.Mode.OPRF, blind=b"\xff" * 32)
    with pytest.raises(InvalidScalarError, match="blind must not be zero"):
        oprf.finalize(b"x", group.ZERO, KEYS.public_key)
    with pytest.raises(InvalidScalarError, match="secret key must not be zero"):
        oprf.public_key(group.ZERO)
    with pytest.raises(InvalidScalarError, match="proof nonce"):
        oprf.generate_proof(
            KEYS.secret_key, KEYS.public_key, [KEYS.public_key], [KEYS.public_key], b"\xff" * 32
        )


def test_it_refuses_inputs_longer_than_the_length_prefix_allows() -> None:
    with pytest.raises(InvalidInputError, match="longer than 65535"):
        oprf.blind(bytes(65536), oprf.Mode.OPRF)
    assert oprf.blind(bytes(65535), oprf.Mode.OPRF).blinded_element
    with pytest.raises(InvalidInputError):
        oprf.finalize(bytes(65536), group.scalar_from_int(1), KEYS.public_key)


def test_it_refuses_a_seed_of_the_wrong_length() -> None:
    with pytest.raises(InvalidInputError, match="32 bytes"):
        oprf.derive_key_pair(bytes(31), b"", oprf.Mode.OPRF)


def test_it_retries_key_derivation_on_a_zero_scalar(monkeypatch: pytest.MonkeyPatch) -> None:
    real = group.hash_to_scalar
    calls: list[bytes] = []

    def zero_first(msg: bytes, dst: bytes) -> bytes:
        calls.append(msg)
        return group.ZERO if len(calls) == 1 else real(msg, dst)

    monkeypatch.setattr(group, "hash_to_scalar", zero_first)
    keys = oprf.derive_key_pair(bytes(32), b"info", oprf.Mode.OPRF)
    assert [call[-1] for call in calls] == [0, 1]  # the counter byte
    assert keys.secret_key == real(calls[1], b"DeriveKeyPair" + oprf.context_string(oprf.Mode.OPRF))


def test_it_gives_up_key_derivation_after_256_zero_scalars(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(group, "hash_to_scalar", lambda msg, dst: group.ZERO)
    with pytest.raises(DeriveKeyPairError):
        oprf.derive_key_pair(bytes(32), b"info", oprf.Mode.OPRF)


def test_it_refuses_an_input_that_hashes_to_the_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(group, "hash_to_group", lambda msg, dst: group.IDENTITY)
    with pytest.raises(InvalidInputError, match="identity"):
        oprf.blind(b"x", oprf.Mode.OPRF)


def test_it_separates_the_two_modes() -> None:
    blind = group.scalar_from_int(7)
    plain = oprf.blind(b"x", oprf.Mode.OPRF, blind=blind).blinded_element
    verifiable = oprf.blind(b"x", oprf.Mode.VOPRF, blind=blind).blinded_element
    assert plain != verifiable
    assert oprf.context_string(oprf.Mode.VOPRF) == b"OPRFV1-\x01-ristretto255-SHA512"
