// Dialogue items: encrypted by their author, readable by whom the case allows, never altered.
// Twin of mend/crypto/dialogue.py (formats and guarantees are in its docstring; ADR 0014),
// pinned by tests/vectors/dialogue.json. A reader's browser shows an item only after
// `openItem` has checked the author's signature and the key commitment.
import sodium from "./sodium.js";
import * as envelope from "./envelope.js";
import { uuidBytes } from "./endorsement.js";
import {
  DIALOGUE_ITEM_DOMAIN,
  DIALOGUE_KEY_COMMITMENT,
  DIALOGUE_KEY_DOMAIN,
  DIALOGUE_SIGNING_SEED,
  PURPOSE_DIALOGUE_ITEM,
  PURPOSE_DIALOGUE_READER_KEY,
} from "./labels.js";
import { concat, equal, i2osp, lp, utf8 } from "./bytes.js";
import { CryptoError, DialogueError } from "./errors.js";

export const KINDS = Object.freeze([
  "message",
  "letter",
  "acknowledgment",
  "assessment",
  "plan-item",
  "return-note",
]);
export const ROLES = Object.freeze(["survivor", "responsible", "lead", "co", "specialist"]);

function check(value, length, what) {
  if (!(value instanceof Uint8Array) || value.length !== length) {
    throw new DialogueError(`${what} must be ${length} bytes`);
  }
  return value;
}

// {caseId, itemId, authorId, kind, revision}: every field is signed and bound.
export function itemRef(caseId, itemId, authorId, kind, revision) {
  if (!KINDS.includes(kind)) throw new DialogueError(`unknown item kind ${kind}`);
  if (!Number.isInteger(revision) || revision < 1 || revision >= 2 ** 32) {
    throw new DialogueError("the revision must be between 1 and 2**32 - 1");
  }
  return Object.freeze({ caseId, itemId, authorId, kind, revision });
}

const bodyContext = (ref) =>
  envelope.context(PURPOSE_DIALOGUE_ITEM, `${ref.caseId}/${ref.itemId}`, ref.revision);
const readerContext = (ref, readerId) =>
  envelope.context(PURPOSE_DIALOGUE_READER_KEY, `${ref.itemId}/${readerId}`, ref.revision);

// The Ed25519 key pair of a participant's dialogue key, from its X25519 secret key.
export function signingKeypair(boxSecretKey) {
  const seed = sodium.crypto_generichash(
    32,
    utf8(DIALOGUE_SIGNING_SEED),
    check(boxSecretKey, 32, "the secret key"),
  );
  const pair = sodium.crypto_sign_seed_keypair(seed);
  return { publicKey: pair.publicKey, secretKey: pair.privateKey };
}

export function keyCommitment(contentKey) {
  const key = check(contentKey, 32, "the content key");
  return sodium.crypto_generichash(32, utf8(DIALOGUE_KEY_COMMITMENT), key);
}

// The exact bytes an author signs.
export function itemStatement(ref, body, commitment) {
  return concat(
    lp(utf8(DIALOGUE_ITEM_DOMAIN)),
    lp(uuidBytes(ref.caseId)),
    lp(uuidBytes(ref.itemId)),
    lp(uuidBytes(ref.authorId)),
    lp(utf8(ref.kind)),
    i2osp(ref.revision, 4),
    lp(sodium.crypto_hash_sha256(body)),
    lp(check(commitment, 32, "the key commitment")),
  );
}

// Encrypt, sign and seal the key to each reader: readers is a Map of participant id ->
// X25519 public key. contentKey, nonce and ephemeralSeeds reproduce test vectors only.
export function sealItem(ref, plaintext, signingSecretKey, readers, options = {}) {
  const { contentKey = null, nonce = null, ephemeralSeeds = new Map() } = options;
  const key = contentKey ?? envelope.newKey();
  const body = envelope.encrypt(key, plaintext, bodyContext(ref), { nonce });
  const commitment = keyCommitment(key);
  const signature = sodium.crypto_sign_detached(
    itemStatement(ref, body, commitment),
    signingSecretKey,
  );
  const readerKeys = new Map();
  for (const [readerId, publicKey] of readers) {
    const ephemeralSeed = ephemeralSeeds.get(readerId) ?? null;
    readerKeys.set(readerId, wrapForReader(ref, key, readerId, publicKey, { ephemeralSeed }));
  }
  return { body, signature, commitment, readerKeys };
}

// Seal the content key to one more reader: what a facilitator's approval adds.
export function wrapForReader(ref, contentKey, readerId, readerPublicKey, options = {}) {
  const ephemeralSeed = options.ephemeralSeed ?? null;
  const key = check(contentKey, 32, "the content key");
  return envelope.seal(readerPublicKey, key, readerContext(ref, readerId), { ephemeralSeed });
}

function verify(signature, message, publicKey, what) {
  check(publicKey, 32, "the signing public key");
  let ok = false;
  try {
    const checked = check(signature, 64, "the signature");
    ok = sodium.crypto_sign_verify_detached(checked, message, publicKey);
  } catch {
    ok = false;
  }
  if (!ok) throw new DialogueError(`the ${what} does not verify`);
}

export function verifyItem(ref, item, authorSigningKey) {
  verify(
    item.signature,
    itemStatement(ref, item.body, item.commitment),
    authorSigningKey,
    "author's signature",
  );
}

// The content key sealed to this reader, checked against the signed commitment.
export function openContentKey(ref, keypair, readerId, item) {
  const sealed = item.readerKeys.get(readerId);
  if (!sealed) throw new DialogueError("this item's key was not sealed to this reader");
  let key;
  try {
    key = envelope.openSealed(keypair, sealed, readerContext(ref, readerId));
    check(key, 32, "the content key");
  } catch (error) {
    if (!(error instanceof CryptoError)) throw error;
    throw new DialogueError("the sealed content key does not open");
  }
  if (!equal(keyCommitment(key), item.commitment)) {
    throw new DialogueError("the content key is not the one the author signed");
  }
  return key;
}

// Verify the author's signature, open the reader's key, decrypt; or throw DialogueError.
export function openItem(ref, item, keypair, readerId, authorSigningKey) {
  verifyItem(ref, item, authorSigningKey);
  const key = openContentKey(ref, keypair, readerId, item);
  try {
    return envelope.decrypt(key, item.body, bodyContext(ref));
  } catch {
    throw new DialogueError("the item does not decrypt");
  }
}

export function keyStatement(caseId, participantId, role, boxPublicKey, signingPublicKey) {
  if (!ROLES.includes(role)) throw new DialogueError(`unknown role ${role}`);
  return concat(
    lp(utf8(DIALOGUE_KEY_DOMAIN)),
    lp(uuidBytes(caseId)),
    lp(uuidBytes(participantId)),
    lp(utf8(role)),
    lp(check(boxPublicKey, 32, "the public key")),
    lp(check(signingPublicKey, 32, "the signing public key")),
  );
}

export function signKeyStatement(signingSecretKey, caseId, participantId, role, boxKey, signKey) {
  const statement = keyStatement(caseId, participantId, role, boxKey, signKey);
  return sodium.crypto_sign_detached(statement, signingSecretKey);
}

export function verifyKeyStatement(signature, facilitatorKey, caseId, participantId, ...keys) {
  const [role, boxKey, signKey] = keys;
  const statement = keyStatement(caseId, participantId, role, boxKey, signKey);
  verify(signature, statement, facilitatorKey, "key statement");
}
