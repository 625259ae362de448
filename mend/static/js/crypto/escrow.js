// Escrow secrets from an OPRF output (ARCHITECTURE 9.3-9.4) and the sealed share payload.
// Twin of mend/crypto/escrow.py (see its docstring for guarantees).
import * as group from "./group.js";
import * as labels from "./labels.js";
import * as shamir from "./shamir.js";
import { concat } from "./bytes.js";
import { deriveKey, deriveScalar } from "./kdf.js";
import { CryptoError, ShareError, UnsupportedVersionError } from "./errors.js";

export const MATCH_INDEX_BYTES = 32;
export const ESCROW_ID_MIN_BYTES = 16;
export const PAYLOAD_VERSION = 1;
const PAYLOAD_HEAD = 1 + 2 * group.SCALAR_BYTES;

// pi (public), s and a_1..a_(threshold-1) from the 64-byte VOPRF output.
export function deriveEscrowSecrets(oprfOutput, threshold) {
  if (oprfOutput.length !== 64) throw new CryptoError("the OPRF output must be 64 bytes");
  if (!Number.isInteger(threshold) || threshold < 2)
    throw new ShareError("the threshold must be at least 2");
  const coefficients = [];
  for (let i = 1; i < threshold; i++) {
    coefficients.push(deriveScalar(oprfOutput, labels.escrowCoefficientLabel(i)));
  }
  return {
    matchIndex: deriveKey(oprfOutput, labels.ESCROW_MATCH_INDEX, MATCH_INDEX_BYTES),
    secret: deriveScalar(oprfOutput, labels.ESCROW_SECRET),
    coefficients,
  };
}

// y = s + sum(a_i * x^i) mod L.
export function shareFor(secrets, x) {
  return shamir.shareAt(secrets.secret, secrets.coefficients, x);
}

// K(s): wraps each entry key k_e; the counselor derives it again after interpolation.
export function entryWrapKey(secret) {
  return deriveKey(group.scalar(secret, "secret"), labels.ESCROW_ENTRY_WRAP_KEY);
}

// x_u from the survivor's random per-account escrow id (at least 16 bytes); never 0.
export function xCoordinate(escrowId) {
  if (escrowId.length < ESCROW_ID_MIN_BYTES) {
    throw new CryptoError(`escrow id must be at least ${ESCROW_ID_MIN_BYTES} bytes`);
  }
  const x = deriveScalar(escrowId, labels.ESCROW_X_COORDINATE);
  if (x.every((b) => b === 0)) throw new CryptoError("this escrow id gives x = 0; choose another");
  return x;
}

// The plaintext sealed to each counselor key: version | x_u | y | c.
export function encodeSharePayload(share, wrappedEntryKey) {
  group.scalar(share.x, "x-coordinate", { nonzero: true });
  group.scalar(share.y, "share value");
  return concat([PAYLOAD_VERSION], share.x, share.y, wrappedEntryKey);
}

export function decodeSharePayload(payload) {
  if (payload.length <= PAYLOAD_HEAD) throw new ShareError("share payload is truncated");
  if (payload[0] !== PAYLOAD_VERSION) {
    throw new UnsupportedVersionError(`unknown share payload version ${payload[0]}`);
  }
  const x = group.scalar(payload.slice(1, 33), "x-coordinate", { nonzero: true });
  const y = group.scalar(payload.slice(33, 65), "share value");
  return { share: { x, y }, wrappedEntryKey: payload.slice(PAYLOAD_HEAD) };
}
