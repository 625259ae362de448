import { test } from "node:test";
import assert from "node:assert/strict";
import * as envelope from "../../mend/static/js/crypto/envelope.js";
import {
  PURPOSE_ESCROW_SHARE,
  PURPOSE_RECORD,
  PURPOSE_RECORD_KEY,
} from "../../mend/static/js/crypto/labels.js";
import { toHex, utf8 } from "../../mend/static/js/crypto/bytes.js";
import {
  CryptoError,
  DecryptionError,
  UnsupportedVersionError,
} from "../../mend/static/js/crypto/errors.js";
import { flip, h, project } from "./vectors.mjs";

const VECTORS = project("envelope.json");
const ctxOf = (c) => envelope.context(c.purpose, c.object_id, c.object_version);
const KEY = Uint8Array.from({ length: 32 }, (_, i) => i);
const CTX = envelope.context(PURPOSE_RECORD, "record-1", 4);

test("it encodes the associated data canonically and refuses bad contexts", () => {
  for (const c of VECTORS.contexts)
    assert.equal(toHex(envelope.encodeContext(ctxOf(c))), c.encoded);
  for (const c of VECTORS.bad_contexts) assert.throws(() => ctxOf(c), CryptoError);
});

test("it reproduces the envelope and key wrapping vectors", () => {
  for (const c of VECTORS.encrypt) {
    const sealed = envelope.encrypt(h(c.key), h(c.plaintext), ctxOf(c.context), {
      nonce: h(c.nonce),
    });
    assert.equal(toHex(sealed), c.envelope);
    assert.deepEqual(envelope.decrypt(h(c.key), sealed, ctxOf(c.context)), h(c.plaintext));
  }
  const [w] = VECTORS.wrap_key;
  const wrapped = envelope.wrapKey(h(w.wrapping_key), h(w.key), ctxOf(w.context), {
    nonce: h(w.nonce),
  });
  assert.equal(toHex(wrapped), w.wrapped);
  assert.deepEqual(envelope.unwrapKey(h(w.wrapping_key), wrapped, ctxOf(w.context)), h(w.key));
});

test("it opens and reproduces the sealed box vector", () => {
  const [c] = VECTORS.sealed;
  const keys = envelope.boxKeypair(h(c.recipient_seed));
  assert.equal(toHex(keys.publicKey), c.recipient_public_key);
  assert.deepEqual(envelope.openSealed(keys, h(c.sealed), ctxOf(c.context)), h(c.message));
  const again = envelope.seal(keys.publicKey, h(c.message), ctxOf(c.context), {
    ephemeralSeed: h(c.ephemeral_seed),
  });
  assert.equal(toHex(again), c.sealed);
});

test("it refuses a wrong key, context, version byte, truncation or any flipped bit", () => {
  const sealed = envelope.encrypt(KEY, utf8("secret"), CTX);
  assert.throws(() => envelope.decrypt(new Uint8Array(32), sealed, CTX), DecryptionError);
  for (const other of [
    envelope.context(PURPOSE_RECORD_KEY, "record-1", 4),
    envelope.context(PURPOSE_RECORD, "record-2", 4),
    envelope.context(PURPOSE_RECORD, "record-1", 5),
  ]) {
    assert.throws(() => envelope.decrypt(KEY, sealed, other), DecryptionError);
  }
  assert.throws(
    () => envelope.decrypt(KEY, Uint8Array.of(2, ...sealed.slice(1)), CTX),
    UnsupportedVersionError,
  );
  for (let cut = 1; cut <= sealed.length; cut++) {
    assert.throws(
      () => envelope.decrypt(KEY, sealed.slice(0, sealed.length - cut), CTX),
      DecryptionError,
    );
  }
  for (let index = 0; index < sealed.length; index++) {
    assert.throws(() => envelope.decrypt(KEY, flip(sealed, index, index % 8), CTX), CryptoError);
  }
  assert.throws(() => envelope.encrypt(new Uint8Array(16), utf8("x"), CTX), /32 bytes/);
  assert.throws(
    () => envelope.unwrapKey(KEY, envelope.encrypt(KEY, new Uint8Array(31), CTX), CTX),
    /32 bytes/,
  );
});

test("it seals to a public key that only its owner opens, in this context", () => {
  const owner = envelope.boxKeypair();
  const stranger = envelope.boxKeypair();
  const ctx = envelope.context(PURPOSE_ESCROW_SHARE, "entry-1", 1);
  const sealed = envelope.seal(owner.publicKey, utf8("share"), ctx);
  assert.deepEqual(envelope.openSealed(owner, sealed, ctx), utf8("share"));
  assert.throws(() => envelope.openSealed(stranger, sealed, ctx), DecryptionError);
  assert.throws(() => envelope.openSealed(owner, flip(sealed, 60), ctx), DecryptionError);
  assert.throws(
    () => envelope.openSealed(owner, sealed, envelope.context(PURPOSE_ESCROW_SHARE, "entry-2", 1)),
    /different context/,
  );
  assert.throws(() => envelope.seal(new Uint8Array(32), utf8("x"), ctx), /cannot be used/);
});
