// Shamir secret sharing over the ristretto255 scalar field. Twin of mend/crypto/shamir.py
// (see its docstring for guarantees). Shares are {x, y}: canonical 32-byte scalars, x != 0.
import * as group from "./group.js";
import { equal } from "./bytes.js";
import { RecoveryError, ShareError } from "./errors.js";

export const MAX_ATTEMPTS = 10000;

// f(x) for f = secret + sum(coefficients[i-1] * x^i); needs at least one coefficient.
export function shareAt(secret, coefficients, x) {
  if (coefficients.length === 0) {
    throw new ShareError("a threshold of at least 2 needs at least one coefficient");
  }
  const terms = [
    group.scalar(secret, "secret"),
    ...coefficients.map((a) => group.scalar(a, "coefficient")),
  ];
  group.scalar(x, "x-coordinate", { nonzero: true });
  let value = terms[terms.length - 1];
  for (let i = terms.length - 2; i >= 0; i--) {
    value = group.scalarAdd(group.scalarMul(value, x), terms[i]); // Horner's rule
  }
  return value;
}

// Shares at x = 1..count; any `threshold` of them recover the secret.
export function split(secret, threshold, count, { coefficients = null } = {}) {
  if (threshold < 2 || count < threshold) throw new ShareError("need 2 <= threshold <= count");
  const coeffs = coefficients ?? Array.from({ length: threshold - 1 }, () => group.randomScalar());
  if (coeffs.length !== threshold - 1) {
    throw new ShareError(`a threshold of ${threshold} needs ${threshold - 1} coefficients`);
  }
  return Array.from({ length: count }, (_, i) => {
    const x = group.scalarFromInt(i + 1);
    return { x, y: shareAt(secret, coeffs, x) };
  });
}

// The value at 0 of the polynomial of degree < shares.length through all the shares.
export function interpolate(shares) {
  checkShares(shares, 2);
  return valueAt(shares, group.ZERO);
}

// Find the secret that some `threshold` shares agree on and `verify` accepts; report the
// shares that do not lie on its polynomial. Throws RecoveryError if there is none.
export function recover(shares, threshold, verify, { maxAttempts = MAX_ATTEMPTS } = {}) {
  if (threshold < 2) throw new ShareError("the threshold must be at least 2");
  checkShares(shares, threshold);
  const rejected = new Set();
  let attempts = 0;
  for (const subset of combinations(shares, threshold)) {
    if (attempts++ >= maxAttempts) break;
    const secret = valueAt(subset, group.ZERO);
    const key = secret.join(",");
    if (rejected.has(key)) continue;
    if (verify(secret)) return sortOut(secret, subset, shares);
    rejected.add(key);
  }
  throw new RecoveryError(
    `no ${threshold} of these ${shares.length} shares give an accepted secret`,
  );
}

function sortOut(secret, subset, shares) {
  const fitting = [];
  const rejected = [];
  for (const share of shares) {
    const fits = subset.includes(share) || equal(valueAt(subset, share.x), share.y);
    (fits ? fitting : rejected).push(share);
  }
  return { secret, fitting, rejected };
}

// t-subsets in the same (lexicographic) order as Python's itertools.combinations.
function* combinations(items, size) {
  const index = Array.from({ length: size }, (_, i) => i);
  while (true) {
    yield index.map((i) => items[i]);
    let i = size - 1;
    while (i >= 0 && index[i] === items.length - size + i) i--;
    if (i < 0) return;
    index[i]++;
    for (let j = i + 1; j < size; j++) index[j] = index[j - 1] + 1;
  }
}

function valueAt(points, x) {
  let total = group.ZERO;
  points.forEach((p, i) => {
    let numerator = group.scalarFromInt(1);
    let denominator = group.scalarFromInt(1);
    points.forEach((q, j) => {
      if (i !== j) {
        numerator = group.scalarMul(numerator, group.scalarSub(x, q.x));
        denominator = group.scalarMul(denominator, group.scalarSub(p.x, q.x));
      }
    });
    const weight = group.scalarMul(numerator, group.scalarInvert(denominator));
    total = group.scalarAdd(total, group.scalarMul(weight, p.y));
  });
  return total;
}

function checkShares(shares, minimum) {
  if (shares.length < minimum) {
    throw new ShareError(`need at least ${minimum} shares, got ${shares.length}`);
  }
  const seen = new Set();
  for (const share of shares) {
    group.scalar(share.x, "x-coordinate", { nonzero: true });
    group.scalar(share.y, "share value");
    const key = share.x.join(",");
    if (seen.has(key)) throw new ShareError("two shares have the same x-coordinate");
    seen.add(key);
  }
}
