"""Every domain-separation label Mend's cryptography uses, in one place.

Mirrored byte for byte in static/js/crypto/labels.js; tests/vectors/labels.json pins both.
A label never changes meaning: a new construction gets a new label (and a new "-vN"), so
keys derived for one purpose can never be confused with keys for another.
"""

from __future__ import annotations

import re
from typing import Final

from mend.crypto.errors import CryptoError

# --- OPRF (RFC 9497) ------------------------------------------------------------------------
#: Prefix of every OPRF input in the escrow: the server evaluates "mend-escrow-v1|" + identifier.
ESCROW_OPRF_PREFIX: Final = "mend-escrow-v1|"
#: `info` for DeriveKeyPair of the server's escrow VOPRF key from its secret seed.
ESCROW_OPRF_KEY_INFO: Final = "mend-escrow-v1/oprf-key"

# --- HKDF-SHA-512 `info` labels ----------------------------------------------------------------
#: From the Argon2id seed: the key the server authenticates (it stores only a hash of it).
VAULT_AUTH_KEY: Final = "mend-vault-v1/auth-key"
#: From the Argon2id seed: the key that wraps the vault key VK; it never leaves the browser.
VAULT_ENC_KEY: Final = "mend-vault-v1/enc-key"
#: Server side: the salt of stable decoy KDF parameters for a username that does not exist.
VAULT_DECOY_SALT: Final = "mend-vault-v1/decoy-salt"
#: From the recovery key: the proof of holding it, which the server stores only hashed, so it
#: can check a recovery without learning the key (which wraps VK itself).
VAULT_RECOVERY_AUTH: Final = "mend-vault-v1/recovery-auth"
#: From the OPRF output O: the public matching index pi.
ESCROW_MATCH_INDEX: Final = "mend-escrow-v1/match-index"
#: From O: the shared secret scalar s (the polynomial's value at 0).
ESCROW_SECRET: Final = "mend-escrow-v1/secret"  # noqa: S105 (a label, not a password)
#: From O: coefficient a_i is derived with this prefix followed by i in decimal ("…/1", "…/2").
ESCROW_COEFFICIENT_PREFIX: Final = "mend-escrow-v1/coefficient/"
#: From s: the key K(s) that wraps each entry key k_e.
ESCROW_ENTRY_WRAP_KEY: Final = "mend-escrow-v1/entry-wrap-key"
#: From the random per-account escrow id: the survivor's x-coordinate x_u.
ESCROW_X_COORDINATE: Final = "mend-escrow-v1/x-coordinate"

HKDF_LABELS: Final = (
    VAULT_AUTH_KEY,
    VAULT_ENC_KEY,
    VAULT_DECOY_SALT,
    VAULT_RECOVERY_AUTH,
    ESCROW_MATCH_INDEX,
    ESCROW_SECRET,
    ESCROW_COEFFICIENT_PREFIX,
    ESCROW_ENTRY_WRAP_KEY,
    ESCROW_X_COORDINATE,
)

# --- Envelope purposes (part of the associated data of every ciphertext) -------------------
#: The vault key VK wrapped by enc_key (object id: the account).
PURPOSE_VAULT_KEY: Final = "vault-key"
#: VK wrapped by the recovery key shown once as words (object id: the account).
PURPOSE_VAULT_RECOVERY: Final = "vault-recovery"
#: A record's own random key wrapped by VK (object id: the record).
PURPOSE_RECORD_KEY: Final = "vault-record-key"
#: One saved version of a record, encrypted under the record key (object id: the record).
PURPOSE_RECORD: Final = "vault-record"
#: A file attached to a record, encrypted under the record key
#: (object id: "<record id>/<attachment id>"; object version: the version that added it).
PURPOSE_VAULT_ATTACHMENT: Final = "vault-attachment"
#: An escrow entry E = AEAD(k_e, entry) (object id: the entry).
PURPOSE_ESCROW_ENTRY: Final = "escrow-entry"
#: c = AEAD(K(s), k_e): opens only for whoever reconstructs s (object id: the entry).
PURPOSE_ESCROW_ENTRY_KEY: Final = "escrow-entry-key"
#: c_U = AEAD(VK, k_e), so the owner can edit her entry (object id: the entry).
PURPOSE_ESCROW_OWNER_KEY: Final = "escrow-owner-key"
#: The sealed box holding (x_u, y, c) for one counselor key (object id: the entry).
PURPOSE_ESCROW_SHARE: Final = "escrow-share"
#: A message between a counselor and a matched survivor, encrypted at rest by the server
#: (object id: the message). Not end-to-end: the server holds that key.
PURPOSE_ESCROW_MESSAGE: Final = "escrow-message"
#: A staff member's X25519 secret key, wrapped in their browser (object id: the staff key).
PURPOSE_STAFF_KEY: Final = "staff-key"
#: A dialogue item (message, letter, acknowledgment, assessment note, plan item) encrypted
#: in its author's browser under a fresh content key (object id: "<case id>/<item id>";
#: object version: the revision, so a returned and rewritten item is a new ciphertext).
PURPOSE_DIALOGUE_ITEM: Final = "dialogue-item"
#: An item's content key sealed to one reader's X25519 key
#: (object id: "<item id>/<reader participant id>"; object version: the revision).
PURPOSE_DIALOGUE_READER_KEY: Final = "dialogue-reader-key"
#: A participant's X25519 secret key wrapped in her (his) browser, for example by the vault
#: key VK (object id: the participant).
PURPOSE_DIALOGUE_KEY: Final = "dialogue-key"

PURPOSES: Final = frozenset(
    {
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
    }
)

# --- Signatures --------------------------------------------------------------------------
#: First field of every signed receipt message.
RECEIPT_DOMAIN: Final = "mend-receipt-v1"
#: First field of every counselor-key endorsement (mend.crypto.endorsement).
ENDORSEMENT_DOMAIN: Final = "mend-counselor-key-v1"
#: The BLAKE2b message, keyed by a counselor's X25519 secret key, that gives her signing seed.
COUNSELOR_SIGNING_SEED: Final = "mend-counselor-key-v1/signing-seed"
#: First field of every signed training certificate (mend.crypto.certificates).
CERTIFICATE_DOMAIN: Final = "mend-certificate-v1"
#: First field of every signed list of revoked certificates (mend.crypto.certificates).
REVOCATIONS_DOMAIN: Final = "mend-certificate-revocations-v1"
#: First field of every signed dialogue item (mend.crypto.dialogue): its author's statement.
DIALOGUE_ITEM_DOMAIN: Final = "mend-dialogue-item-v1"
#: First field of a facilitator's statement that a participant's public keys are hers (his).
DIALOGUE_KEY_DOMAIN: Final = "mend-dialogue-key-v1"
#: The BLAKE2b message, keyed by a participant's X25519 secret key, that gives the signing seed.
DIALOGUE_SIGNING_SEED: Final = "mend-dialogue-v1/signing-seed"
#: The BLAKE2b message, keyed by an item's content key, that commits the signature to that key.
DIALOGUE_KEY_COMMITMENT: Final = "mend-dialogue-v1/key-commitment"


# A coefficient's number as escrow_coefficient_label writes it: decimal, from 1, no leading 0.
_COEFFICIENT_NUMBER: Final = re.compile(r"[1-9][0-9]*")


def is_hkdf_label(label: str) -> bool:
    """True only for a registered HKDF label, or a coefficient label exactly as
    `escrow_coefficient_label` writes it.

    An exact match, not a prefix match: "mend-vault-v1/enc-key-2" (or the bare coefficient
    prefix, or "…/coefficient/01") is refused, so a typo or an attacker-chosen suffix can
    never name a key that a registered label does not.
    """
    if label in HKDF_LABELS and label != ESCROW_COEFFICIENT_PREFIX:
        return True
    number = label.removeprefix(ESCROW_COEFFICIENT_PREFIX)
    return number != label and _COEFFICIENT_NUMBER.fullmatch(number) is not None


def escrow_coefficient_label(index: int) -> str:
    """The HKDF label of coefficient a_index (index >= 1)."""
    if index < 1:
        raise CryptoError("coefficients are numbered from 1")
    return f"{ESCROW_COEFFICIENT_PREFIX}{index}"
