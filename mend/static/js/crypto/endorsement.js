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

// The ids of the records (keyId, ownerId, publicKey, signingPublicKey, endorsedBy: a key id
// or null for the operator, signature) that a chain of endorsements links to the operator.
export function trustedKeys(records, operatorPublicKey) {
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
