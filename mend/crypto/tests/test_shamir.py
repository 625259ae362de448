from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mend.crypto import envelope, escrow, group, shamir
from mend.crypto.errors import CryptoError, InvalidScalarError, RecoveryError, ShareError
from mend.crypto.tests.vectors import h, project

VECTORS = project("shamir.json")


def shares_from(data: list[dict[str, str]]) -> list[shamir.Share]:
    return [shamir.Share(h(s["x"]), h(s["y"])) for s in data]


def test_it_evaluates_a_polynomial_you_can_check_by_hand() -> None:
    # f(x) = 5 + 3x + 7x^2: f(1) = 15, f(2) = 39, f(10) = 735.
    assert [int.from_bytes(h(c["y"]), "little") for c in VECTORS["share_at"]] == [15, 39, 735]


@pytest.mark.parametrize("case", VECTORS["share_at"])
def test_it_reproduces_share_at(case: dict[str, Any]) -> None:
    coefficients = [h(c) for c in case["coefficients"]]
    assert shamir.share_at(h(case["secret"]), coefficients, h(case["x"])).hex() == case["y"]


@pytest.mark.parametrize("case", VECTORS["split"], ids=lambda c: f"t{c['threshold']}")
def test_it_reproduces_split_and_interpolates_from_any_t_shares(case: dict[str, Any]) -> None:
    t = case["threshold"]
    coefficients = [h(c) for c in case["coefficients"]]
    shares = shamir.split(h(case["secret"]), t, len(case["shares"]), coefficients=coefficients)
    assert shares == shares_from(case["shares"])
    for start in range(len(shares) - t + 1):
        assert shamir.interpolate(shares[start : start + t]).hex() == case["secret"]
    assert shamir.interpolate(shares).hex() == case["secret"]


def test_it_learns_nothing_from_fewer_than_t_shares() -> None:
    case = VECTORS["split"][1]  # threshold 3
    shares = shares_from(case["shares"])
    assert shamir.interpolate(shares[:2]).hex() != case["secret"]


def _opener(case: dict[str, Any]) -> Any:
    ctx = envelope.Context(**case["context"])
    wrapped = h(case["wrapped_entry_key"])
    tried: list[bytes] = []

    def opens(secret: bytes) -> bool:
        tried.append(secret)
        try:
            envelope.unwrap_key(escrow.entry_wrap_key(secret), wrapped, ctx)
        except CryptoError:
            return False
        return True

    return opens, tried


@pytest.mark.parametrize("case", VECTORS["recover"], ids=lambda c: f"t{c['threshold']}")
def test_it_recovers_despite_wrong_shares_and_names_them(case: dict[str, Any]) -> None:
    shares = shares_from(case["shares"])
    opens, _ = _opener(case)
    result = shamir.recover(shares, case["threshold"], opens)
    assert result.secret.hex() == case["secret"]
    assert [shares.index(s) for s in result.rejected] == case["rejected"]
    assert len(result.fitting) + len(result.rejected) == len(shares)


def test_it_fails_when_too_many_shares_are_wrong() -> None:
    case = VECTORS["recover"][0]  # t = 2, shares 1 and 3 wrong
    shares = shares_from(case["shares"])
    wrong = [shares[1], shares[3], shamir.Share(shares[0].x, group.scalar_from_int(1))]
    opens, tried = _opener(case)
    with pytest.raises(RecoveryError, match="no 2 of these 3"):
        shamir.recover(wrong, 2, opens)
    assert len(tried) == 3


def test_it_does_not_ask_the_verifier_twice_about_one_secret() -> None:
    case = VECTORS["split"][0]  # t = 2, three consistent shares: every pair gives one secret
    shares = shares_from(case["shares"])
    asked: list[bytes] = []

    def refuse(secret: bytes) -> bool:
        asked.append(secret)
        return False

    with pytest.raises(RecoveryError):
        shamir.recover(shares, 2, refuse)
    assert asked == [h(case["secret"])]


def test_it_stops_after_the_attempt_limit() -> None:
    shares = shamir.split(group.scalar_from_int(1), 2, 6)
    with pytest.raises(RecoveryError):
        shamir.recover(shares, 2, lambda s: True, max_attempts=0)


@pytest.mark.parametrize("case", VECTORS["errors"], ids=lambda c: c["why"])
def test_it_refuses_bad_share_sets(case: dict[str, Any]) -> None:
    shares = shares_from(case["shares"])
    with pytest.raises((ShareError, InvalidScalarError)):
        shamir.interpolate(shares)
    with pytest.raises((ShareError, InvalidScalarError)):
        shamir.recover(shares, 2, lambda s: True)


def test_it_refuses_bad_thresholds_and_coefficients() -> None:
    one = group.scalar_from_int(1)
    with pytest.raises(ShareError, match="threshold"):
        shamir.split(one, 1, 3)
    with pytest.raises(ShareError, match="threshold"):
        shamir.split(one, 4, 3)
    with pytest.raises(ShareError, match="needs 2 coefficients"):
        shamir.split(one, 3, 3, coefficients=[one])
    with pytest.raises(ShareError, match="at least one coefficient"):
        shamir.share_at(one, [], one)
    with pytest.raises(InvalidScalarError, match="x-coordinate must not be zero"):
        shamir.share_at(one, [one], group.ZERO)
    with pytest.raises(ShareError, match="at least 2"):
        shamir.recover(shamir.split(one, 2, 2), 1, lambda s: True)


scalars = st.integers(0, group.ORDER - 1).map(group.scalar_from_int)


@settings(max_examples=40, deadline=None)
@given(
    secret=scalars,
    threshold=st.integers(2, 5),
    extra=st.integers(0, 3),
    seed=st.integers(0, 2**32),
)
def test_it_recovers_from_any_threshold_subset(
    secret: bytes, threshold: int, extra: int, seed: int
) -> None:
    shares = shamir.split(secret, threshold, threshold + extra)
    subset = random.Random(seed).sample(shares, threshold)
    assert shamir.interpolate(subset) == secret


@settings(max_examples=30, deadline=None)
@given(secret=scalars, threshold=st.integers(2, 4), seed=st.integers(0, 2**32), data=st.data())
def test_it_recovers_robustly_while_enough_shares_are_honest(
    secret: bytes, threshold: int, seed: int, data: st.DataObject
) -> None:
    count = threshold + data.draw(st.integers(0, 3))
    shares = shamir.split(secret, threshold, count)
    wrong = data.draw(st.sets(st.integers(0, count - 1), max_size=count - threshold))
    rng = random.Random(seed)
    bad = [
        shamir.Share(s.x, group.scalar_from_int(rng.randrange(group.ORDER))) if i in wrong else s
        for i, s in enumerate(shares)
    ]
    result = shamir.recover(bad, threshold, lambda s: s == secret)
    assert result.secret == secret
    assert {bad.index(s) for s in result.rejected} == wrong
