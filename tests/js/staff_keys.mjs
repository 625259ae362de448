// A staff key as the server lists it (GET /escrow/config, /counselor/reseal, a dialogue's
// team-keys), endorsed by `signer` over `signed` (the key itself by default: what the
// endorsement says may differ, to forge one). Shared by the escrow and counselor tests.
import * as endorsement from "../../mend/static/js/crypto/endorsement.js";
import sodium from "../../mend/static/js/crypto/sodium.js";
import { toBase64 } from "../../mend/static/js/lib/base64.js";

// The deployment's operator, and the ids of the people and keys the malicious-server
// tests name: Carol (endorsed), Dana (whom Carol vouched for), and the server's own.
export const operator = sodium.crypto_sign_seed_keypair(new Uint8Array(32).fill(9));
export const ID = {
  carolKey: "0b0e7d3c-3a43-4d67-9a5e-1f2a3b4c5d6e",
  carol: "5f6e7d8c-9b0a-4c1d-8e2f-3a4b5c6d7e8f",
  danaKey: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
  dana: "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a",
  evilKey: "3e4f5a6b-7c8d-4e9f-0a1b-2c3d4e5f6a7b",
  evil: "4f5a6b7c-8d9e-4f0a-1b2c-3d4e5f6a7b8c",
};
export const signerOf = (pair) => endorsement.signingKeypair(pair.secretKey);

// listedKey, signed by the operator unless `options` names another signer.
export const listed = (keyId, ownerId, pair, options = {}) =>
  listedKey(keyId, ownerId, pair, { signer: operator.privateKey, ...options });

export function listedKey(keyId, ownerId, pair, { signer, by = null, sealable = true, signed = null }) {
  const signing = endorsement.signingKeypair(pair.secretKey).publicKey;
  const key = { keyId, ownerId, publicKey: pair.publicKey, signingPublicKey: signing };
  return {
    id: keyId,
    counselor_id: ownerId,
    public_key: toBase64(pair.publicKey),
    signing_public_key: toBase64(signing),
    endorsed_by: by,
    endorsement: toBase64(endorsement.signEndorsement(signer, signed ?? key)),
    sealable,
  };
}
