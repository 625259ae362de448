// The escrow protocol in JS: a survivor's browser (static/js/escrow/protocol.js) and a
// counselor's (static/js/counselor/open.js, keys.js), with the server played here.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as oprf from "../../mend/static/js/crypto/oprf.js";
import * as envelope from "../../mend/static/js/crypto/envelope.js";
import * as escrow from "../../mend/static/js/crypto/escrow.js";
import * as group from "../../mend/static/js/crypto/group.js";
import * as kdf from "../../mend/static/js/crypto/kdf.js";
import { canonicalise } from "../../mend/static/js/crypto/canonical.js";
import { ESCROW_OPRF_KEY_INFO } from "../../mend/static/js/crypto/labels.js";
import { utf8 } from "../../mend/static/js/crypto/bytes.js";
import { DecryptionError, VerifyError } from "../../mend/static/js/crypto/errors.js";
import * as protocol from "../../mend/static/js/escrow/protocol.js";
import { fromBase64, toBase64 } from "../../mend/static/js/lib/base64.js";
import { openGroup } from "../../mend/static/js/counselor/open.js";
import { endorseKey, makeKey, unlockKey } from "../../mend/static/js/counselor/keys.js";
import * as endorsement from "../../mend/static/js/crypto/endorsement.js";
import { EndorsementError } from "../../mend/static/js/crypto/errors.js";
import sodium from "../../mend/static/js/crypto/sodium.js";
import { listedKey } from "./staff_keys.mjs";

const server = oprf.deriveKeyPair(new Uint8Array(32).fill(7), utf8(ESCROW_OPRF_KEY_INFO), oprf.Mode.VOPRF);
const counselor = envelope.boxKeypair();
const operator = sodium.crypto_sign_seed_keypair(new Uint8Array(32).fill(9));
const CAROL_KEY = "0b0e7d3c-3a43-4d67-9a5e-1f2a3b4c5d6e";
const CAROL = "5f6e7d8c-9b0a-4c1d-8e2f-3a4b5c6d7e8f";

// A key as the server lists it, endorsed with `signer` (the operator's secret key by default).
const listed = (keyId, ownerId, pair, options = {}) =>
  listedKey(keyId, ownerId, pair, { signer: operator.privateKey, ...options });

function configFor(threshold, keys = [listed(CAROL_KEY, CAROL, counselor)]) {
  return {
    threshold,
    oprf_public_key: toBase64(server.publicKey),
    operator_public_key: toBase64(operator.publicKey),
    escrow_id: toBase64(envelope.newKey()),
    counselor_keys: keys,
  };
}

async function send(blinded) {
  const answer = oprf.blindEvaluateVerifiable(server.secretKey, server.publicKey, blinded.map(fromBase64));
  return { evaluated: answer.evaluatedElements.map(toBase64), proof: toBase64(answer.proof) };
}

async function entry(identifiers, what, threshold, id = crypto.randomUUID()) {
  const config = configFor(threshold);
  const vk = envelope.newKey();
  const outputs = await protocol.evaluate(identifiers, config, send);
  const content = { identifiers, what, contact: { method: "in_app" } };
  return { body: protocol.buildEntry(id, content, outputs, config, vk), vk };
}

// What the server hands the counselor for a group: the entries and the shares for one key.
function groupOf(threshold, bodies) {
  return {
    threshold,
    entries: bodies.map((b) => ({ id: b.id, version: 1, ciphertext: b.ciphertext })),
    shares: bodies.flatMap((b) =>
      b.tags.map((t) => ({ entry_id: b.id, match_index: t.match_index, sealed: t.shares[0].sealed })),
    ),
  };
}

test("differently written identifiers give the same pi, and the counselor opens both", async () => {
  const alice = await entry([canonicalise("email", " J.Doe@Example.COM")], "alice", 2);
  const bob = await entry([canonicalise("email", "j.doe@example.com")], "bob", 2);
  assert.equal(alice.body.tags[0].match_index, bob.body.tags[0].match_index);
  const opened = openGroup(groupOf(2, [alice.body, bob.body]), counselor);
  assert.deepEqual(Object.values(opened.entries).map((e) => e.what).sort(), ["alice", "bob"]);
  assert.deepEqual(opened.rejected, []);
});

test("a survivor opens and edits her own entry with her vault key", async () => {
  const alice = await entry(["phone:+14155550134"], "first", 2);
  const stored = { ...alice.body, version: 1 };
  const { entryKey, content } = protocol.openOwn(stored, alice.vk);
  assert.equal(content.what, "first");
  const edit = protocol.buildEdit(stored, entryKey, { ...content, what: "second" }, null, null);
  assert.equal(edit.version, 1);
  assert.equal(protocol.openOwn({ ...stored, version: 2, ciphertext: edit.ciphertext }, alice.vk).content.what, "second");
  assert.throws(() => protocol.openOwn(stored, envelope.newKey()), DecryptionError);
});

test("an edit carries the proof of her passphrase asked again, which the server checks first", async () => {
  // Found by review 5b: an open session alone replaced her entry with noise.
  const alice = await entry(["phone:+14155550134"], "first", 2);
  const stored = { ...alice.body, version: 1 };
  const { entryKey, content } = protocol.openOwn(stored, alice.vk);
  const authKey = "ab".repeat(32);
  const edit = protocol.buildEdit(stored, entryKey, content, null, null, authKey);
  assert.deepEqual(Object.keys(edit).sort(), ["auth_key", "ciphertext", "version"]);
  assert.equal(edit.auth_key, authKey);
});

test("with t = 3, two shares are not enough and three are", async () => {
  const names = ["social:instagram:jdoe_42"];
  const a = await entry(names, "a", 3);
  const b = await entry(names, "b", 3);
  const two = openGroup(groupOf(3, [a.body, b.body]), counselor);
  assert.deepEqual(two.entries, {});
  assert.equal(two.unchecked.length, 2);
  const c = await entry(names, "c", 3);
  const three = openGroup(groupOf(3, [a.body, b.body, c.body]), counselor);
  assert.equal(Object.keys(three.entries).length, 3);
});

test("a forged share is named and the other entries still open", async () => {
  const names = ["email:x@example.org"];
  const a = await entry(names, "a", 2);
  const b = await entry(names, "b", 2);
  const m = await entry(names, "m", 2);
  const ctx = protocol.shareContext(m.body.id);
  const payload = envelope.openSealed(counselor, fromBase64(m.body.tags[0].shares[0].sealed), ctx);
  const { share, wrappedEntryKey } = escrow.decodeSharePayload(payload);
  const forged = { x: share.x, y: group.scalarAdd(share.y, group.scalarFromInt(1)) };
  m.body.tags[0].shares[0].sealed = toBase64(
    envelope.seal(counselor.publicKey, escrow.encodeSharePayload(forged, wrappedEntryKey), ctx),
  );
  const opened = openGroup(groupOf(2, [m.body, a.body, b.body]), counselor);
  assert.deepEqual(opened.rejected, [m.body.id]);
  assert.equal(opened.entries[a.body.id].what, "a");
  assert.equal(opened.entries[b.body.id].what, "b");
});

test("a share that does not open is named", async () => {
  const names = ["email:y@example.org"];
  const [a, b, c] = [await entry(names, "a", 2), await entry(names, "b", 2), await entry(names, "c", 2)];
  const sealed = fromBase64(c.body.tags[0].shares[0].sealed);
  sealed[sealed.length - 1] ^= 1;
  c.body.tags[0].shares[0].sealed = toBase64(sealed);
  const opened = openGroup(groupOf(2, [a.body, b.body, c.body]), counselor);
  assert.deepEqual(opened.rejected, [c.body.id]);
  assert.equal(Object.keys(opened.entries).length, 2);
});

test("an answer made with another key is refused by the proof", async () => {
  const config = configFor(2);
  config.oprf_public_key = toBase64(oprf.deriveKeyPair(new Uint8Array(32).fill(9), utf8("x"), oprf.Mode.VOPRF).publicKey);
  await assert.rejects(protocol.evaluate(["email:z@example.org"], config, send), VerifyError);
});

test("a counselor key is made and unlocked with the key passphrase only", () => {
  const params = kdf.makeParams(kdf.OPSLIMIT, kdf.MEMLIMIT, new Uint8Array(16).fill(3));
  const { body, keypair } = makeKey("9a4c6c5e-0f4e-4b7e-9d3f-1e2a3b4c5d6e", "a long key passphrase", params);
  const unlocked = unlockKey(body, "a long key passphrase");
  assert.deepEqual(unlocked.secretKey, keypair.secretKey);
  assert.throws(() => unlockKey(body, "the wrong one"), DecryptionError);
});

test("it tags an email's canonical form and the form typed, once each", () => {
  const kept = ["tom.smith@gmail.com", "tomsmith+x@gmail.com", "jo@example.org"].map((t) =>
    canonicalise("email", t, { providerRules: false }),
  );
  assert.deepEqual(protocol.tagInputs(kept), [
    "email:tomsmith@gmail.com",
    "email:tom.smith@gmail.com",
    "email:tomsmith+x@gmail.com",
    "email:jo@example.org",
  ]);
});

test("a survivor's browser seals to endorsed keys and refuses a key no chain vouches for", () => {
  const dana = envelope.boxKeypair();
  const carolSigner = endorsement.signingKeypair(counselor.secretKey).secretKey;
  const danaKey = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
  const endorsed = listed(danaKey, "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a", dana, {
    signer: carolSigner,
    by: CAROL_KEY,
  });
  const good = configFor(2, [listed(CAROL_KEY, CAROL, counselor), endorsed]);
  assert.deepEqual(protocol.sealableKeys(good).map((k) => k.id), [CAROL_KEY, danaKey]);
  // The server (or whoever wrote the database) adds a key signed by nobody it can name.
  const planted = listed(danaKey, "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a", dana, {
    signer: sodium.crypto_sign_seed_keypair(new Uint8Array(32).fill(1)).privateKey,
  });
  const bad = configFor(2, [listed(CAROL_KEY, CAROL, counselor), planted]);
  assert.throws(() => protocol.sealableKeys(bad), EndorsementError);
  assert.throws(() => protocol.makeTag("e", envelope.newKey(), new Uint8Array(64), bad), EndorsementError);
});

test("a counselor endorses a colleague's key only under the fingerprint she compared", () => {
  const dana = envelope.boxKeypair();
  const signing = endorsement.signingKeypair(dana.secretKey).publicKey;
  const pending = {
    id: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
    counselor_id: "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a",
    public_key: toBase64(dana.publicKey),
    signing_public_key: toBase64(signing),
  };
  const shown = endorsement.fingerprint(dana.publicKey, signing);
  const { signature } = endorseKey(counselor, pending, shown);
  const record = {
    keyId: pending.id,
    ownerId: pending.counselor_id,
    publicKey: dana.publicKey,
    signingPublicKey: signing,
    signature: fromBase64(signature),
  };
  endorsement.verifyEndorsement(record, endorsement.signingKeypair(counselor.secretKey).publicKey);
  assert.throws(() => endorseKey(counselor, pending, "0000 0000"), EndorsementError);
});
