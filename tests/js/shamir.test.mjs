import { test } from "node:test";
import assert from "node:assert/strict";
import * as shamir from "../../mend/static/js/crypto/shamir.js";
import * as envelope from "../../mend/static/js/crypto/envelope.js";
import * as escrow from "../../mend/static/js/crypto/escrow.js";
import * as group from "../../mend/static/js/crypto/group.js";
import * as oprf from "../../mend/static/js/crypto/oprf.js";
import { canonicalise, oprfInput } from "../../mend/static/js/crypto/canonical.js";
import { ESCROW_OPRF_KEY_INFO } from "../../mend/static/js/crypto/labels.js";
import { toHex, utf8 } from "../../mend/static/js/crypto/bytes.js";
import { CryptoError, RecoveryError, ShareError } from "../../mend/static/js/crypto/errors.js";
import { h, project } from "./vectors.mjs";

const SHAMIR = project("shamir.json");
const ESCROW = project("escrow.json");
const sharesOf = (list) => list.map((s) => ({ x: h(s.x), y: h(s.y) }));
const ctxOf = (c) => envelope.context(c.purpose, c.object_id, c.object_version);

test("it reproduces share_at and split, and interpolates from any t shares", () => {
  for (const c of SHAMIR.share_at) {
    assert.equal(toHex(shamir.shareAt(h(c.secret), c.coefficients.map(h), h(c.x))), c.y);
  }
  for (const c of SHAMIR.split) {
    const shares = shamir.split(h(c.secret), c.threshold, c.shares.length, {
      coefficients: c.coefficients.map(h),
    });
    assert.deepEqual(shares, sharesOf(c.shares));
    for (let start = 0; start + c.threshold <= shares.length; start++) {
      assert.equal(toHex(shamir.interpolate(shares.slice(start, start + c.threshold))), c.secret);
    }
  }
});

test("it recovers despite wrong shares and names the same ones as Python", () => {
  for (const c of SHAMIR.recover) {
    const shares = sharesOf(c.shares);
    const opens = (secret) => {
      try {
        envelope.unwrapKey(escrow.entryWrapKey(secret), h(c.wrapped_entry_key), ctxOf(c.context));
        return true;
      } catch {
        return false;
      }
    };
    const result = shamir.recover(shares, c.threshold, opens);
    assert.equal(toHex(result.secret), c.secret);
    assert.deepEqual(
      result.rejected.map((s) => shares.indexOf(s)),
      c.rejected,
    );
  }
});

test("it refuses bad share sets and gives up when no subset verifies", () => {
  for (const c of SHAMIR.errors) {
    assert.throws(() => shamir.interpolate(sharesOf(c.shares)), CryptoError, c.why);
  }
  const shares = shamir.split(group.scalarFromInt(1), 2, 4);
  assert.throws(() => shamir.recover(shares, 2, () => false), RecoveryError);
  assert.throws(() => shamir.recover(shares, 2, () => true, { maxAttempts: 0 }), RecoveryError);
  assert.throws(() => shamir.split(group.scalarFromInt(1), 1, 3), ShareError);
});

test("it recovers random secrets from random subsets with some shares corrupted", () => {
  for (let round = 0; round < 20; round++) {
    const threshold = 2 + (round % 3);
    const secret = group.randomScalar();
    const shares = shamir.split(secret, threshold, threshold + 2);
    shares[round % shares.length] = { x: shares[round % shares.length].x, y: group.randomScalar() };
    const result = shamir.recover(shares, threshold, (s) => toHex(s) === toHex(secret));
    assert.equal(toHex(result.secret), toHex(secret));
    assert.equal(result.rejected.length, 1);
  }
});

test("it derives the escrow secrets, x-coordinates and share payloads", () => {
  for (const c of ESCROW.secrets) {
    const s = escrow.deriveEscrowSecrets(h(c.oprf_output), c.threshold);
    assert.equal(toHex(s.matchIndex), c.match_index);
    assert.equal(toHex(s.secret), c.secret);
    assert.deepEqual(s.coefficients.map(toHex), c.coefficients);
    assert.equal(toHex(escrow.entryWrapKey(s.secret)), c.entry_wrap_key);
  }
  for (const c of ESCROW.x_coordinates)
    assert.equal(toHex(escrow.xCoordinate(h(c.escrow_id))), c.x);
  const [p] = ESCROW.payloads;
  const payload = escrow.encodeSharePayload({ x: h(p.x), y: h(p.y) }, h(p.wrapped_entry_key));
  assert.equal(toHex(payload), p.payload);
  assert.deepEqual(escrow.decodeSharePayload(payload), {
    share: { x: h(p.x), y: h(p.y) },
    wrappedEntryKey: h(p.wrapped_entry_key),
  });
  assert.throws(() => escrow.decodeSharePayload(payload.slice(0, 65)), ShareError);
  assert.throws(() => escrow.xCoordinate(new Uint8Array(15)), CryptoError);
});

test("it reproduces a whole escrow submission end to end, as the browser would", () => {
  const e = ESCROW.end_to_end;
  const identifier = canonicalise(e.kind, e.text);
  assert.equal(identifier, e.identifier);
  const input = oprfInput(identifier);
  assert.equal(toHex(input), e.oprf_input);
  const server = oprf.deriveKeyPair(h(e.server_seed), utf8(ESCROW_OPRF_KEY_INFO), oprf.Mode.VOPRF);
  assert.equal(toHex(server.publicKey), e.server_public_key);
  const blinded = oprf.blind(input, oprf.Mode.VOPRF, { blind: h(e.blind) });
  assert.equal(toHex(blinded.blindedElement), e.blinded_element);
  const evaluation = { evaluatedElements: [h(e.evaluated_element)], proof: h(e.proof) };
  const [output] = oprf.finalizeVerifiable([input], [blinded], evaluation, h(e.server_public_key));
  assert.equal(toHex(output), e.oprf_output);
  const secrets = escrow.deriveEscrowSecrets(output, 2);
  assert.equal(toHex(secrets.matchIndex), e.match_index);
  const x = escrow.xCoordinate(h(e.escrow_id));
  const wrapped = envelope.wrapKey(
    escrow.entryWrapKey(secrets.secret),
    h(e.entry_key),
    ctxOf(e.entry_context),
    { nonce: h(e.entry_nonce) },
  );
  assert.equal(toHex(wrapped), e.wrapped_entry_key);
  const payload = escrow.encodeSharePayload({ x, y: escrow.shareFor(secrets, x) }, wrapped);
  assert.equal(toHex(payload), e.payload);
  const counselor = envelope.boxKeypair(h(e.counselor_seed));
  const sealed = envelope.seal(counselor.publicKey, payload, ctxOf(e.share_context), {
    ephemeralSeed: h(e.ephemeral_seed),
  });
  assert.equal(toHex(sealed), e.sealed);
});
