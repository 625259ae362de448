// The counselor's key pair: made and unlocked in her browser (ADR 0005). The secret key is
// wrapped under a key derived (Argon2id, production cost) from her key passphrase, which
// never leaves this browser. Pure apart from randomness: node tests run it as it is.
import * as endorsement from "../crypto/endorsement.js";
import * as envelope from "../crypto/envelope.js";
import { EndorsementError } from "../crypto/errors.js";
import { equal } from "../crypto/bytes.js";
import * as kdf from "../crypto/kdf.js";
import * as labels from "../crypto/labels.js";
import { fromBase64, toBase64 } from "../lib/base64.js";

// The server lists other public keys for her key than her secret key gives: a database
// writer's swap. Its own class, so that every page that unlocks her key says exactly that.
export class ListedKeyMismatch extends EndorsementError {}

const keyContext = (keyId) => envelope.context(labels.PURPOSE_STAFF_KEY, keyId, 1);

// The body of POST /counselor/key, and the key pair to keep in memory.
export function makeKey(keyId, passphrase, params = kdf.newParams()) {
  const pair = envelope.boxKeypair();
  const wrapping = kdf.deriveVaultKeys(passphrase, params).encKey;
  const wrapped = envelope.wrapKey(wrapping, pair.secretKey, keyContext(keyId));
  const body = {
    id: keyId,
    public_key: toBase64(pair.publicKey),
    signing_public_key: toBase64(endorsement.signingKeypair(pair.secretKey).publicKey),
    wrapped_secret_key: toBase64(wrapped),
    kdf_params: kdf.paramsToDict(params),
  };
  return { body, keypair: pair };
}

// The key pair from GET /counselor/key and her passphrase; DecryptionError if it is wrong.
// The public keys are her secret key's own: EndorsementError if the server lists others for
// it (a database writer who swapped them in, so that a colleague vouches for the server's key
// under her name, is caught the first time she unlocks it).
export function unlockKey(key, passphrase) {
  const params = kdf.paramsFromDict(key.kdf_params);
  const wrapping = kdf.deriveVaultKeys(passphrase, params).encKey;
  const secretKey = envelope.unwrapKey(wrapping, fromBase64(key.wrapped_secret_key), keyContext(key.id));
  const own = endorsement.publicKeysOf(secretKey);
  const listedSigning = key.signing_public_key ? fromBase64(key.signing_public_key) : null;
  if (
    !equal(own.publicKey, fromBase64(key.public_key)) ||
    (listedSigning !== null && !equal(own.signingPublicKey, listedSigning))
  ) {
    throw new ListedKeyMismatch("the server lists other public keys for this key");
  }
  return { publicKey: own.publicKey, secretKey };
}

// The fingerprint she reads aloud, from her unlocked secret key alone (publicKeysOf): never
// from the public keys a server lists for her, which a database writer could swap for his.
export function ownFingerprint(keypair) {
  const own = endorsement.publicKeysOf(keypair.secretKey);
  return endorsement.fingerprint(own.publicKey, own.signingPublicKey);
}

// Her endorsement of a colleague's key (an item of GET /counselor/keys/pending), signed with
// the signing key derived from her own unlocked key: the body of POST .../endorse. Throws
// EndorsementError unless the key's fingerprint is `shown`, the one she compared.
export function endorseKey(keypair, pending, shown) {
  const key = {
    keyId: pending.id,
    ownerId: pending.counselor_id,
    publicKey: fromBase64(pending.public_key),
    signingPublicKey: fromBase64(pending.signing_public_key),
  };
  if (endorsement.fingerprint(key.publicKey, key.signingPublicKey) !== shown) {
    throw new EndorsementError("the key is not the one whose fingerprint is shown");
  }
  const signer = endorsement.signingKeypair(keypair.secretKey);
  return { signature: toBase64(endorsement.signEndorsement(signer.secretKey, key)) };
}
