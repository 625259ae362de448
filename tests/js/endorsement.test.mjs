import { test } from "node:test";
import assert from "node:assert/strict";
import * as endorsement from "../../mend/static/js/crypto/endorsement.js";
import { COUNSELOR_SIGNING_SEED, ENDORSEMENT_DOMAIN } from "../../mend/static/js/crypto/labels.js";
import { toHex } from "../../mend/static/js/crypto/bytes.js";
import sodium from "../../mend/static/js/crypto/sodium.js";
import { h, project } from "./vectors.mjs";

const V = project("endorsement.json");
const OPERATOR = h(V.operator_public_key);

const record = (r) => ({
  keyId: r.key_id,
  ownerId: r.owner_id,
  publicKey: h(r.public_key),
  signingPublicKey: h(r.signing_public_key),
  endorsedBy: r.endorsed_by,
  signature: h(r.signature),
});

test("it pins the labels", () => {
  assert.equal(V.domain, ENDORSEMENT_DOMAIN);
  assert.equal(V.signing_seed_label, COUNSELOR_SIGNING_SEED);
});

test("it derives the signing key from the box secret key as Python does", () => {
  for (const c of V.signing_keys) {
    const pair = endorsement.signingKeypair(h(c.box_secret_key));
    assert.equal(toHex(pair.publicKey), c.signing_public_key);
    assert.equal(endorsement.fingerprint(h(c.public_key), pair.publicKey), c.fingerprint);
  }
});

test("it rebuilds the signed message and verifies the operator's signature", () => {
  for (const c of V.messages) {
    const message = endorsement.endorsementMessage(
      c.key_id,
      c.owner_id,
      h(c.public_key),
      h(c.signing_public_key),
    );
    assert.equal(toHex(message), c.message);
    const pair = sodium.crypto_sign_seed_keypair(h(V.operator_seed));
    const key = {
      keyId: c.key_id,
      ownerId: c.owner_id,
      publicKey: h(c.public_key),
      signingPublicKey: h(c.signing_public_key),
    };
    assert.equal(toHex(endorsement.signEndorsement(pair.privateKey, key)), c.signature);
  }
});

test("it trusts exactly the keys a chain links to the operator", () => {
  for (const c of V.chains) {
    const trusted = endorsement.trustedKeys(c.records.map(record), OPERATOR);
    assert.deepEqual([...trusted].sort(), c.trusted, c.name);
  }
});

test("a colleague's endorsement made in the browser verifies", () => {
  const [carol, dana] = V.signing_keys;
  const signer = endorsement.signingKeypair(h(carol.box_secret_key));
  const key = {
    keyId: "0b0e7d3c-3a43-4d67-9a5e-1f2a3b4c5d6e",
    ownerId: "5f6e7d8c-9b0a-4c1d-8e2f-3a4b5c6d7e8f",
    publicKey: h(dana.signing_public_key),
    signingPublicKey: h(dana.signing_public_key),
  };
  const signature = endorsement.signEndorsement(signer.secretKey, key);
  endorsement.verifyEndorsement({ ...key, signature }, signer.publicKey);
  assert.throws(() => endorsement.verifyEndorsement({ ...key, signature }, OPERATOR));
});
