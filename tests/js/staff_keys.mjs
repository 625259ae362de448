// A staff key as the server lists it (GET /escrow/config, /counselor/reseal, a dialogue's
// team-keys), endorsed by `signer` over `signed` (the key itself by default: what the
// endorsement says may differ, to forge one). Shared by the escrow and counselor tests.
import * as endorsement from "../../mend/static/js/crypto/endorsement.js";
import { toBase64 } from "../../mend/static/js/lib/base64.js";

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
