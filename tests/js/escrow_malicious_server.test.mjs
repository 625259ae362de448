// A survivor's browser (static/js/escrow/protocol.js, crypto/endorsement.js) against a
// server that lies: what it must refuse before anything is sealed or looked up, and what it
// cannot see (marked `todo`: known gaps, told in the malicious-server review, not fixed here).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as oprf from "../../mend/static/js/crypto/oprf.js";
import * as envelope from "../../mend/static/js/crypto/envelope.js";
import * as group from "../../mend/static/js/crypto/group.js";
import * as endorsement from "../../mend/static/js/crypto/endorsement.js";
import { ESCROW_OPRF_KEY_INFO } from "../../mend/static/js/crypto/labels.js";
import { concat, equal, utf8 } from "../../mend/static/js/crypto/bytes.js";
import { oprfInput } from "../../mend/static/js/crypto/canonical.js";
import { EndorsementError, VerifyError } from "../../mend/static/js/crypto/errors.js";
import * as protocol from "../../mend/static/js/escrow/protocol.js";
import { fromBase64, toBase64 } from "../../mend/static/js/lib/base64.js";
import sodium from "../../mend/static/js/crypto/sodium.js";
import { ID, listed, operator, signerOf } from "./staff_keys.mjs";

const oprfKey = oprf.deriveKeyPair(new Uint8Array(32).fill(7), utf8(ESCROW_OPRF_KEY_INFO), oprf.Mode.VOPRF);
const stranger = sodium.crypto_sign_seed_keypair(new Uint8Array(32).fill(1));
const carol = envelope.boxKeypair(); // an endorsed counselor
const dana = envelope.boxKeypair(); // a colleague Carol vouched for
const evil = envelope.boxKeypair(); // the server's own key pair

const CAROL = () => listed(ID.carolKey, ID.carol, carol);
const DANA = (options = {}) =>
  listed(ID.danaKey, ID.dana, dana, { signer: signerOf(carol).secretKey, by: ID.carolKey, ...options });

function configFor(keys, { oprfPublicKey = oprfKey.publicKey, threshold = 2 } = {}) {
  return {
    threshold,
    oprf_public_key: toBase64(oprfPublicKey),
    operator_public_key: toBase64(operator.publicKey),
    escrow_id: toBase64(new Uint8Array(16).fill(5)),
    counselor_keys: keys,
  };
}

// The survivor's whole submission against `config`: the body the server would receive, or
// the error her browser stopped at (before sending anything).
async function submitWith(config, send = honestOprf()) {
  const outputs = await protocol.evaluate(["email:j.doe@example.com"], config, send);
  const content = { identifiers: ["email:j.doe@example.com"], what: "what happened", contact: { method: "in_app" } };
  return protocol.buildEntry(crypto.randomUUID(), content, outputs, config, envelope.newKey());
}

function honestOprf(key = oprfKey, seen = []) {
  return async (blinded) => {
    seen.push(...blinded);
    const answer = oprf.blindEvaluateVerifiable(key.secretKey, key.publicKey, blinded.map(fromBase64));
    return { evaluated: answer.evaluatedElements.map(toBase64), proof: toBase64(answer.proof) };
  };
}

// Every share of a submission that `pair` can open.
function openedBy(body, pair) {
  const context = protocol.shareContext(body.id);
  return body.tags.flatMap((tag) =>
    tag.shares.flatMap((share) => {
      try {
        return [envelope.openSealed(pair, fromBase64(share.sealed), context)];
      } catch {
        return [];
      }
    }),
  );
}

// --- the chain the browser checks -------------------------------------------------------

test("the honest list: shares go to Carol and Dana only, each opens her own", async () => {
  const body = await submitWith(configFor([CAROL(), DANA()]));
  assert.deepEqual(body.tags[0].shares.map((s) => s.key_id), [ID.carolKey, ID.danaKey]);
  assert.equal(openedBy(body, carol).length, 1);
  assert.equal(openedBy(body, dana).length, 1);
  assert.equal(openedBy(body, evil).length, 0);
});

test("a forged link (signed by a key the chain does not name) is refused", async () => {
  const forged = listed(ID.evilKey, ID.evil, evil, { signer: stranger.privateKey, by: ID.carolKey });
  await assert.rejects(submitWith(configFor([CAROL(), forged])), EndorsementError);
});

test("a link that claims Carol but was signed by the server's own key is refused", async () => {
  const forged = listed(ID.evilKey, ID.evil, evil, { signer: signerOf(evil).secretKey, by: ID.carolKey });
  await assert.rejects(submitWith(configFor([CAROL(), forged])), EndorsementError);
});

test("a chain that ends at a key other than the operator's is refused", async () => {
  const root = listed(ID.evilKey, ID.evil, evil, { signer: stranger.privateKey });
  await assert.rejects(submitWith(configFor([CAROL(), root])), EndorsementError);
  // The same, with the server's operator key sent in place of Mend's: refused as well only
  // if the page does not take the operator key from the server (see the todo below).
});

test("an endorsement Carol gave to another key is not reused for the server's key", async () => {
  const danaSays = { keyId: ID.danaKey, ownerId: ID.dana, publicKey: dana.publicKey, signingPublicKey: signerOf(dana).publicKey };
  const moved = listed(ID.danaKey, ID.dana, evil, { signer: signerOf(carol).secretKey, by: ID.carolKey, signed: danaSays });
  await assert.rejects(submitWith(configFor([CAROL(), moved])), EndorsementError);
});

test("a cycle (two keys vouching for each other, neither from the operator) is refused", async () => {
  const a = listed(ID.danaKey, ID.dana, dana, { signer: signerOf(evil).secretKey, by: ID.evilKey });
  const b = listed(ID.evilKey, ID.evil, evil, { signer: signerOf(dana).secretKey, by: ID.danaKey });
  await assert.rejects(submitWith(configFor([CAROL(), a, b])), EndorsementError);
});

test("a key vouched for by another key of the same account is refused", async () => {
  const second = envelope.boxKeypair();
  const self = listed(ID.evilKey, ID.carol, second, { signer: signerOf(carol).secretKey, by: ID.carolKey });
  await assert.rejects(submitWith(configFor([CAROL(), self])), EndorsementError);
});

test("a sealable key whose endorser is not listed is refused", async () => {
  await assert.rejects(submitWith(configFor([DANA()])), EndorsementError);
});

test("an endorser listed as not sealable still vouches, and is not sealed to", async () => {
  // A retired Carol: her chain still counts (what she vouched for stays vouched for).
  const body = await submitWith(configFor([listed(ID.carolKey, ID.carol, carol, { sealable: false }), DANA()]));
  assert.deepEqual(body.tags[0].shares.map((s) => s.key_id), [ID.danaKey]);
  assert.equal(openedBy(body, carol).length, 0);
});

test("duplicate key ids with different public keys: nothing is sealed to the server's key", async () => {
  // The server lists Dana's id twice: once with its own public key (no valid signature),
  // once as Dana's real, endorsed key. Before this fix the chain was checked on the second
  // and the share sealed to the first: the server opened every survivor's share.
  const impostor = { ...DANA(), public_key: toBase64(evil.publicKey) };
  for (const keys of [
    [CAROL(), impostor, DANA()],
    [CAROL(), DANA(), impostor],
    [CAROL(), impostor, { ...DANA(), sealable: false }],
  ]) {
    await assert.rejects(submitWith(configFor(keys)), EndorsementError);
  }
});

test("duplicate ids of endorsers cannot smuggle a key into the chain", async () => {
  const fakeCarol = listed(ID.carolKey, ID.carol, evil, { signer: stranger.privateKey, sealable: false });
  const viaFake = listed(ID.evilKey, ID.evil, evil, { signer: signerOf(evil).secretKey, by: ID.carolKey });
  for (const keys of [
    [fakeCarol, CAROL(), viaFake],
    [CAROL(), fakeCarol, viaFake],
  ]) {
    assert.throws(() => protocol.sealableKeys(configFor(keys)), EndorsementError);
  }
});

test("no endorsed key: nothing to seal to (the page says 'not open' and looks nothing up)", () => {
  assert.deepEqual(protocol.sealableKeys(configFor([])), []);
  assert.deepEqual(protocol.sealableKeys(configFor([{ ...CAROL(), sealable: false }])), []);
});

test("the number of keys never changes the threshold: each key gets the same one share", async () => {
  // Shares are per survivor (x_u), not per key: listing fewer or more keys cannot let any
  // key (the server's or a counselor's) reach t with one survivor's entry.
  const body = await submitWith(configFor([CAROL(), DANA()]));
  const [a] = openedBy(body, carol);
  const [b] = openedBy(body, dana);
  assert.ok(equal(a, b));
});

test("a malformed endorsement field throws EndorsementError, not a crash, and seals nothing", async () => {
  const broken = { ...DANA(), endorsement: toBase64(new Uint8Array(10)) };
  await assert.rejects(submitWith(configFor([CAROL(), broken])), EndorsementError);
});

// --- the OPRF exchange ----------------------------------------------------------------------

test("the identifier leaves only blinded: not its hash to the group, not the same twice", async () => {
  const seen = [];
  const config = configFor([CAROL()]);
  await protocol.evaluate(["email:j.doe@example.com"], config, honestOprf(oprfKey, seen));
  await protocol.evaluate(["email:j.doe@example.com"], config, honestOprf(oprfKey, seen));
  const input = oprfInput("email:j.doe@example.com");
  const dst = concat(utf8("HashToGroup-"), oprf.contextString(oprf.Mode.VOPRF));
  const unblinded = toBase64(group.hashToGroup(input, dst));
  assert.equal(seen.length, 2);
  assert.notEqual(seen[0], seen[1]);
  assert.ok(!seen.includes(unblinded));
  assert.ok(seen.every((b) => !atob(b).includes("j.doe")));
});

test("an answer the proof does not cover is refused: other key, identity, swapped, echoed", async () => {
  const config = configFor([CAROL()]);
  const other = oprf.deriveKeyPair(new Uint8Array(32).fill(3), utf8(ESCROW_OPRF_KEY_INFO), oprf.Mode.VOPRF);
  const liars = [
    honestOprf(other),
    async () => ({ evaluated: [toBase64(group.IDENTITY)], proof: toBase64(new Uint8Array(64)) }),
    async (blinded) => ({ evaluated: blinded, proof: toBase64(new Uint8Array(64)) }),
    async (blinded) => {
      const real = await honestOprf()(blinded);
      return { ...real, proof: toBase64(new Uint8Array(64).fill(1)) };
    },
  ];
  for (const send of liars) {
    await assert.rejects(protocol.evaluate(["email:j.doe@example.com"], config, send), VerifyError);
  }
});

test(
  "a key per survivor: the server's own OPRF key, sent in the config, is refused",
  { todo: "the OPRF public key comes from GET /escrow/config at run time, not pinned: the proof binds the answer to the key the same server sent (finding 3)" },
  async () => {
    const own = oprf.deriveKeyPair(new Uint8Array(32).fill(4), utf8(ESCROW_OPRF_KEY_INFO), oprf.Mode.VOPRF);
    const config = configFor([CAROL()], { oprfPublicKey: own.publicKey });
    await assert.rejects(submitWith(config, honestOprf(own)), VerifyError);
  },
);

test(
  "the server's own operator key, sent in the config, does not admit the server's own key",
  { todo: "the operator public key comes from GET /escrow/config (and GET /counselor/reseal) at run time; ADR 0007 accepts it only against whoever changes the server's code (finding 2)" },
  async () => {
    const fakeOperator = sodium.crypto_sign_seed_keypair(new Uint8Array(32).fill(2));
    const config = configFor([listed(ID.evilKey, ID.evil, evil, { signer: fakeOperator.privateKey })]);
    config.operator_public_key = toBase64(fakeOperator.publicKey);
    await assert.rejects(submitWith(config), EndorsementError);
  },
);

test(
  "a facilitator's endorsed key, marked sealable by the server, is refused",
  { todo: "an endorsement names no role: only the server keeps facilitators' (and retired) keys from the sealable list (finding 5)" },
  async () => {
    // Dana here is a facilitator Carol vouched for ("Colleagues' new keys" lists both).
    await assert.rejects(submitWith(configFor([CAROL(), DANA()])), EndorsementError);
  },
);
