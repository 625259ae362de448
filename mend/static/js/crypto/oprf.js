// RFC 9497 OPRF (mode 0x00) and VOPRF (mode 0x01), suite ristretto255-SHA512.
// Twin of mend/crypto/oprf.py (see its docstring for what is and is not protected).
// The browser runs blind() and finalize*(); the server functions are here for the vectors.
// Randomness (blinds, proof nonces) is injectable only to reproduce test vectors.
import sodium from "./sodium.js";
import * as group from "./group.js";
import { concat, equal, i2osp, lp, utf8 } from "./bytes.js";
import {
  DeriveKeyPairError,
  InvalidElementError,
  InvalidInputError,
  InvalidScalarError,
  VerifyError,
} from "./errors.js";

export const Mode = Object.freeze({ OPRF: 0, VOPRF: 1 });
export const SEED_BYTES = 32;
export const PROOF_BYTES = 64;
const MAX_INPUT = 65535;
const SUITE = utf8("ristretto255-SHA512");

export function contextString(mode) {
  return concat(utf8("OPRFV1-"), i2osp(mode, 1), utf8("-"), SUITE);
}

export function deriveKeyPair(seed, info, mode) {
  if (seed.length !== SEED_BYTES) throw new InvalidInputError(`seed must be ${SEED_BYTES} bytes`);
  const deriveInput = concat(seed, lp(info));
  const dst = concat(utf8("DeriveKeyPair"), contextString(mode));
  for (let counter = 0; counter < 256; counter++) {
    const secretKey = group.hashToScalar(concat(deriveInput, i2osp(counter, 1)), dst);
    if (!equal(secretKey, group.ZERO)) {
      return { secretKey, publicKey: group.mulBase(secretKey) };
    }
  }
  throw new DeriveKeyPairError("no non-zero scalar after 256 attempts");
}

export function publicKey(secretKey) {
  return group.mulBase(group.scalar(secretKey, "secret key", { nonzero: true }));
}

// Client: hash the input to the group and blind it with a fresh random scalar.
export function blind(input, mode, { blind: r = null } = {}) {
  checkInput(input);
  const point = group.hashToGroup(input, concat(utf8("HashToGroup-"), contextString(mode)));
  if (equal(point, group.IDENTITY)) {
    throw new InvalidInputError("the input hashes to the identity element");
  }
  const b = r === null ? group.randomScalar() : group.scalar(r, "blind", { nonzero: true });
  return { blind: b, blindedElement: group.mul(b, point) };
}

export function blindEvaluate(secretKey, blindedElement) {
  return group.mul(secretKey, group.element(blindedElement, "blinded element"));
}

export function blindEvaluateVerifiable(
  secretKey,
  pk,
  blindedElements,
  { proofNonce = null } = {},
) {
  if (blindedElements.length === 0) throw new InvalidInputError("nothing to evaluate");
  const evaluatedElements = blindedElements.map((b) => blindEvaluate(secretKey, b));
  const proof = generateProof(secretKey, pk, blindedElements, evaluatedElements, proofNonce);
  return { evaluatedElements, proof };
}

// Client, OPRF mode: unblind and hash to the 64-byte output.
export function finalize(input, blindScalar, evaluatedElement) {
  checkInput(input);
  const inverse = group.scalarInvert(group.scalar(blindScalar, "blind", { nonzero: true }));
  const unblinded = group.mul(inverse, group.element(evaluatedElement, "evaluated element"));
  return sodium.crypto_hash_sha512(concat(lp(input), lp(unblinded), utf8("Finalize")));
}

// Client, VOPRF mode: verify the proof against the published key, then finalize each input.
export function finalizeVerifiable(inputs, blinds, evaluation, pk) {
  const n = inputs.length;
  if (n === 0 || blinds.length !== n || evaluation.evaluatedElements.length !== n) {
    throw new InvalidInputError("inputs, blinds and evaluations must pair up one to one");
  }
  const blinded = blinds.map((b) => b.blindedElement);
  verifyProof(pk, blinded, evaluation.evaluatedElements, evaluation.proof);
  return inputs.map((input, i) =>
    finalize(input, blinds[i].blind, evaluation.evaluatedElements[i]),
  );
}

export function generateProof(secretKey, pk, blinded, evaluated, nonce = null) {
  const [m, z] = composites(pk, blinded, evaluated, secretKey);
  const r = nonce === null ? group.randomScalar() : group.scalar(nonce, "proof nonce");
  const t2 = group.mulBase(r);
  const t3 = group.mul(r, m);
  const c = challenge(pk, m, z, t2, t3);
  return concat(c, group.scalarSub(r, group.scalarMul(c, secretKey)));
}

// Throws VerifyError unless the proof shows that log_G(pk) = log_M(Z).
export function verifyProof(pk, blinded, evaluated, proof) {
  let c, s, m, z;
  try {
    group.element(pk, "public key");
    for (const e of [...blinded, ...evaluated]) group.element(e);
    if (proof.length !== PROOF_BYTES) {
      throw new InvalidScalarError(`proof must be ${PROOF_BYTES} bytes`);
    }
    c = group.scalar(proof.slice(0, 32), "proof challenge");
    s = group.scalar(proof.slice(32), "proof response");
    [m, z] = composites(pk, blinded, evaluated, null);
  } catch (error) {
    if (error instanceof InvalidElementError || error instanceof InvalidScalarError) {
      throw new VerifyError(`malformed proof or elements: ${error.message}`);
    }
    throw error;
  }
  const t2 = group.add(group.mulBase(s), group.mul(c, pk));
  const t3 = group.add(group.mul(s, m), group.mul(c, z));
  if (!equal(challenge(pk, m, z, t2, t3), c)) {
    throw new VerifyError("the server's proof does not match its public key");
  }
}

// ComputeComposites; with the secret key, ComputeCompositesFast (Z = k * M).
function composites(pk, blinded, evaluated, secretKey) {
  if (blinded.length === 0 || blinded.length !== evaluated.length) {
    throw new InvalidElementError("blinded and evaluated elements must pair up one to one");
  }
  const context = contextString(Mode.VOPRF);
  const seed = sodium.crypto_hash_sha512(concat(lp(pk), lp(concat(utf8("Seed-"), context))));
  const dst = concat(utf8("HashToScalar-"), context);
  let m = group.IDENTITY;
  let z = group.IDENTITY;
  blinded.forEach((ci, i) => {
    const di = evaluated[i];
    const transcript = concat(lp(seed), i2osp(i, 2), lp(ci), lp(di), utf8("Composite"));
    const weight = group.hashToScalar(transcript, dst);
    m = accumulate(m, group.mul(weight, ci));
    if (secretKey === null) z = accumulate(z, group.mul(weight, di));
  });
  if (secretKey !== null) z = group.mul(secretKey, m);
  return [m, z];
}

function accumulate(total, term) {
  return equal(total, group.IDENTITY) ? term : group.add(total, term);
}

function challenge(pk, m, z, t2, t3) {
  const transcript = concat(lp(pk), lp(m), lp(z), lp(t2), lp(t3), utf8("Challenge"));
  return group.hashToScalar(transcript, concat(utf8("HashToScalar-"), contextString(Mode.VOPRF)));
}

function checkInput(input) {
  if (input.length > MAX_INPUT)
    throw new InvalidInputError(`input is longer than ${MAX_INPUT} bytes`);
}
