import { test } from "node:test";
import assert from "node:assert/strict";
import * as oprf from "../../mend/static/js/crypto/oprf.js";
import * as group from "../../mend/static/js/crypto/group.js";
import { toHex, utf8 } from "../../mend/static/js/crypto/bytes.js";
import {
  InvalidElementError,
  InvalidInputError,
  InvalidScalarError,
  VerifyError,
} from "../../mend/static/js/crypto/errors.js";
import { flip, h, hs, rfc9497 } from "./vectors.mjs";

const SUITES = rfc9497();
const VOPRF = SUITES.find((s) => s.mode === 1);
const KEYS = oprf.deriveKeyPair(h(VOPRF.seed), h(VOPRF.keyInfo), oprf.Mode.VOPRF);

test("it reads both official suites", () => {
  assert.deepEqual(SUITES.map((s) => s.mode).sort(), [0, 1]);
  assert.equal(SUITES.flatMap((s) => s.vectors).length, 5);
});

for (const suite of SUITES) {
  test(`it derives the RFC key pair (mode ${suite.mode})`, () => {
    const keys = oprf.deriveKeyPair(h(suite.seed), h(suite.keyInfo), suite.mode);
    assert.equal(toHex(keys.secretKey), suite.skSm);
    assert.deepEqual(oprf.publicKey(keys.secretKey), keys.publicKey);
    if (suite.pkSm) assert.equal(toHex(keys.publicKey), suite.pkSm);
  });

  for (const vector of suite.vectors) {
    const name = `mode ${suite.mode} batch ${vector.Batch} input ${vector.Input.slice(0, 8)}`;
    test(`it reproduces the RFC vector ${name}`, () => {
      const keys = oprf.deriveKeyPair(h(suite.seed), h(suite.keyInfo), suite.mode);
      const inputs = hs(vector.Input);
      const blindScalars = hs(vector.Blind);
      const blinds = inputs.map((x, i) => oprf.blind(x, suite.mode, { blind: blindScalars[i] }));
      assert.equal(blinds.map((b) => toHex(b.blindedElement)).join(","), vector.BlindedElement);
      let evaluated;
      let outputs;
      if (suite.mode === oprf.Mode.OPRF) {
        evaluated = blinds.map((b) => oprf.blindEvaluate(keys.secretKey, b.blindedElement));
        outputs = inputs.map((x, i) => oprf.finalize(x, blinds[i].blind, evaluated[i]));
      } else {
        const evaluation = oprf.blindEvaluateVerifiable(
          keys.secretKey,
          keys.publicKey,
          blinds.map((b) => b.blindedElement),
          { proofNonce: h(vector.Proof.r) },
        );
        assert.equal(toHex(evaluation.proof), vector.Proof.proof);
        evaluated = evaluation.evaluatedElements;
        outputs = oprf.finalizeVerifiable(inputs, blinds, evaluation, keys.publicKey);
      }
      assert.equal(evaluated.map(toHex).join(","), vector.EvaluationElement);
      assert.equal(outputs.map(toHex).join(","), vector.Output);
    });
  }
}

function evaluate(input = utf8("someone@example.org")) {
  const blinded = oprf.blind(input, oprf.Mode.VOPRF);
  const evaluation = oprf.blindEvaluateVerifiable(KEYS.secretKey, KEYS.publicKey, [
    blinded.blindedElement,
  ]);
  return { blinded, evaluation };
}

test("it gives the same output for fresh random blinds", () => {
  const input = utf8("someone@example.org");
  const a = evaluate(input);
  const b = evaluate(input);
  assert.notDeepEqual(a.blinded.blind, b.blinded.blind);
  assert.deepEqual(
    oprf.finalizeVerifiable([input], [a.blinded], a.evaluation, KEYS.publicKey),
    oprf.finalizeVerifiable([input], [b.blinded], b.evaluation, KEYS.publicKey),
  );
});

test("it rejects a proof made with another key", () => {
  const other = oprf.deriveKeyPair(new Uint8Array(32), utf8("another key"), oprf.Mode.VOPRF);
  const blinded = oprf.blind(utf8("x"), oprf.Mode.VOPRF);
  const evaluation = oprf.blindEvaluateVerifiable(other.secretKey, other.publicKey, [
    blinded.blindedElement,
  ]);
  assert.throws(
    () => oprf.finalizeVerifiable([utf8("x")], [blinded], evaluation, KEYS.publicKey),
    VerifyError,
  );
});

test("it rejects a proof with a flipped bit anywhere", () => {
  const { blinded, evaluation } = evaluate();
  for (const index of [0, 31, 32, 63]) {
    const bad = {
      evaluatedElements: evaluation.evaluatedElements,
      proof: flip(evaluation.proof, index),
    };
    assert.throws(
      () => oprf.finalizeVerifiable([utf8("someone@example.org")], [blinded], bad, KEYS.publicKey),
      VerifyError,
    );
  }
});

test("it rejects malformed or zero proofs and identity elements", () => {
  const { blinded, evaluation } = evaluate();
  const input = [utf8("someone@example.org")];
  const withProof = (proof) => ({ evaluatedElements: evaluation.evaluatedElements, proof });
  const order = group
    .scalarFromInt(0)
    .map((_, i) => Number((group.ORDER >> BigInt(8 * i)) & 0xffn));
  for (const proof of [
    new Uint8Array(63),
    new Uint8Array([...order, ...new Uint8Array(32)]),
    new Uint8Array(64),
  ]) {
    assert.throws(
      () => oprf.finalizeVerifiable(input, [blinded], withProof(proof), KEYS.publicKey),
      VerifyError,
    );
  }
  assert.throws(
    () => oprf.finalizeVerifiable(input, [blinded], evaluation, group.IDENTITY),
    /identity/,
  );
  const identity = { evaluatedElements: [group.IDENTITY], proof: evaluation.proof };
  assert.throws(
    () => oprf.finalizeVerifiable(input, [blinded], identity, KEYS.publicKey),
    VerifyError,
  );
});

test("it refuses to evaluate the identity or a non-canonical element", () => {
  assert.throws(() => oprf.blindEvaluate(KEYS.secretKey, group.IDENTITY), InvalidElementError);
  assert.throws(
    () => oprf.blindEvaluate(KEYS.secretKey, new Uint8Array(32).fill(0xff)),
    InvalidElementError,
  );
  assert.throws(
    () => oprf.blindEvaluate(KEYS.secretKey, group.scalarFromInt(1)),
    InvalidElementError,
  );
  assert.throws(
    () => oprf.blindEvaluate(KEYS.secretKey, group.GENERATOR.slice(0, 31)),
    InvalidElementError,
  );
});

test("it refuses empty batches, mismatched lengths, bad blinds and long inputs", () => {
  assert.throws(
    () => oprf.blindEvaluateVerifiable(KEYS.secretKey, KEYS.publicKey, []),
    InvalidInputError,
  );
  const { blinded, evaluation } = evaluate();
  assert.throws(
    () => oprf.finalizeVerifiable([utf8("a"), utf8("b")], [blinded], evaluation, KEYS.publicKey),
    InvalidInputError,
  );
  assert.throws(
    () => oprf.blind(utf8("x"), oprf.Mode.OPRF, { blind: group.ZERO }),
    InvalidScalarError,
  );
  assert.throws(() => oprf.blind(new Uint8Array(65536), oprf.Mode.OPRF), InvalidInputError);
  assert.throws(
    () => oprf.deriveKeyPair(new Uint8Array(31), new Uint8Array(0), oprf.Mode.OPRF),
    InvalidInputError,
  );
});
