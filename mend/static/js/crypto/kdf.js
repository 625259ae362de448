// Key derivation: HKDF-SHA-512 with named labels, Argon2id with stored parameters, vault keys.
// Twin of mend/crypto/kdf.py (see its docstring). deriveVaultKeys refuses parameters below
// the production floor, so a server cannot downgrade the browser's passphrase hashing.
import sodium from "./sodium.js";
import * as group from "./group.js";
import * as labels from "./labels.js";
import { concat, fromHex, toHex, utf8 } from "./bytes.js";
import { CryptoError, ParamsError } from "./errors.js";

export const HASH_BYTES = 64;
export const KEY_BYTES = 32;
export const SALT_BYTES = 16;
export const SEED_BYTES = 64;
export const PARAMS_VERSION = 1;
export const ALGORITHM = "argon2id13";
export const OPSLIMIT = 3;
export const MEMLIMIT = 64 * 1024 * 1024;
const MEMLIMIT_MIN = 8192;
const MEMLIMIT_MAX = 4 * 1024 ** 3;

function hmacSha512(key, data) {
  const state = sodium.crypto_auth_hmacsha512_init(key);
  sodium.crypto_auth_hmacsha512_update(state, data);
  return sodium.crypto_auth_hmacsha512_final(state);
}

// RFC 5869 HKDF-Extract with SHA-512 (an empty salt means 64 zero bytes).
export function hkdfExtract(salt, ikm) {
  return hmacSha512(salt.length ? salt : new Uint8Array(HASH_BYTES), ikm);
}

export function hkdfExpand(prk, info, length) {
  if (length < 1 || length > 255 * HASH_BYTES)
    throw new CryptoError("HKDF output length out of range");
  const blocks = [];
  let block = new Uint8Array(0);
  for (let counter = 1; blocks.length * HASH_BYTES < length; counter++) {
    block = hmacSha512(prk, concat(block, info, [counter]));
    blocks.push(block);
  }
  return concat(...blocks).slice(0, length);
}

// HKDF-SHA-512(salt = empty, IKM = ikm, info = label) for a label from labels.js, exactly
// (labels.isHkdfLabel): a label that merely starts with a registered one is refused.
export function deriveKey(ikm, label, length = KEY_BYTES) {
  if (!labels.isHkdfLabel(label)) {
    throw new CryptoError(`unknown HKDF label ${label}: add it to labels.js`);
  }
  return hkdfExpand(hkdfExtract(new Uint8Array(0), ikm), utf8(label), length);
}

export function deriveScalar(ikm, label) {
  return group.reduce(deriveKey(ikm, label, 64));
}

// Argon2id parameters, stored beside what they protect: {version, opslimit, memlimit, salt}.
export function makeParams(opslimit, memlimit, salt, version = PARAMS_VERSION) {
  if (version !== PARAMS_VERSION) throw new ParamsError(`unknown KDF parameter version ${version}`);
  if (!Number.isInteger(opslimit) || opslimit < 1 || opslimit > 2 ** 32 - 1) {
    throw new ParamsError("opslimit out of range");
  }
  if (
    !Number.isInteger(memlimit) ||
    memlimit < MEMLIMIT_MIN ||
    memlimit > MEMLIMIT_MAX ||
    memlimit % 1024
  ) {
    throw new ParamsError("memlimit must be a whole number of KiB between 8 KiB and 4 GiB");
  }
  if (!(salt instanceof Uint8Array) || salt.length !== SALT_BYTES) {
    throw new ParamsError(`salt must be ${SALT_BYTES} bytes`);
  }
  return Object.freeze({ version, opslimit, memlimit, salt });
}

export function paramsToDict(params) {
  const { version, opslimit, memlimit, salt } = params;
  return { v: version, alg: ALGORITHM, opslimit, memlimit, salt: toHex(salt) };
}

export function paramsFromDict(data) {
  const keys = Object.keys(data ?? {})
    .sort()
    .join(",");
  if (keys !== "alg,memlimit,opslimit,salt,v") {
    throw new ParamsError("KDF parameters must have exactly v, alg, opslimit, memlimit, salt");
  }
  if (data.alg !== ALGORITHM) throw new ParamsError(`unknown KDF algorithm ${data.alg}`);
  if (
    ![data.v, data.opslimit, data.memlimit].every(Number.isInteger) ||
    typeof data.salt !== "string"
  ) {
    throw new ParamsError("KDF parameters have the wrong types");
  }
  let salt;
  try {
    salt = fromHex(data.salt, SALT_BYTES, "salt");
  } catch (error) {
    throw new ParamsError(error.message);
  }
  return makeParams(data.opslimit, data.memlimit, salt, data.v);
}

export function newParams({ opslimit = OPSLIMIT, memlimit = MEMLIMIT } = {}) {
  return makeParams(opslimit, memlimit, sodium.randombytes_buf(SALT_BYTES));
}

export function needsUpgrade(params) {
  return params.opslimit < OPSLIMIT || params.memlimit < MEMLIMIT;
}

// Argon2id (v1.3) of the NFC-normalised UTF-8 passphrase.
export function argon2id(passphrase, params, length = SEED_BYTES) {
  if (!passphrase) throw new ParamsError("the passphrase is empty");
  const secret = utf8(passphrase.normalize("NFC"));
  return sodium.crypto_pwhash(
    length,
    secret,
    params.salt,
    params.opslimit,
    params.memlimit,
    sodium.crypto_pwhash_ALG_ARGON2ID13,
  );
}

// seed = Argon2id(passphrase, params); authKey and encKey from seed with distinct labels.
export function deriveVaultKeys(passphrase, params) {
  if (needsUpgrade(params)) {
    throw new ParamsError("KDF parameters are weaker than the minimum this version accepts");
  }
  const seed = argon2id(passphrase, params);
  try {
    return {
      authKey: deriveKey(seed, labels.VAULT_AUTH_KEY),
      encKey: deriveKey(seed, labels.VAULT_ENC_KEY),
    };
  } finally {
    sodium.memzero(seed);
  }
}
