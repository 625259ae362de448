import { CryptoError } from "./errors.js";

// Every domain-separation label, in one place. Twin of mend/crypto/labels.py, pinned by
// tests/vectors/labels.json. A label never changes meaning; a new use gets a new label.

// OPRF (RFC 9497)
export const ESCROW_OPRF_PREFIX = "mend-escrow-v1|";
export const ESCROW_OPRF_KEY_INFO = "mend-escrow-v1/oprf-key";

// HKDF-SHA-512 `info` labels
export const VAULT_AUTH_KEY = "mend-vault-v1/auth-key";
export const VAULT_ENC_KEY = "mend-vault-v1/enc-key";
export const VAULT_DECOY_SALT = "mend-vault-v1/decoy-salt";
export const VAULT_RECOVERY_AUTH = "mend-vault-v1/recovery-auth";
export const ESCROW_MATCH_INDEX = "mend-escrow-v1/match-index";
export const ESCROW_SECRET = "mend-escrow-v1/secret";
export const ESCROW_COEFFICIENT_PREFIX = "mend-escrow-v1/coefficient/";
export const ESCROW_ENTRY_WRAP_KEY = "mend-escrow-v1/entry-wrap-key";
export const ESCROW_X_COORDINATE = "mend-escrow-v1/x-coordinate";

export const HKDF_LABELS = Object.freeze([
  VAULT_AUTH_KEY,
  VAULT_ENC_KEY,
  VAULT_DECOY_SALT,
  VAULT_RECOVERY_AUTH,
  ESCROW_MATCH_INDEX,
  ESCROW_SECRET,
  ESCROW_COEFFICIENT_PREFIX,
  ESCROW_ENTRY_WRAP_KEY,
  ESCROW_X_COORDINATE,
]);

// Envelope purposes (part of the associated data of every ciphertext)
export const PURPOSE_VAULT_KEY = "vault-key";
export const PURPOSE_VAULT_RECOVERY = "vault-recovery";
export const PURPOSE_RECORD_KEY = "vault-record-key";
export const PURPOSE_RECORD = "vault-record";
export const PURPOSE_VAULT_ATTACHMENT = "vault-attachment";
export const PURPOSE_ESCROW_ENTRY = "escrow-entry";
export const PURPOSE_ESCROW_ENTRY_KEY = "escrow-entry-key";
export const PURPOSE_ESCROW_OWNER_KEY = "escrow-owner-key";
export const PURPOSE_ESCROW_SHARE = "escrow-share";
export const PURPOSE_ESCROW_MESSAGE = "escrow-message";
export const PURPOSE_STAFF_KEY = "staff-key";
export const PURPOSE_DIALOGUE_ITEM = "dialogue-item";
export const PURPOSE_DIALOGUE_READER_KEY = "dialogue-reader-key";
export const PURPOSE_DIALOGUE_KEY = "dialogue-key";

export const PURPOSES = Object.freeze([
  PURPOSE_VAULT_KEY,
  PURPOSE_VAULT_RECOVERY,
  PURPOSE_RECORD_KEY,
  PURPOSE_RECORD,
  PURPOSE_VAULT_ATTACHMENT,
  PURPOSE_ESCROW_ENTRY,
  PURPOSE_ESCROW_ENTRY_KEY,
  PURPOSE_ESCROW_OWNER_KEY,
  PURPOSE_ESCROW_SHARE,
  PURPOSE_ESCROW_MESSAGE,
  PURPOSE_STAFF_KEY,
  PURPOSE_DIALOGUE_ITEM,
  PURPOSE_DIALOGUE_READER_KEY,
  PURPOSE_DIALOGUE_KEY,
]);

// Signatures
export const RECEIPT_DOMAIN = "mend-receipt-v1";
export const ENDORSEMENT_DOMAIN = "mend-counselor-key-v1";
export const COUNSELOR_SIGNING_SEED = "mend-counselor-key-v1/signing-seed";
export const CERTIFICATE_DOMAIN = "mend-certificate-v1";
export const REVOCATIONS_DOMAIN = "mend-certificate-revocations-v1";
export const DIALOGUE_ITEM_DOMAIN = "mend-dialogue-item-v1";
export const DIALOGUE_KEY_DOMAIN = "mend-dialogue-key-v1";
export const DIALOGUE_SIGNING_SEED = "mend-dialogue-v1/signing-seed";
export const DIALOGUE_KEY_COMMITMENT = "mend-dialogue-v1/key-commitment";

// True only for a registered HKDF label, or a coefficient label exactly as
// escrowCoefficientLabel writes it (decimal from 1, no leading zero). Twin of
// labels.is_hkdf_label: an exact match, never a prefix match.
export function isHkdfLabel(label) {
  if (typeof label !== "string") return false;
  if (label !== ESCROW_COEFFICIENT_PREFIX && HKDF_LABELS.includes(label)) return true;
  if (!label.startsWith(ESCROW_COEFFICIENT_PREFIX)) return false;
  return /^[1-9][0-9]*$/.test(label.slice(ESCROW_COEFFICIENT_PREFIX.length));
}

export function escrowCoefficientLabel(index) {
  if (!Number.isInteger(index) || index < 1) {
    throw new CryptoError("coefficients are numbered from 1");
  }
  return `${ESCROW_COEFFICIENT_PREFIX}${index}`;
}
