// The vault's keys and envelopes (ARCHITECTURE section 8), built only from the shared crypto
// modules (static/js/crypto/), never from libsodium directly. Twin of mend/vault/testing.py,
// which plays this part in the server's tests.
//
//   seed = Argon2id(passphrase, params); auth_key, enc_key = HKDF(seed, labels)
//   VK (random) wrapped by enc_key  [vault-key, vault id, 1]
//   VK wrapped by the recovery key  [vault-recovery, vault id, 1]
//   recovery_auth = HKDF(recovery key, "mend-vault-v1/recovery-auth"), hashed by the server
//   record key (random) wrapped by VK  [vault-record-key, record id, 1]
//   version n of a record  [vault-record, record id, n]
//   an attachment added in version n  [vault-attachment, "record id/attachment id", n]
import * as envelope from "../crypto/envelope.js";
import * as kdf from "../crypto/kdf.js";
import * as labels from "../crypto/labels.js";
import { toHex } from "../crypto/bytes.js";

// The shortest passphrase a key is derived from in the browser (the survivor's vault key, the
// counselor's escrow key): one rule for both pages, whose words say "12 characters".
// The server holds the same number in mend/lib/passphrase.py (a test keeps them equal).
export const MIN_PASSPHRASE = 12;

export { toHex };
export const newKey = envelope.newKey;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function vkContext(vaultId, recovery = false) {
  return envelope.context(recovery ? labels.PURPOSE_VAULT_RECOVERY : labels.PURPOSE_VAULT_KEY, vaultId, 1);
}

// Argon2id at production cost (refuses weaker parameters): a second or two, on purpose.
export function deriveKeys(passphrase, paramsDict) {
  const params = kdf.paramsFromDict(paramsDict);
  const { authKey, encKey } = kdf.deriveVaultKeys(passphrase, params);
  return { authKey, encKey, params: kdf.paramsToDict(params) };
}

export function newPassphraseKeys(passphrase) {
  return deriveKeys(passphrase, kdf.paramsToDict(kdf.newParams()));
}

export function wrapVaultKey(encKey, vk, vaultId) {
  return envelope.wrapKey(encKey, vk, vkContext(vaultId));
}

export function unwrapVaultKey(encKey, wrapped, vaultId) {
  return envelope.unwrapKey(encKey, wrapped, vkContext(vaultId));
}

export function recoveryAuth(recoveryKey) {
  return kdf.deriveKey(recoveryKey, labels.VAULT_RECOVERY_AUTH);
}

export function wrapForRecovery(recoveryKey, vk, vaultId) {
  return envelope.wrapKey(recoveryKey, vk, vkContext(vaultId, true));
}

export function unwrapWithRecovery(recoveryKey, wrapped, vaultId) {
  return envelope.unwrapKey(recoveryKey, wrapped, vkContext(vaultId, true));
}

function recordKeyContext(recordId) {
  return envelope.context(labels.PURPOSE_RECORD_KEY, recordId, 1);
}

export function wrapRecordKey(vk, key, recordId) {
  return envelope.wrapKey(vk, key, recordKeyContext(recordId));
}

export function unwrapRecordKey(vk, wrapped, recordId) {
  return envelope.unwrapKey(vk, wrapped, recordKeyContext(recordId));
}

export function sealRecord(key, recordId, version, content) {
  const context = envelope.context(labels.PURPOSE_RECORD, recordId, version);
  return envelope.encrypt(key, encoder.encode(JSON.stringify(content)), context);
}

export function openRecord(key, recordId, version, ciphertext) {
  const context = envelope.context(labels.PURPOSE_RECORD, recordId, version);
  return JSON.parse(decoder.decode(envelope.decrypt(key, ciphertext, context)));
}

function attachmentContext(recordId, attachmentId, version) {
  return envelope.context(labels.PURPOSE_VAULT_ATTACHMENT, `${recordId}/${attachmentId}`, version);
}

export function sealAttachment(key, recordId, attachmentId, version, bytes) {
  return envelope.encrypt(key, bytes, attachmentContext(recordId, attachmentId, version));
}

export function openAttachment(key, recordId, attachmentId, version, ciphertext) {
  return envelope.decrypt(key, ciphertext, attachmentContext(recordId, attachmentId, version));
}

// The envelope's size for `plaintextBytes` of data (for the size limit's message).
export const OVERHEAD = envelope.OVERHEAD;
