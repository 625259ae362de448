// A counselor's workspace (static/js/counselor/home.js, keys.js) against a server that
// lies: "Shares for new colleagues" seals only to keys whose chain this browser checked,
// "Colleagues' new keys" signs only the key whose fingerprint was shown, her own key is
// refused when the server lists another public key for it, and her own fingerprint is the
// one her secret key gives (a swapped row shows a warning, no fingerprint). A stand-in page
// and server.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as envelope from "../../mend/static/js/crypto/envelope.js";
import * as endorsement from "../../mend/static/js/crypto/endorsement.js";
import * as kdf from "../../mend/static/js/crypto/kdf.js";
import { EndorsementError } from "../../mend/static/js/crypto/errors.js";
import * as protocol from "../../mend/static/js/escrow/protocol.js";
import { makeKey, unlockKey } from "../../mend/static/js/counselor/keys.js";
import { fromBase64, toBase64 } from "../../mend/static/js/lib/base64.js";
import sodium from "../../mend/static/js/crypto/sodium.js";
import { ID as STAFF, listed, operator, signerOf } from "./staff_keys.mjs";

const PASSPHRASE = "a long key passphrase";
const PARAMS = kdf.makeParams(kdf.OPSLIMIT, kdf.MEMLIMIT, new Uint8Array(16).fill(3));
const ID = {
  ...STAFF,
  entry: "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
  tag: "7b8c9d0e-1f2a-4b3c-9d4e-5f6a7b8c9d0e",
};
// Carol's key, made in "her browser" once: what GET /counselor/key returns, and the pair.
const made = makeKey(ID.carolKey, PASSPHRASE, PARAMS);
const carol = made.keypair;
const carolKeyOut = { ...made.body, kdf_params: made.body.kdf_params };
const dana = envelope.boxKeypair();
const evil = envelope.boxKeypair();
const CAROL = () => listed(ID.carolKey, ID.carol, carol);
const DANA = () => listed(ID.danaKey, ID.dana, dana, { signer: signerOf(carol).secretKey, by: ID.carolKey });
const PAYLOAD = new Uint8Array(70).fill(8);
const sealedToCarol = toBase64(envelope.seal(carol.publicKey, PAYLOAD, protocol.shareContext(ID.entry)));

// --- the stand-in page and server ----------------------------------------------------------

function element() {
  return { textContent: "", dataset: {}, hidden: true, value: "", handlers: {}, addEventListener(type, fn) { this.handlers[type] = fn; } };
}
const page = {};
const IDS = ["workspace-error", "workspace-status", "endorse", "make-key", "reseal", "reseal-passphrase", "endorse-passphrase"];
const OWN = ["own-fingerprint", "own-fingerprint-passphrase", "own-fingerprint-shown", "own-fingerprint-value"];
for (const id of [...IDS, ...OWN]) {
  page[id] = element();
}
const server = { key: carolKeyOut, work: null, pending: [], posted: [] };

globalThis.BroadcastChannel = undefined;
globalThis.location = { pathname: "/counselor/" };
globalThis.window = {
  addEventListener() {},
  dispatchEvent() {},
  sessionStorage: { getItem: () => null, setItem() {}, removeItem() {} },
  location: { replace() {}, reload() {} },
};
globalThis.document = {
  getElementById: (id) =>
    id === "mend-config" ? { textContent: '{"api": "/api/v1/", "urls": {}}' } : id === "mend-strings" ? { textContent: "{}" } : (page[id] ?? null),
  querySelector: (selector) => (selector === "[data-page-alert]" ? page["workspace-error"] : { value: "token" }),
};
globalThis.fetch = async (url, init) => {
  const path = url.replace("/api/v1/", "");
  const body = init.body ? JSON.parse(init.body) : null;
  let data;
  if (init.method === "GET" && path === "counselor/key") data = { key: server.key };
  else if (init.method === "GET" && path === "counselor/reseal") data = server.work;
  else if (init.method === "GET" && path === "counselor/keys/pending") data = server.pending;
  else if (init.method === "POST") {
    server.posted.push({ path, body });
    data = path === "counselor/reseal" ? { count: body.items.length } : {};
  } else return new Response(JSON.stringify({ code: "not_found" }), { status: 404 });
  return new Response(JSON.stringify(data), { status: 200 });
};
await import("../../mend/static/js/counselor/home.js");

// Submit one of the page's forms and wait until the page says how it went.
async function submit(form, { submitter = null, passphrase = PASSPHRASE } = {}) {
  server.posted = [];
  page["workspace-error"].textContent = "";
  page["workspace-status"].textContent = "";
  page[`${form}-passphrase`].value = passphrase;
  page[form].handlers.submit({ preventDefault() {}, submitter });
  const done = new Set(["resealed", "endorsed", "endorsed_facilitator"]);
  for (let i = 0; i < 400; i++) {
    if (page["workspace-error"].textContent || done.has(page["workspace-status"].textContent)) break;
    if (page["own-fingerprint-value"].textContent) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { error: page["workspace-error"].textContent, status: page["workspace-status"].textContent, posted: server.posted };
}

function work(keys, missing) {
  return {
    operator_public_key: toBase64(operator.publicKey),
    keys,
    items: [{ tag_id: ID.tag, entry_id: ID.entry, sealed: sealedToCarol, missing_keys: missing }],
    more: false,
  };
}

// --- "Shares for new colleagues" ----------------------------------------------------------

test("re-sealing: the share goes to Dana, whose chain this browser checked, and she opens it", async () => {
  server.work = work([CAROL(), DANA()], [ID.danaKey]);
  const { error, status, posted } = await submit("reseal");
  assert.equal(error, "");
  assert.equal(status, "resealed");
  assert.equal(posted.length, 1);
  const [item] = posted[0].body.items;
  assert.equal(item.key_id, ID.danaKey);
  const opened = envelope.openSealed(dana, fromBase64(item.sealed), protocol.shareContext(ID.entry));
  assert.deepEqual(opened, PAYLOAD);
});

test("re-sealing: a key the server plants (no chain) gets nothing, and nothing is sent", async () => {
  const planted = listed(ID.evilKey, ID.evil, evil, { signer: signerOf(evil).secretKey, by: ID.carolKey });
  for (const [keys, missing] of [
    [[CAROL(), DANA(), planted], [ID.danaKey, ID.evilKey]], // listed as sealable: refused
    [[CAROL(), DANA()], [ID.danaKey, ID.evilKey]], // asked for, not listed at all
    [[CAROL(), DANA(), { ...planted, sealable: false }], [ID.evilKey]], // listed, not sealable
  ]) {
    server.work = work(keys, missing);
    const { error, posted } = await submit("reseal");
    assert.notEqual(error, "");
    assert.deepEqual(posted, []);
  }
});

test("re-sealing: Dana's id listed twice, once with the server's public key, is refused", async () => {
  // Before this fix the chain was checked on one record of the id and the share
  // re-sealed to the other: the server's key received every share she held.
  const impostor = { ...DANA(), public_key: toBase64(evil.publicKey) };
  for (const keys of [
    [CAROL(), DANA(), impostor],
    [CAROL(), impostor, DANA()],
  ]) {
    server.work = work(keys, [ID.danaKey]);
    const { error, posted } = await submit("reseal");
    assert.notEqual(error, "");
    assert.deepEqual(posted, []);
  }
});

test("re-sealing: chains Mend's operator signed do not verify under an operator key the server swaps in", async () => {
  const fake = sodium.crypto_sign_seed_keypair(new Uint8Array(32).fill(2));
  server.work = { ...work([CAROL(), DANA()], [ID.danaKey]), operator_public_key: toBase64(fake.publicKey) };
  const { error, posted } = await submit("reseal");
  assert.notEqual(error, "");
  assert.deepEqual(posted, []);
});

// --- her own key as the server lists it ---------------------------------------------------

test("unlocking refuses her key when the server lists another public key for it", () => {
  const unlocked = unlockKey(carolKeyOut, PASSPHRASE);
  assert.deepEqual(unlocked.publicKey, carol.publicKey);
  const swapped = { ...carolKeyOut, public_key: toBase64(evil.publicKey) };
  assert.throws(() => unlockKey(swapped, PASSPHRASE), EndorsementError);
  const swappedSigning = { ...carolKeyOut, signing_public_key: toBase64(signerOf(evil).publicKey) };
  assert.throws(() => unlockKey(swappedSigning, PASSPHRASE), EndorsementError);
  // A key made before endorsements (no signing key listed) still unlocks.
  assert.deepEqual(unlockKey({ ...carolKeyOut, signing_public_key: null }, PASSPHRASE).publicKey, carol.publicKey);
});

test("re-sealing with her key listed under the server's public key sends nothing", async () => {
  server.key = { ...carolKeyOut, public_key: toBase64(evil.publicKey) };
  server.work = work([CAROL(), DANA()], [ID.danaKey]);
  try {
    const { error, posted } = await submit("reseal");
    assert.notEqual(error, "");
    assert.deepEqual(posted, []);
  } finally {
    server.key = carolKeyOut;
  }
});

// --- "Colleagues' new keys" ---------------------------------------------------------------

function pendingOf(pair, keyId = ID.danaKey, ownerId = ID.dana) {
  return {
    id: keyId,
    counselor_id: ownerId,
    public_key: toBase64(pair.publicKey),
    signing_public_key: toBase64(signerOf(pair).publicKey),
  };
}
const button = (fingerprint, keyId = ID.danaKey) => ({ dataset: { keyId, fingerprint }, disabled: false });
const fingerprintOf = (pair) => endorsement.fingerprint(pair.publicKey, signerOf(pair).publicKey);

test("vouching: she signs exactly the key whose fingerprint was shown", async () => {
  server.pending = [pendingOf(dana)];
  const { error, status, posted } = await submit("endorse", { submitter: button(fingerprintOf(dana)) });
  assert.equal(error, "");
  assert.equal(status, "endorsed");
  assert.equal(posted.length, 1);
  assert.equal(posted[0].path, `counselor/keys/${ID.danaKey}/endorse`);
  endorsement.verifyEndorsement(
    {
      keyId: ID.danaKey,
      ownerId: ID.dana,
      publicKey: dana.publicKey,
      signingPublicKey: signerOf(dana).publicKey,
      signature: fromBase64(posted[0].body.signature),
    },
    signerOf(carol).publicKey,
  );
});

test("vouching: the server swaps in its own key after the page showed Dana's: nothing is signed", async () => {
  for (const swapped of [
    pendingOf(evil),
    { ...pendingOf(dana), public_key: toBase64(evil.publicKey) },
    { ...pendingOf(dana), signing_public_key: toBase64(signerOf(evil).publicKey) },
  ]) {
    server.pending = [swapped];
    const { error, posted } = await submit("endorse", { submitter: button(fingerprintOf(dana)) });
    assert.equal(error, "fingerprint_mismatch");
    assert.deepEqual(posted, []);
  }
});

test("vouching: a pending list naming the button's id twice signs nothing wrong", async () => {
  // The page takes the first record of the id; it is checked against the fingerprint shown.
  server.pending = [pendingOf(evil), pendingOf(dana)];
  const { posted } = await submit("endorse", { submitter: button(fingerprintOf(dana)) });
  assert.deepEqual(posted, []);
});

// --- her own fingerprint, to read aloud ---------------------------------------------------

test("her fingerprint is the one her secret key gives, shown only after she unlocks it", async () => {
  assert.equal(page["own-fingerprint-value"].textContent, "");
  const { error } = await submit("own-fingerprint");
  assert.equal(error, "");
  assert.equal(page["own-fingerprint-value"].textContent, fingerprintOf(carol));
  assert.equal(page["own-fingerprint-shown"].hidden, false);
  assert.equal(page["own-fingerprint-passphrase"].value, ""); // not left in the field
});

test("her fingerprint: a wrong key passphrase shows none", async () => {
  const { error } = await submit("own-fingerprint", { passphrase: "not my key passphrase" });
  assert.equal(error, "wrong_passphrase");
  assert.equal(page["own-fingerprint-value"].textContent, "");
  assert.equal(page["own-fingerprint-shown"].hidden, true);
});

test("her fingerprint: a row the server swapped to its keys gives the warning and no fingerprint", async () => {
  // A database writer puts his public keys in her row before she is vouched for: the server
  // would show his fingerprint to both people, and the colleague would sign his key.
  for (const swapped of [
    { ...carolKeyOut, public_key: toBase64(evil.publicKey), signing_public_key: toBase64(signerOf(evil).publicKey) },
    { ...carolKeyOut, public_key: toBase64(evil.publicKey) },
    { ...carolKeyOut, signing_public_key: toBase64(signerOf(evil).publicKey) },
  ]) {
    server.key = swapped;
    try {
      const { error, posted } = await submit("own-fingerprint");
      assert.equal(error, "own_key_swapped");
      assert.equal(page["own-fingerprint-value"].textContent, "");
      assert.equal(page["own-fingerprint-shown"].hidden, true);
      assert.deepEqual(posted, []);
    } finally {
      server.key = carolKeyOut;
    }
  }
});

test("vouching or re-sealing with her key listed under the server's keys says so, specifically", async () => {
  server.key = { ...carolKeyOut, public_key: toBase64(evil.publicKey) };
  server.pending = [pendingOf(dana)];
  server.work = work([CAROL(), DANA()], [ID.danaKey]);
  try {
    assert.equal((await submit("endorse", { submitter: button(fingerprintOf(dana)) })).error, "own_key_swapped");
    assert.equal((await submit("reseal")).error, "own_key_swapped");
  } finally {
    server.key = carolKeyOut;
  }
});
