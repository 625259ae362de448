// The survivor's side of the escrow protocol (ARCHITECTURE 9.1-9.4, docs/escrow.md).
// Pure: no page, no network (the caller passes `send`), so node tests run it as it is.
// Only mend/static/js/crypto/ touches libsodium; this module only calls it.
//
// Guarantees: identifiers leave this module only as blinded group elements (the server
// learns nothing from them) and as pi; the server's answer is used only after its DLEQ proof
// verifies against the published key; the entry leaves only encrypted under a fresh k_e.
import * as endorsement from "../crypto/endorsement.js";
import * as envelope from "../crypto/envelope.js";
import * as escrow from "../crypto/escrow.js";
import * as labels from "../crypto/labels.js";
import * as oprf from "../crypto/oprf.js";
import { oprfInput, tagIdentifiers } from "../crypto/canonical.js";
import { utf8 } from "../crypto/bytes.js";
import { fromBase64, toBase64 } from "../lib/base64.js";

export const entryContext = (id, version) =>
  envelope.context(labels.PURPOSE_ESCROW_ENTRY, id, version);
export const entryKeyContext = (id) => envelope.context(labels.PURPOSE_ESCROW_ENTRY_KEY, id, 1);
export const ownerKeyContext = (id) => envelope.context(labels.PURPOSE_ESCROW_OWNER_KEY, id, 1);
export const shareContext = (id) => envelope.context(labels.PURPOSE_ESCROW_SHARE, id, 1);

// The rules an entry's tags were made with, kept in its content: none (before the email
// provider rules, tags were the identifiers as typed) or 2 (tagInputs). Editing an entry
// with older tags makes them again, so it matches under the current rules too.
export const TAGGING = 2;

// The identifiers an entry's tags are made from, in order, without repeats: for each one
// it keeps, the canonical form and (when email provider rules change it) the form typed, so
// that entries stored before those rules still match (docs/crypto.md).
export function tagInputs(identifiers) {
  return [...new Set(identifiers.flatMap((id) => tagIdentifiers(id)))];
}

// The VOPRF outputs for canonical identifiers. `send(blindedBase64[])` returns the server's
// JSON answer {evaluated: [...], proof}; a proof that does not verify throws VerifyError.
export async function evaluate(identifiers, config, send) {
  const inputs = identifiers.map((id) => oprfInput(id));
  const blinds = inputs.map((input) => oprf.blind(input, oprf.Mode.VOPRF));
  const answer = await send(blinds.map((b) => toBase64(b.blindedElement)));
  const evaluation = {
    evaluatedElements: answer.evaluated.map(fromBase64),
    proof: fromBase64(answer.proof),
  };
  return oprf.finalizeVerifiable(inputs, blinds, evaluation, fromBase64(config.oprf_public_key));
}

// The counselor keys to seal to: only those whose endorsement chain this browser has checked
// against the operator's key (docs/adr/0007); EndorsementError, and nothing sealed, if the
// server lists any other.
export function sealableKeys(config) {
  return endorsement.sealableKeys(
    config.counselor_keys,
    fromBase64(config.operator_public_key),
    fromBase64,
  );
}

// One identifier's tag: pi and the share (x_u, f(x_u), c) sealed to every endorsed key.
export function makeTag(entryId, entryKey, output, config, keys = sealableKeys(config)) {
  const secrets = escrow.deriveEscrowSecrets(output, config.threshold);
  const x = escrow.xCoordinate(fromBase64(config.escrow_id));
  const c = envelope.wrapKey(escrow.entryWrapKey(secrets.secret), entryKey, entryKeyContext(entryId));
  const payload = escrow.encodeSharePayload({ x, y: escrow.shareFor(secrets, x) }, c);
  return {
    match_index: toBase64(secrets.matchIndex),
    shares: keys.map((key) => ({
      key_id: key.id,
      sealed: toBase64(envelope.seal(fromBase64(key.public_key), payload, shareContext(entryId))),
    })),
  };
}

function sealContent(entryKey, entryId, version, content) {
  const plain = utf8(JSON.stringify({ v: 1, ...content }));
  return toBase64(envelope.encrypt(entryKey, plain, entryContext(entryId, version)));
}

// The body of POST /escrow/entries. `content` holds identifiers (as typed, canonicalised
// without provider rules), what, contact, vault_record. `outputs` are the VOPRF outputs of
// tagInputs(content.identifiers), in order.
export function buildEntry(entryId, content, outputs, config, vk) {
  const entryKey = envelope.newKey();
  return {
    id: entryId,
    ciphertext: sealContent(entryKey, entryId, 1, content),
    owner_key: toBase64(envelope.wrapKey(vk, entryKey, ownerKeyContext(entryId))),
    tags: outputs.map((output) => makeTag(entryId, entryKey, output, config, sealableKeys(config))),
  };
}

// Her own entry, opened with her vault key: {entryKey, content}.
export function openOwn(entry, vk) {
  const entryKey = envelope.unwrapKey(vk, fromBase64(entry.owner_key), ownerKeyContext(entry.id));
  const plain = envelope.decrypt(entryKey, fromBase64(entry.ciphertext), entryContext(entry.id, entry.version));
  return { entryKey, content: JSON.parse(new TextDecoder().decode(plain)) };
}

// The body of PUT /escrow/entries/{id}: the new E at version + 1, new tags if the
// identifiers changed (`outputs` then holds their VOPRF outputs), and the auth key of her
// passphrase asked again (hex, lib/passphrase-again.js), which the server checks first.
export function buildEdit(entry, entryKey, content, outputs, config, authKey) {
  const body = {
    version: entry.version,
    ciphertext: sealContent(entryKey, entry.id, entry.version + 1, content),
    auth_key: authKey,
  };
  if (outputs) body.tags = outputs.map((o) => makeTag(entry.id, entryKey, o, config));
  return body;
}
