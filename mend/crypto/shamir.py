"""Shamir secret sharing over the ristretto255 scalar field (integers modulo L).

A secret s and coefficients a_1..a_(t-1) define f(x) = s + a_1 x + ... + a_(t-1) x^(t-1);
a share is (x, f(x)) for a non-zero x. Any t shares give s by Lagrange interpolation at 0.

Guarantees:
- Fewer than t shares reveal nothing about s (information-theoretically), provided the
  coefficients are uniformly random or derived from a secret the holders do not know.
- `recover` never trusts a share: it returns a secret only if the caller's verifier accepts it
  (e.g. it authenticates a ciphertext under a key derived from s), and names every share that
  does not lie on the same polynomial.
- Shares with x = 0 (which would be the secret itself) or a repeated x are refused.

Not protected: shares are not authenticated on their own; a bad share is detected only
through the verifier. Recovery tries t-subsets, so its cost grows as C(n, t).
"""

from __future__ import annotations

import hmac
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mend.crypto import group
from mend.crypto.errors import RecoveryError, ShareError

#: The most t-subsets `recover` tries by default before giving up.
MAX_ATTEMPTS = 10_000


@dataclass(frozen=True)
class Share:
    """A point (x, y) of the polynomial, both canonical 32-byte scalars."""

    x: bytes
    y: bytes


@dataclass(frozen=True)
class Recovery:
    """The recovered secret, the shares on its polynomial and those that are not."""

    secret: bytes
    fitting: tuple[Share, ...]
    rejected: tuple[Share, ...]


def share_at(secret: bytes, coefficients: Sequence[bytes], x: bytes) -> bytes:
    """f(x) for f = secret + sum(coefficients[i-1] * x^i); needs t - 1 >= 1 coefficients."""
    if not coefficients:
        raise ShareError("a threshold of at least 2 needs at least one coefficient")
    terms = [group.scalar(secret, "secret")]
    terms += [group.scalar(a, "coefficient") for a in coefficients]
    group.scalar(x, "x-coordinate", nonzero=True)
    value = terms[-1]
    for term in reversed(terms[:-1]):  # Horner's rule
        value = group.scalar_add(group.scalar_mul(value, x), term)
    return value


def split(
    secret: bytes,
    threshold: int,
    count: int,
    *,
    coefficients: Sequence[bytes] | None = None,
) -> list[Share]:
    """Shares at x = 1..count of which any `threshold` recover `secret`.

    Coefficients are random unless given (the escrow derives them; see mend.crypto.escrow).
    """
    if threshold < 2 or count < threshold:
        raise ShareError("need 2 <= threshold <= count")
    if coefficients is None:
        coefficients = [group.random_scalar() for _ in range(threshold - 1)]
    if len(coefficients) != threshold - 1:
        raise ShareError(f"a threshold of {threshold} needs {threshold - 1} coefficients")
    xs = [group.scalar_from_int(i) for i in range(1, count + 1)]
    return [Share(x, share_at(secret, coefficients, x)) for x in xs]


def interpolate(shares: Sequence[Share]) -> bytes:
    """The value at 0 of the polynomial of degree < len(shares) through all the shares."""
    _check_shares(shares, 2)
    return _value_at(shares, group.ZERO)


def recover(
    shares: Sequence[Share],
    threshold: int,
    verify: Callable[[bytes], bool],
    *,
    max_attempts: int = MAX_ATTEMPTS,
) -> Recovery:
    """Find the secret that some `threshold` shares agree on and `verify` accepts.

    Tries t-subsets in input order, skipping secrets already rejected. Raises RecoveryError if
    no subset yields an accepted secret within `max_attempts` subsets.
    """
    if threshold < 2:
        raise ShareError("the threshold must be at least 2")
    _check_shares(shares, threshold)
    rejected_secrets: set[bytes] = set()
    subsets = itertools.combinations(shares, threshold)
    for subset in itertools.islice(subsets, max_attempts):
        secret = _value_at(subset, group.ZERO)
        if secret in rejected_secrets:
            continue
        if verify(secret):
            return _sort_out(secret, subset, shares)
        rejected_secrets.add(secret)
    raise RecoveryError(f"no {threshold} of these {len(shares)} shares give an accepted secret")


def _sort_out(secret: bytes, subset: Sequence[Share], shares: Sequence[Share]) -> Recovery:
    fitting: list[Share] = []
    rejected: list[Share] = []
    for share in shares:
        fits = share in subset or hmac.compare_digest(_value_at(subset, share.x), share.y)
        (fitting if fits else rejected).append(share)
    return Recovery(secret, tuple(fitting), tuple(rejected))


def _value_at(points: Sequence[Share], x: bytes) -> bytes:
    """Lagrange interpolation of the points, evaluated at x."""
    total = group.ZERO
    for i, p in enumerate(points):
        numerator = denominator = group.scalar_from_int(1)
        for j, q in enumerate(points):
            if i != j:
                numerator = group.scalar_mul(numerator, group.scalar_sub(x, q.x))
                denominator = group.scalar_mul(denominator, group.scalar_sub(p.x, q.x))
        weight = group.scalar_mul(numerator, group.scalar_invert(denominator))
        total = group.scalar_add(total, group.scalar_mul(weight, p.y))
    return total


def _check_shares(shares: Sequence[Share], minimum: int) -> None:
    if len(shares) < minimum:
        raise ShareError(f"need at least {minimum} shares, got {len(shares)}")
    seen: set[bytes] = set()
    for share in shares:
        group.scalar(share.x, "x-coordinate", nonzero=True)
        group.scalar(share.y, "share value")
        if share.x in seen:
            raise ShareError("two shares have the same x-coordinate")
        seen.add(share.x)
