// group, labels and HKDF/Argon2id twins against the shared vectors.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as group from "../../mend/static/js/crypto/group.js";
import * as labels from "../../mend/static/js/crypto/labels.js";
import * as kdf from "../../mend/static/js/crypto/kdf.js";
import { toHex, utf8 } from "../../mend/static/js/crypto/bytes.js";
import {
  CryptoError,
  InvalidElementError,
  InvalidScalarError,
  ParamsError,
} from "../../mend/static/js/crypto/errors.js";
import { h, project } from "./vectors.mjs";

const XMD_DST = utf8("QUUX-V01-CS02-with-expander-SHA512-256");

test("it matches the RFC 9380 expand_message_xmd(SHA-512) vectors", () => {
  assert.equal(
    toHex(group.expandMessageXmd(utf8(""), XMD_DST, 32)),
    "6b9a7312411d92f921c6f68ca0b6380730a1a4d982c507211a90964c394179ba",
  );
  assert.equal(
    toHex(group.expandMessageXmd(utf8("abc"), XMD_DST, 32)),
    "0da749f12fbe5483eb066a5f595055679b976e93abe9be6f0f6318bce7aca8dc",
  );
  assert.equal(
    toHex(group.expandMessageXmd(utf8("abc"), XMD_DST, 128)),
    "7f1dddd13c08b543f2e2037b14cefb255b44c83cc397c1786d975653e36a6b11bdd7732d8b38adb4a0edc2" +
      "6a0cef4bb45217135456e58fbca1703cd6032cb1347ee720b87972d63fbf232587043ed2901bce7f22610c" +
      "0419751c065922b488431851041310ad659e4b23520e1772ab29dcdeb2002222a363f0c2b1c972b3efe1",
  );
  assert.throws(() => group.expandMessageXmd(utf8(""), new Uint8Array(0), 32), CryptoError);
  assert.throws(() => group.expandMessageXmd(utf8(""), XMD_DST, 65536), CryptoError);
});

test("it checks elements and scalars like the Python twin", () => {
  assert.equal(group.element(group.GENERATOR), group.GENERATOR);
  assert.throws(() => group.element(group.IDENTITY), /identity/);
  assert.throws(() => group.element(new Uint8Array(32).fill(0xff)), InvalidElementError);
  const order = group.scalarFromInt(group.ORDER - 1n);
  assert.equal(group.scalar(order), order);
  order[0] += 1;
  assert.throws(() => group.scalar(order), /not below/);
  assert.throws(() => group.scalar(new Uint8Array(31)), InvalidScalarError);
  assert.throws(() => group.scalarFromInt(group.ORDER), InvalidScalarError);
  assert.throws(() => group.scalarInvert(group.ZERO), /no inverse/);
  assert.deepEqual(group.mul(group.ZERO, group.GENERATOR), group.IDENTITY);
  assert.deepEqual(group.mulBase(group.ZERO), group.IDENTITY);
  assert.deepEqual(group.mulBase(group.scalarFromInt(1)), group.GENERATOR);
});

test("it accepts and refuses the shared element encodings (bit 255 set is refused)", () => {
  const vectors = project("group.json");
  for (const encoding of vectors.valid) assert.deepEqual(group.element(h(encoding)), h(encoding));
  for (const c of vectors.invalid) {
    assert.throws(() => group.element(h(c.element)), InvalidElementError, c.why);
  }
});

test("it pins every label to the shared file", () => {
  const vectors = project("labels.json");
  assert.equal(labels.ESCROW_OPRF_PREFIX, vectors.oprf_prefix);
  assert.equal(labels.ESCROW_OPRF_KEY_INFO, vectors.oprf_key_info);
  assert.equal(labels.RECEIPT_DOMAIN, vectors.receipt_domain);
  for (const [name, value] of Object.entries(vectors.hkdf)) assert.equal(labels[name], value, name);
  for (const [name, value] of Object.entries(vectors.purposes))
    assert.equal(labels[name], value, name);
  assert.deepEqual([...labels.HKDF_LABELS].sort(), Object.values(vectors.hkdf).sort());
  assert.deepEqual([...labels.PURPOSES].sort(), Object.values(vectors.purposes).sort());
  assert.throws(() => labels.escrowCoefficientLabel(0), CryptoError);
});

test("it reproduces the HKDF vectors and the per-label keys and scalars", () => {
  const vectors = project("hkdf.json");
  for (const c of vectors.hkdf) {
    const prk = kdf.hkdfExtract(h(c.salt), h(c.ikm));
    assert.equal(toHex(prk), c.prk);
    assert.equal(toHex(kdf.hkdfExpand(prk, h(c.info), c.length)), c.okm);
  }
  const ikm = h(vectors.derive_key_ikm);
  for (const c of vectors.derive_key)
    assert.equal(toHex(kdf.deriveKey(ikm, c.label)), c.okm, c.label);
  for (const c of vectors.derive_scalar)
    assert.equal(toHex(kdf.deriveScalar(ikm, c.label)), c.scalar, c.label);
  assert.throws(() => kdf.deriveKey(ikm, "mend-vault-v1/typo"), /unknown HKDF label/);
  for (const label of vectors.derive_key_refused) {
    assert.throws(() => kdf.deriveKey(ikm, label), /unknown HKDF label/, label);
    assert.throws(() => kdf.deriveScalar(ikm, label), /unknown HKDF label/, label);
  }
  assert.throws(() => kdf.hkdfExpand(ikm, new Uint8Array(0), 255 * 64 + 1), CryptoError);
});

test("it reproduces the Argon2id vectors, NFC normalisation included", () => {
  const vectors = project("argon2id.json");
  for (const c of vectors.argon2id) {
    const params = kdf.paramsFromDict(c.params);
    assert.deepEqual(kdf.paramsToDict(params), c.params);
    assert.equal(toHex(kdf.argon2id(c.passphrase, params)), c.output, c.passphrase);
  }
  assert.throws(
    () => kdf.argon2id("", kdf.paramsFromDict(vectors.argon2id[0].params)),
    ParamsError,
  );
});

test("it derives the vault keys with production parameters and refuses weaker ones", () => {
  const vectors = project("argon2id.json");
  const [c] = vectors.vault_keys;
  const keys = kdf.deriveVaultKeys(c.passphrase, kdf.paramsFromDict(c.params));
  assert.equal(toHex(keys.authKey), c.auth_key);
  assert.equal(toHex(keys.encKey), c.enc_key);
  for (const weak of vectors.weak_for_vault) {
    assert.throws(() => kdf.deriveVaultKeys("passphrase", kdf.paramsFromDict(weak)), /weaker/);
  }
  for (const bad of vectors.malformed_params)
    assert.throws(() => kdf.paramsFromDict(bad), ParamsError);
  const fresh = kdf.newParams();
  assert.equal(kdf.needsUpgrade(fresh), false);
  assert.notDeepEqual(fresh.salt, kdf.newParams().salt);
});
