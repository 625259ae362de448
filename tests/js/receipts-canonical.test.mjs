import { test } from "node:test";
import assert from "node:assert/strict";
import * as receipts from "../../mend/static/js/crypto/receipts.js";
import {
  canonicalEmail,
  canonicalise,
  EMAIL_PROVIDERS,
  oprfInput,
  PLATFORMS,
  tagIdentifiers,
} from "../../mend/static/js/crypto/canonical.js";
import { toHex } from "../../mend/static/js/crypto/bytes.js";
import { InvalidIdentifier, ReceiptError } from "../../mend/static/js/crypto/errors.js";
import { h, project } from "./vectors.mjs";

const RECEIPTS = project("receipts.json");
const CANONICAL = project("canonical.json");
const run = (c) => canonicalise(c.kind, c.input, { region: c.region, platform: c.platform });

test("it verifies the receipt vectors and rebuilds the signed message", () => {
  for (const c of RECEIPTS.receipts) {
    const receipt = receipts.parseReceipt(c.json);
    receipts.verifyReceipt(receipt, h(RECEIPTS.public_key));
    receipts.checkCiphertext(receipt, h(c.ciphertext));
    const message = receipts.receiptMessage(
      receipt.objectId,
      receipt.version,
      receipt.ciphertextSha256,
      receipt.receivedAt,
    );
    assert.equal(toHex(message), c.message);
  }
});

test("it refuses every forged receipt", () => {
  for (const c of RECEIPTS.forged) {
    assert.throws(
      () => receipts.verifyReceipt(receipts.parseReceipt(c.json), h(RECEIPTS.public_key)),
      ReceiptError,
      c.why,
    );
  }
  const receipt = receipts.parseReceipt(RECEIPTS.receipts[0].json);
  assert.throws(() => receipts.verifyReceipt(receipt, new Uint8Array(32)), /different public key/);
  assert.throws(() => receipts.checkCiphertext(receipt, new Uint8Array(1)), /not the one/);
  assert.throws(() => receipts.parseReceipt("not json"), ReceiptError);
});

test("it canonicalises every valid vector exactly as Python does", () => {
  for (const c of CANONICAL.valid) assert.equal(run(c), c.output, c.input);
});

test("it refuses every invalid vector with the same error code as Python", () => {
  for (const c of CANONICAL.invalid) {
    assert.throws(
      () => run(c),
      (error) => error instanceof InvalidIdentifier && error.code === c.code,
      `${c.input} should be ${c.code}`,
    );
  }
});

test("it agrees with the WHATWG URL parser on every valid email domain", () => {
  for (const c of CANONICAL.valid.filter((v) => v.kind === "email")) {
    const domain = c.input
      .trim()
      .replace(/^\u200b|\u200b$/g, "")
      .split("@")[1]
      .replace(/\.$/, "");
    const hostname = new URL(`http://${domain}/`).hostname;
    assert.equal(c.output.split("@")[1], EMAIL_PROVIDERS[hostname]?.domain ?? hostname, c.input);
  }
});

test("it applies the same email provider table as Python", () => {
  assert.deepEqual(
    Object.fromEntries(Object.entries(EMAIL_PROVIDERS).map(([d, p]) => [d, { ...p }])),
    CANONICAL.email_providers,
  );
});

test("it gives the form without provider rules exactly as Python does", () => {
  for (const c of CANONICAL.valid.filter((v) => v.kind === "email")) {
    assert.equal(canonicalEmail(c.input, { providerRules: false }), c.without_provider_rules);
  }
});

test("it tags an entry's identifiers exactly as Python does", () => {
  for (const c of CANONICAL.tag_identifiers) {
    assert.deepEqual(tagIdentifiers(c.identifier), c.tags, c.identifier);
  }
});

test("it prefixes the OPRF input and keeps platforms apart", () => {
  const [c] = CANONICAL.oprf_input;
  assert.equal(toHex(oprfInput(c.identifier)), c.bytes);
  for (const bad of CANONICAL.oprf_input_invalid) {
    assert.throws(
      () => oprfInput(bad.identifier),
      (error) => error instanceof InvalidIdentifier && error.code === bad.code,
    );
  }
  const outputs = new Set(
    PLATFORMS.map((p) => canonicalise("social", "samehandle", { platform: p })),
  );
  assert.equal(outputs.size, PLATFORMS.length);
});
