// Versioned envelopes: XChaCha20-Poly1305 with bound context, key wrapping, sealed boxes.
// Twin of mend/crypto/envelope.py (formats and guarantees are in its docstring):
//   context:  version:u8 | lp(purpose) | lp(objectId) | objectVersion:u32
//   envelope: version:u8 | nonce(24) | ciphertext+tag
//   sealed:   version:u8 | crypto_box_seal(context | message)
import sodium from "./sodium.js";
import { PURPOSES } from "./labels.js";
import { concat, equal, i2osp, lp, utf8 } from "./bytes.js";
import { CryptoError, DecryptionError, UnsupportedVersionError } from "./errors.js";

export const VERSION = 1;
export const KEY_BYTES = 32;
export const NONCE_BYTES = 24;
export const TAG_BYTES = 16;
export const OVERHEAD = 1 + NONCE_BYTES + TAG_BYTES;
const BOX_SEAL_OVERHEAD = 48;

// What a ciphertext is for; bound to it as associated data.
export function context(purpose, objectId, objectVersion) {
  if (!PURPOSES.includes(purpose))
    throw new CryptoError(`unknown purpose ${purpose}: add it to labels.js`);
  const id = utf8(objectId);
  if (id.length < 1 || id.length > 255)
    throw new CryptoError("object id must be 1 to 255 bytes of UTF-8");
  if (!Number.isInteger(objectVersion) || objectVersion < 0 || objectVersion >= 2 ** 32) {
    throw new CryptoError("object version must fit in 32 bits");
  }
  return Object.freeze({ purpose, objectId, objectVersion });
}

export function encodeContext(ctx) {
  return concat(
    i2osp(VERSION, 1),
    lp(utf8(ctx.purpose)),
    lp(utf8(ctx.objectId)),
    i2osp(ctx.objectVersion, 4),
  );
}

export function newKey() {
  return sodium.randombytes_buf(KEY_BYTES);
}

// Encrypt and bind to `ctx`. `nonce` is injectable only for test vectors.
export function encrypt(key, plaintext, ctx, { nonce = null } = {}) {
  checkKey(key);
  const n = nonce ?? sodium.randombytes_buf(NONCE_BYTES);
  if (n.length !== NONCE_BYTES) throw new CryptoError(`nonce must be ${NONCE_BYTES} bytes`);
  const body = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
    plaintext,
    encodeContext(ctx),
    null,
    n,
    key,
  );
  return concat([VERSION], n, body);
}

export function decrypt(key, envelope, ctx) {
  checkKey(key);
  checkVersion(envelope, OVERHEAD);
  const nonce = envelope.slice(1, 1 + NONCE_BYTES);
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      envelope.slice(1 + NONCE_BYTES),
      encodeContext(ctx),
      nonce,
      key,
    );
  } catch {
    throw new DecryptionError("wrong key, wrong context, or the data was changed");
  }
}

export function wrapKey(wrappingKey, key, ctx, { nonce = null } = {}) {
  checkKey(key);
  return encrypt(wrappingKey, key, ctx, { nonce });
}

export function unwrapKey(wrappingKey, wrapped, ctx) {
  return checkKey(decrypt(wrappingKey, wrapped, ctx));
}

// An X25519 key pair for sealed boxes: fresh, or deterministic from a 32-byte seed.
export function boxKeypair(seed = null) {
  const pair =
    seed === null ? sodium.crypto_box_keypair() : sodium.crypto_box_seed_keypair(checkKey(seed));
  return { publicKey: pair.publicKey, secretKey: pair.privateKey };
}

// Anonymous public-key encryption bound to `ctx`. `ephemeralSeed` only reproduces vectors:
// it builds libsodium's sealed-box format from a fixed ephemeral key.
export function seal(publicKey, message, ctx, { ephemeralSeed = null } = {}) {
  checkKey(publicKey);
  if (ephemeralSeed !== null) checkKey(ephemeralSeed);
  const plaintext = concat(encodeContext(ctx), message);
  let body;
  try {
    body =
      ephemeralSeed === null
        ? sodium.crypto_box_seal(plaintext, publicKey)
        : sealDeterministic(publicKey, plaintext, ephemeralSeed);
  } catch {
    // libsodium refuses low-order public keys
    throw new CryptoError("the recipient public key cannot be used");
  }
  return concat([VERSION], body);
}

export function openSealed(keypair, sealed, ctx) {
  checkVersion(sealed, 1 + BOX_SEAL_OVERHEAD);
  let plaintext;
  try {
    plaintext = sodium.crypto_box_seal_open(sealed.slice(1), keypair.publicKey, keypair.secretKey);
  } catch {
    throw new DecryptionError("not sealed to this key, or the data was changed");
  }
  const expected = encodeContext(ctx);
  if (!equal(plaintext.slice(0, expected.length), expected)) {
    throw new DecryptionError("the sealed box was made for a different context");
  }
  return plaintext.slice(expected.length);
}

function sealDeterministic(publicKey, plaintext, seed) {
  const ephemeral = boxKeypair(seed);
  const nonce = sodium.crypto_generichash(24, concat(ephemeral.publicKey, publicKey), null);
  return concat(
    ephemeral.publicKey,
    sodium.crypto_box_easy(plaintext, nonce, publicKey, ephemeral.secretKey),
  );
}

function checkKey(key) {
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) {
    throw new CryptoError(`key must be ${KEY_BYTES} bytes`);
  }
  return key;
}

function checkVersion(data, minimum) {
  if (data.length < minimum) throw new DecryptionError("ciphertext is truncated");
  if (data[0] !== VERSION)
    throw new UnsupportedVersionError(`unknown ciphertext version ${data[0]}`);
}
