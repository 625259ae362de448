// Counselor-key endorsements. Twin of mend/crypto/endorsement.py (the message format, the
// signing-key derivation and the chain rule are described there), pinned by
// tests/vectors/endorsement.json. A survivor's browser seals shares only to keys that
// `trustedKeys` accepts.
import sodium from "./sodium.js";
import { COUNSELOR_SIGNING_SEED, ENDORSEMENT_DOMAIN } from "./labels.js";
import { concat, lp, utf8 } from "./bytes.js";
import { EndorsementError } from "./errors.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// The 16 bytes of a UUID written in its canonical text form.
export function uuidBytes(text) {
  const lower = String(text).toLowerCase();
  if (!UUID.test(lower)) throw new EndorsementError("not a UUID");
  return sodium.from_hex(lower.replaceAll("-", ""));
}

function check(value, length, what) {
  if (!(value instanceof Uint8Array) || value.length !== length) {
    throw new EndorsementError(`${what} must be ${length} bytes`);
  }
  return value;
}

// The exact bytes an endorser signs.
export function endorsementMessage(keyId, ownerId, publicKey, signingPublicKey) {
  return concat(
    lp(utf8(ENDORSEMENT_DOMAIN)),
    lp(uuidBytes(keyId)),
    lp(uuidBytes(ownerId)),
    lp(check(publicKey, 32, "the public key")),
    lp(check(signingPublicKey, 32, "the signing public key")),
  );
}

// The Ed25519 key pair of a counselor key, from its X25519 secret key.
export function signingKeypair(boxSecretKey) {
  const seed = sodium.crypto_generichash(
    32,
    utf8(COUNSELOR_SIGNING_SEED),
    check(boxSecretKey, 32, "the secret key"),
  );
  const pair = sodium.crypto_sign_seed_keypair(seed);
  return { publicKey: pair.publicKey, secretKey: pair.privateKey };
}

// The two public keys of a counselor key, from its X25519 secret key alone: what her own
// browser knows her key to be, whatever the server lists for it.
export function publicKeysOf(boxSecretKey) {
  return {
    publicKey: sodium.crypto_scalarmult_base(check(boxSecretKey, 32, "the secret key")),
    signingPublicKey: signingKeypair(boxSecretKey).publicKey,
  };
}

// Endorse a colleague's key: {keyId, ownerId, publicKey, signingPublicKey} -> 64 bytes.
export function signEndorsement(signingSecretKey, key) {
  const message = endorsementMessage(key.keyId, key.ownerId, key.publicKey, key.signingPublicKey);
  return sodium.crypto_sign_detached(message, signingSecretKey);
}

export function verifyEndorsement(record, endorserPublicKey) {
  check(endorserPublicKey, 32, "the endorser's key");
  const message = endorsementMessage(
    record.keyId,
    record.ownerId,
    record.publicKey,
    record.signingPublicKey,
  );
  let ok = false;
  try {
    ok = sodium.crypto_sign_verify_detached(
      check(record.signature, 64, "the signature"),
      message,
      endorserPublicKey,
    );
  } catch {
    ok = false;
  }
  if (!ok) throw new EndorsementError("the endorsement does not verify");
}

// What people compare aloud before vouching for a key: the first 16 bytes of SHA-256 over
// both public keys, in hex groups of four (mend.escrow.workspace.fingerprint is the twin).
export function fingerprint(publicKey, signingPublicKey) {
  const digest = sodium.to_hex(sodium.crypto_hash_sha256(concat(publicKey, signingPublicKey)));
  return digest.slice(0, 32).match(/.{4}/g).join(" ");
}

// The records trustedKeys checks, from staff keys as the server lists them ({id,
// counselor_id, public_key, signing_public_key, endorsed_by, endorsement}; `decode` turns
// the base64 fields into bytes): the escrow's keys and a dialogue case's team keys alike.
export function keyRecords(listed, decode) {
  return listed.map((k) => ({
    keyId: k.id,
    ownerId: k.counselor_id,
    publicKey: decode(k.public_key),
    signingPublicKey: decode(k.signing_public_key),
    endorsedBy: k.endorsed_by,
    signature: decode(k.endorsement),
  }));
}

// The keys a browser may seal shares to, from a list the server sent ({id, public_key,
// signing_public_key, counselor_id, endorsed_by, endorsement, sealable}, base64 fields
// decoded by `decode`): every key marked sealable, each checked to chain to the operator.
// Throws EndorsementError if the server marks as sealable a key no chain vouches for.
export function sealableKeys(listed, operatorPublicKey, decode) {
  const trusted = trustedKeys(keyRecords(listed, decode), operatorPublicKey);
  const sealable = listed.filter((k) => k.sealable);
  if (sealable.some((k) => !trusted.has(k.id))) {
    throw new EndorsementError("a counselor key has no valid endorsement");
  }
  return sealable;
}

// The ids of the records (keyId, ownerId, publicKey, signingPublicKey, endorsedBy: a key id
// or null for the operator, signature) that a chain of endorsements links to the operator.
// Callers look keys up by id, so a list naming one id twice is refused as a whole
// (EndorsementError): before this fix the chain was checked on one record of an id and the
// caller sealed to the other, which the server could fill with a public key of its own.
export function trustedKeys(records, operatorPublicKey) {
  const ids = new Set(records.map((r) => String(r.keyId).toLowerCase()));
  if (ids.size !== records.length) throw new EndorsementError("a key id is listed twice");
  const pending = new Map(records.map((r) => [r.keyId, r]));
  const trusted = new Map();
  for (;;) {
    const admitted = [...pending.values()].filter((r) => links(r, trusted, operatorPublicKey));
    if (admitted.length === 0) return new Set(trusted.keys());
    for (const record of admitted) {
      trusted.set(record.keyId, record);
      pending.delete(record.keyId);
    }
  }
}

function links(record, trusted, operator) {
  let endorserKey = operator;
  if (record.endorsedBy !== null) {
    const endorser = trusted.get(record.endorsedBy);
    if (!endorser || endorser.ownerId === record.ownerId) return false;
    endorserKey = endorser.signingPublicKey;
  }
  try {
    verifyEndorsement(record, endorserKey);
    return true;
  } catch (error) {
    if (error instanceof EndorsementError) return false;
    throw error;
  }
}
