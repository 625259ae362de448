// The dialogue items' twin (static/js/crypto/dialogue.js) on the vectors pytest reads.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dialogue from "../../mend/static/js/crypto/dialogue.js";
import * as labels from "../../mend/static/js/crypto/labels.js";
import { toHex, utf8 } from "../../mend/static/js/crypto/bytes.js";
import { DialogueError } from "../../mend/static/js/crypto/errors.js";
import sodium from "../../mend/static/js/crypto/sodium.js";
import { flip, h, project } from "./vectors.mjs";

const V = project("dialogue.json");
const PEOPLE = V.participants;
const ITEM = V.items[0];

const refOf = (r) => dialogue.itemRef(r.case_id, r.item_id, r.author_id, r.kind, r.revision);
const itemOf = (d) => ({
  body: h(d.body),
  signature: h(d.signature),
  commitment: h(d.commitment),
  readerKeys: new Map(Object.entries(d.reader_keys).map(([k, v]) => [k, h(v)])),
});
const keypair = (name) => ({
  publicKey: h(PEOPLE[name].box_public_key),
  secretKey: h(PEOPLE[name].box_secret_key),
});
const id = (name) => PEOPLE[name].id;
const signingKey = (name) => h(PEOPLE[name].signing_public_key);
const decode = (bytes) => new TextDecoder().decode(bytes);

test("it pins the labels", () => {
  assert.equal(V.item_domain, labels.DIALOGUE_ITEM_DOMAIN);
  assert.equal(V.key_domain, labels.DIALOGUE_KEY_DOMAIN);
  assert.equal(V.signing_seed_label, labels.DIALOGUE_SIGNING_SEED);
  assert.equal(V.commitment_label, labels.DIALOGUE_KEY_COMMITMENT);
});

test("it derives each participant's signing key as Python does", () => {
  for (const person of Object.values(PEOPLE)) {
    const pair = dialogue.signingKeypair(h(person.box_secret_key));
    assert.equal(toHex(pair.publicKey), person.signing_public_key);
  }
});

test("it seals the item byte for byte as Python does", () => {
  const ref = refOf(ITEM.ref);
  const author = dialogue.signingKeypair(h(PEOPLE.survivor.box_secret_key));
  const readers = new Map([
    [id("survivor"), keypair("survivor").publicKey],
    [id("lead"), keypair("lead").publicKey],
  ]);
  const item = dialogue.sealItem(ref, utf8(ITEM.plaintext), author.secretKey, readers, {
    contentKey: h(ITEM.content_key),
    nonce: h(ITEM.nonce),
    ephemeralSeeds: new Map(Object.entries(ITEM.ephemeral_seeds).map(([k, v]) => [k, h(v)])),
  });
  const expected = itemOf(ITEM);
  assert.equal(toHex(item.body), ITEM.body);
  assert.equal(toHex(item.signature), ITEM.signature);
  assert.equal(toHex(item.commitment), ITEM.commitment);
  for (const [reader, sealed] of expected.readerKeys) {
    assert.equal(toHex(item.readerKeys.get(reader)), toHex(sealed));
  }
  assert.equal(toHex(dialogue.itemStatement(ref, item.body, item.commitment)), ITEM.statement);
});

test("the author and the facilitator read it; he cannot before approval", () => {
  const ref = refOf(ITEM.ref);
  const item = itemOf(ITEM);
  for (const name of ["survivor", "lead"]) {
    const text = dialogue.openItem(ref, item, keypair(name), id(name), signingKey("survivor"));
    assert.equal(decode(text), ITEM.plaintext);
  }
  assert.throws(
    () => dialogue.openItem(ref, item, keypair("responsible"), id("responsible"), signingKey("survivor")),
    /not sealed to this reader/,
  );
});

test("approval adds exactly the recipient's sealed key, and he reads the author's words", () => {
  const ref = refOf(ITEM.ref);
  const item = itemOf(ITEM);
  const key = dialogue.openContentKey(ref, keypair("lead"), id("lead"), item);
  const sealed = dialogue.wrapForReader(ref, key, id("responsible"), keypair("responsible").publicKey, {
    ephemeralSeed: h(ITEM.approval.ephemeral_seed),
  });
  assert.equal(toHex(sealed), ITEM.approval.sealed_key);
  const approved = { ...item, readerKeys: new Map([[id("responsible"), sealed]]) };
  const text = dialogue.openItem(ref, approved, keypair("responsible"), id("responsible"), signingKey("survivor"));
  assert.equal(decode(text), ITEM.plaintext);
});

test("the reader's browser refuses every item altered on the server", () => {
  for (const c of V.altered) {
    assert.throws(
      () => dialogue.openItem(refOf(c.ref), itemOf(c), keypair("lead"), id("lead"), signingKey("survivor")),
      DialogueError,
      c.name,
    );
  }
});

test("a key the facilitator swapped in is refused by the signed commitment", () => {
  const ref = refOf(ITEM.ref);
  const item = itemOf(ITEM);
  const other = dialogue.wrapForReader(ref, new Uint8Array(32), id("lead"), keypair("lead").publicKey);
  const swapped = { ...item, readerKeys: new Map([[id("lead"), other]]) };
  assert.throws(
    () => dialogue.openItem(ref, swapped, keypair("lead"), id("lead"), signingKey("survivor")),
    /not the one the author signed/,
  );
  const broken = { ...item, readerKeys: new Map([[id("lead"), flip(item.readerKeys.get(id("lead")), 60)]]) };
  assert.throws(
    () => dialogue.openContentKey(ref, keypair("lead"), id("lead"), broken),
    /does not open/,
  );
});

test("the lead facilitator's key statement matches Python's and verifies only for her", () => {
  for (const c of V.key_statements) {
    const args = [c.case_id, c.participant_id, c.role, h(c.box_public_key), h(c.signing_public_key)];
    assert.equal(toHex(dialogue.keyStatement(...args)), c.statement);
    const signer = sodium.crypto_sign_seed_keypair(h(c.signer_seed));
    const signature = dialogue.signKeyStatement(signer.privateKey, ...args);
    assert.equal(toHex(signature), c.signature);
    dialogue.verifyKeyStatement(signature, signingKey("lead"), ...args);
    assert.throws(
      () => dialogue.verifyKeyStatement(signature, signingKey("survivor"), ...args),
      /key statement does not verify/,
    );
  }
});

test("it refuses malformed references by name", () => {
  const ids = ["00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"];
  assert.throws(() => dialogue.itemRef(ids[0], ids[1], ids[0], "gift", 1), /unknown item kind/);
  assert.throws(() => dialogue.itemRef(ids[0], ids[1], ids[0], "message", 0), /revision/);
  assert.throws(() => dialogue.keyStatement(ids[0], ids[1], "judge", new Uint8Array(32), new Uint8Array(32)), /unknown role/);
  assert.throws(() => dialogue.keyCommitment(new Uint8Array(31)), /content key must be 32 bytes/);
});
