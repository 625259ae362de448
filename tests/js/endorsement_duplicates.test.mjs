// The chain check (crypto/endorsement.js trustedKeys) refuses a list that names one key id
// twice: every caller (the survivor's sealing, the counselor's re-sealing, a dialogue
// party's trust in the lead's key) looks keys up by id after the check.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as endorsement from "../../mend/static/js/crypto/endorsement.js";
import * as envelope from "../../mend/static/js/crypto/envelope.js";
import { EndorsementError } from "../../mend/static/js/crypto/errors.js";
import * as core from "../../mend/static/js/dialogue/case-core.js";
import { toBase64 } from "../../mend/static/js/lib/base64.js";
import sodium from "../../mend/static/js/crypto/sodium.js";

const operator = sodium.crypto_sign_seed_keypair(new Uint8Array(32).fill(9));
const lead = envelope.boxKeypair();
const evil = envelope.boxKeypair();
const LEAD_KEY = "0b0e7d3c-3a43-4d67-9a5e-1f2a3b4c5d6e";
const LEAD = "5f6e7d8c-9b0a-4c1d-8e2f-3a4b5c6d7e8f";

function listed(pair) {
  const signing = endorsement.signingKeypair(pair.secretKey).publicKey;
  const key = { keyId: LEAD_KEY, ownerId: LEAD, publicKey: pair.publicKey, signingPublicKey: signing };
  return {
    id: LEAD_KEY,
    counselor_id: LEAD,
    public_key: toBase64(pair.publicKey),
    signing_public_key: toBase64(signing),
    endorsed_by: null,
    endorsement: toBase64(endorsement.signEndorsement(operator.privateKey, key)),
    sealable: true,
  };
}
const partyOf = (pair) => ({ boxKey: pair.publicKey, signingKey: endorsement.signingKeypair(pair.secretKey).publicKey });

test("one id listed twice is refused, whatever the order or the case of its letters", () => {
  const real = listed(lead);
  const impostor = { ...real, public_key: toBase64(evil.publicKey) };
  for (const keys of [[impostor, real], [real, impostor], [real, { ...impostor, id: LEAD_KEY.toUpperCase() }]]) {
    const records = endorsement.keyRecords(keys, (t) => Uint8Array.from(atob(t), (c) => c.charCodeAt(0)));
    assert.throws(() => endorsement.trustedKeys(records, operator.publicKey), EndorsementError);
  }
  // The same record twice is refused too: the server never lists one key twice.
  assert.throws(() => endorsement.sealableKeys([real, real], operator.publicKey, (t) => Uint8Array.from(atob(t), (c) => c.charCodeAt(0))), EndorsementError);
});

test("a dialogue party never trusts the server's key as the lead's by a repeated id", () => {
  const real = listed(lead);
  const teamKeys = { operator_public_key: toBase64(operator.publicKey), keys: [real] };
  const trust = core.staffTrustFrom(teamKeys);
  assert.equal(trust(partyOf(lead)), true);
  assert.equal(trust(partyOf(evil)), false);
  // The server's key pair under the lead's key id, beside the real, endorsed record.
  const impostor = listed(evil);
  impostor.endorsement = real.endorsement; // it has no signature of its own to show
  for (const keys of [[real, impostor], [impostor, real]]) {
    let trusted = false;
    try {
      trusted = core.staffTrustFrom({ ...teamKeys, keys })(partyOf(evil));
    } catch (error) {
      if (!(error instanceof EndorsementError)) throw error;
    }
    assert.equal(trusted, false);
  }
});
