// The pure part of a dialogue participant's case work (case.js adds the requests): keys
// wrapped for the server, parties decoded and checked, items opened or refused, items
// sealed and approvals made. No request, no page: node tests run it as it is.
//
// Guarantees (ADR 0014; docs/dialogue.md "Keys in the browser"):
// - an item is shown only after its author's signature, the key commitment and the
//   author's key all check out: the author's key is her own (the reader's), the lead's, a
//   former facilitator's, or one the lead vouched for with a key statement signed by the
//   lead's key as it checks out here, never by a key merely listed as hers (a facilitator's
//   item signed before her retired staff key was replaced: by an earlier key of hers that
//   is an endorsed staff key of the same owner); anything else is `refused` with a code;
// - a message is sealed to its author and every facilitator of the case (never a former
//   one), never to the other party; an approval seals the content key only to the
//   recipient the case names, and only when the lead vouched for the recipient's key.
// The lead's key and a former facilitator's are trusted through `trustStaff`
// (staffTrustFrom: an endorsed staff key); a caller that passes none trusts the lead's as
// the server lists it, and a former facilitator's not at all. Not protected: lengths, times.
import * as dialogue from "../crypto/dialogue.js";
import * as endorsement from "../crypto/endorsement.js";
import * as envelope from "../crypto/envelope.js";
import { equal } from "../crypto/bytes.js";
import { CryptoError } from "../crypto/errors.js";
import * as labels from "../crypto/labels.js";
import { fromBase64, toBase64 } from "../lib/base64.js";

// A refusal of case work in the browser: `code` is stable (pages translate it).
export class CaseError extends Error {
  constructor(code, detail = "") {
    super(detail || code);
    this.code = code;
  }
}

const FACILITATOR_ROLES = Object.freeze(["lead", "co", "specialist"]);
const keyContext = (participantId) => envelope.context(labels.PURPOSE_DIALOGUE_KEY, participantId, 1);
const bytesOrNull = (text) => (text ? fromBase64(text) : null);

// --- Unlocking: how a participant's dialogue secret key is wrapped for the server ------------

// A survivor's or a responsible person's: a fresh key pair, its secret wrapped by the vault
// key VK (lib/keystore.js loadVaultKey().vk), signing key by the dialogue derivation.
export function vaultUnlock(vk) {
  return Object.freeze({
    kind: "vault",
    fresh: () => envelope.boxKeypair(),
    wrap: (secretKey, participantId) => envelope.wrapKey(vk, secretKey, keyContext(participantId)),
    unwrap: (wrapped, participantId) => envelope.unwrapKey(vk, wrapped, keyContext(participantId)),
    signing: (secretKey) => dialogue.signingKeypair(secretKey),
  });
}

// A facilitator's: her case key IS her staff key pair (counselor/keys.js, ADR 0007), and it
// signs with the staff signing key, the one the staff chain endorses, so the chain vouches
// for her case key as it is (domain labels keep an endorsement, an item and a key statement
// apart). The server still stores a wrapped secret per case: her staff secret wrapped by the
// dialogue derivation of that same secret (a keyed BLAKE2b, independent of the key it wraps
// and unused for signing by facilitators), so a stored copy opens only in her browser and
// tells a changed staff key apart from the one registered.
export function staffUnlock(staffKeypair) {
  const wrappingKey = dialogue.signingKeypair(staffKeypair.secretKey).secretKey.slice(0, 32);
  return Object.freeze({
    kind: "staff",
    fresh: () => staffKeypair,
    wrap: (secretKey, participantId) =>
      envelope.wrapKey(wrappingKey, secretKey, keyContext(participantId)),
    unwrap: (wrapped, participantId) => {
      const secretKey = envelope.unwrapKey(wrappingKey, wrapped, keyContext(participantId));
      if (!equal(secretKey, staffKeypair.secretKey)) throw new CaseError("staff_key_changed");
      return secretKey;
    },
    signing: (secretKey) => endorsement.signingKeypair(secretKey),
  });
}

// The body of PUT /cases/{id}/key and the key pair to keep: {publicKey, secretKey, signing}.
export function newCaseKey(unlock, participantId) {
  const pair = unlock.fresh();
  const signing = unlock.signing(pair.secretKey);
  const body = {
    box_public_key: toBase64(pair.publicKey),
    signing_public_key: toBase64(signing.publicKey),
    wrapped_secret_key: toBase64(unlock.wrap(pair.secretKey, participantId)),
  };
  return { body, keypair: { ...pair, signing } };
}

// The key pair from GET /cases/{id}/key and her party as the case lists it. CaseError
// "key_mismatch" if the secret she unwraps is not the one whose keys the server lists.
export function loadCaseKey(unlock, me, wrappedText) {
  let secretKey;
  try {
    secretKey = unlock.unwrap(fromBase64(wrappedText), me.id);
  } catch (error) {
    if (error instanceof CryptoError) throw new CaseError("key_does_not_open");
    throw error;
  }
  const signing = unlock.signing(secretKey);
  if (!me.signingKey || !equal(signing.publicKey, me.signingKey) || !me.boxKey) {
    throw new CaseError("key_mismatch");
  }
  return { publicKey: me.boxKey, secretKey, signing };
}

// --- Parties -----------------------------------------------------------------------------------

// A party of GET /cases/{id} with its keys decoded (null until registered).
export function decodeParty(raw) {
  return Object.freeze({
    id: raw.id,
    role: raw.role,
    boxKey: bytesOrNull(raw.box_public_key),
    signingKey: bytesOrNull(raw.signing_public_key),
    statement: bytesOrNull(raw.key_statement),
    // A facilitator's case keys before her current one (her staff key was retired): only
    // for checking what she signed with them (signerOf), never sealed to.
    earlierKeys: (raw.earlier_keys ?? []).map((k) =>
      Object.freeze({ boxKey: fromBase64(k.box_public_key), signingKey: fromBase64(k.signing_public_key) }),
    ),
  });
}

export function isFacilitator(party) {
  return FACILITATOR_ROLES.includes(party.role);
}

// What the lead and the party read aloud to each other before she vouches: 16 bytes of
// SHA-256 over both public keys in hex groups (the staff keys' fingerprint, ADR 0007).
export function fingerprint(party) {
  if (!party.boxKey || !party.signingKey) throw new CaseError("no_key");
  return endorsement.fingerprint(party.boxKey, party.signingKey);
}

export function leadOf(ctx) {
  return ctx.parties.find((p) => p.role === "lead") ?? null;
}

// Whether this party's keys may be trusted: her own (the keys in this browser), the lead's
// (ctx.trustStaff decides; without it, no lead is trusted), a former facilitator's (ctx.trustStaff
// only: what she wrote stays readable when she is taken off the case, and nothing is sealed
// to her), or one the lead vouched for with a key statement, counted only when the lead's
// listed key itself checks out here: a server that lists a signing key of its own as the
// lead's vouches for nothing with it.
export function checkParty(ctx, party) {
  if (!party?.boxKey || !party.signingKey) return false;
  if (party.id === ctx.me.id) {
    return equal(party.boxKey, ctx.keypair.publicKey) && equal(party.signingKey, ctx.keypair.signing.publicKey);
  }
  if (party.role === "former") return Boolean(ctx.trustStaff?.(party));
  const lead = leadOf(ctx);
  if (!lead) return false;
  if (party.id === lead.id) return Boolean(ctx.trustStaff?.(lead));
  if (!party.statement || !checkParty(ctx, lead)) return false;
  try {
    dialogue.verifyKeyStatement(party.statement, lead.signingKey, ctx.caseId, party.id, party.role, party.boxKey, party.signingKey);
    return true;
  } catch (error) {
    if (error instanceof CryptoError) return false;
    throw error;
  }
}

// The lead's key statement for a party, only if its fingerprint is the one she compared.
export function keyStatementFor(ctx, party, shownFingerprint) {
  if (ctx.me.role !== "lead") throw new CaseError("not_lead");
  if (fingerprint(party) !== shownFingerprint) throw new CaseError("fingerprint_differs");
  const { boxKey, signingKey } = party;
  const signature = dialogue.signKeyStatement(ctx.keypair.signing.secretKey, ctx.caseId, party.id, party.role, boxKey, signingKey);
  return { signature: toBase64(signature) };
}

// --- Items -------------------------------------------------------------------------------------

// What a party writes: a JSON object with its text, the content warning she may add, and
// the name she goes by in the case (screened with the text, so it is never an identifier
// the facilitator has not seen).
// A return note names, inside what is signed, the returned item it is about: a server that
// moved it to another item would be found out (openOne).
export function encodePayload(text, warning = "", name = "", about = "") {
  const payload = { text };
  if (warning) payload.warning = warning;
  if (name) payload.name = name;
  if (about) payload.about = about;
  return new TextEncoder().encode(JSON.stringify(payload));
}

const stringOr = (value) => (typeof value === "string" ? value : "");

export function decodePayload(bytes) {
  const payload = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  if (typeof payload?.text !== "string") throw new CaseError("malformed");
  return {
    text: payload.text,
    warning: stringOr(payload.warning),
    name: stringOr(payload.name),
    about: stringOr(payload.about),
  };
}

// The name the survivor goes by in the case: from her latest message that opened (every
// party reads it only from a message a facilitator passed on), or "" before any.
export function survivorName(ctx) {
  const hers = ctx.items.filter((i) => i.authorRole === "survivor" && i.name && !i.refused);
  return hers.length ? hers[hers.length - 1].name : "";
}

const refOf = (ctx, raw) => dialogue.itemRef(ctx.caseId, raw.id, raw.author, raw.kind, raw.revision);

function sealedOf(ctx, raw) {
  const readerKeys = new Map();
  if (raw.sealed_key) readerKeys.set(ctx.me.id, fromBase64(raw.sealed_key));
  return {
    body: fromBase64(raw.body),
    signature: fromBase64(raw.signature),
    commitment: fromBase64(raw.commitment),
    readerKeys,
  };
}

// The signing key an item of this author verifies with: her current one, or an earlier one
// of hers (her staff key was retired and she registered her new one in its place) that is
// an endorsed staff key of the same owner as her current one (ctx.trustStaff.ownerOf); null
// when none does.
function signerOf(ctx, ref, sealed, author) {
  const verifies = (signingKey) => {
    try {
      dialogue.verifyItem(ref, sealed, signingKey);
      return true;
    } catch {
      return false;
    }
  };
  if (verifies(author.signingKey)) return author.signingKey;
  const owner = ctx.trustStaff?.ownerOf?.(author) ?? null;
  if (owner === null) return null;
  const earlier = author.earlierKeys ?? [];
  const hers = earlier.find((k) => ctx.trustStaff.ownerOf(k) === owner && verifies(k.signingKey));
  return hers?.signingKey ?? null;
}

// Why an item cannot be shown, or null when it can be opened.
function refusalOf(ctx, raw, author) {
  if (!author?.signingKey) return "no_author_key";
  if (!checkParty(ctx, author)) return "unvouched_author";
  if (!raw.sealed_key) return "not_sealed";
  return null;
}

// An item of GET /items as this reader sees it: its fields, and `text` and `warning` when
// everything checks out, else `refused` with a code; `raw` is kept for approving.
export function openOne(ctx, raw) {
  const author = ctx.parties.find((p) => p.id === raw.author);
  const item = { ...fieldsOf(raw), authorRole: author?.role ?? null, raw };
  const refused = refusalOf(ctx, raw, author);
  if (refused) return { ...item, refused };
  try {
    const ref = refOf(ctx, raw);
    const sealed = sealedOf(ctx, raw);
    const signer = signerOf(ctx, ref, sealed, author);
    if (!signer) return { ...item, refused: "bad_signature" };
    const plaintext = dialogue.openItem(ref, sealed, ctx.keypair, ctx.me.id, signer);
    const payload = decodePayload(plaintext);
    if (payload.about !== (raw.kind === "return-note" ? raw.about : "")) {
      return { ...item, refused: "malformed" }; // a note moved, or a stray reference
    }
    return { ...item, ...payload };
  } catch (error) {
    if (error instanceof CryptoError) return { ...item, refused: "does_not_open" };
    if (error instanceof CaseError || error instanceof SyntaxError || error instanceof TypeError) {
      return { ...item, refused: "malformed" };
    }
    throw error;
  }
}

function fieldsOf(raw) {
  return {
    id: raw.id,
    kind: raw.kind,
    revision: raw.revision,
    replaces: raw.replaces,
    about: raw.about ?? null,
    author: raw.author,
    createdAt: raw.created_at,
    size: raw.size,
    screening: raw.screening,
    returnReason: raw.return_reason,
    read: raw.read,
  };
}

// Who may read an item from the start (the server's stages.may_read for a pending item):
// the author, every facilitator with a key, for a plan item both parties too, and for a
// return note the returned item's author (aboutAuthor); never a former facilitator, nor a
// facilitator whose staff key was retired (ctx.trustStaff.retired: she registers a new one).
export function initialReaders(ctx, kind, aboutAuthor = null) {
  return ctx.parties.filter(
    (p) =>
      p.boxKey &&
      p.role !== "former" &&
      !(isFacilitator(p) && ctx.trustStaff?.retired?.(p)) &&
      (p.id === ctx.me.id || isFacilitator(p) || kind === "plan-item" || p.id === aboutAuthor),
  );
}

// The body of POST /items: sealed to initialReaders, each of whose keys must check out.
// fields: {kind, text, warning, replaces, revision, subject, decision, stopRule, planKind,
// dueOn, name}; itemId is fresh (crypto.randomUUID) unless given.
export function sealForCase(ctx, fields, itemId = crypto.randomUUID()) {
  const revision = fields.revision ?? 1;
  const about = fields.about ? ctx.items.find((i) => i.id === fields.about) : null;
  if (fields.about && !about) throw new CaseError("note_fields");
  const readers = initialReaders(ctx, fields.kind, about?.author ?? null);
  if (!readers.some(isFacilitator)) throw new CaseError("no_team_key");
  const untrusted = readers.find((p) => !checkParty(ctx, p));
  if (untrusted) throw new CaseError("unvouched_reader", untrusted.role);
  const ref = dialogue.itemRef(ctx.caseId, itemId, ctx.me.id, fields.kind, revision);
  const sealed = dialogue.sealItem(
    ref,
    encodePayload(fields.text, fields.warning ?? "", fields.name ?? "", fields.about ?? ""),
    ctx.keypair.signing.secretKey,
    new Map(readers.map((p) => [p.id, p.boxKey])),
  );
  const body = {
    id: itemId,
    kind: fields.kind,
    revision,
    body: toBase64(sealed.body),
    signature: toBase64(sealed.signature),
    commitment: toBase64(sealed.commitment),
    reader_keys: Object.fromEntries([...sealed.readerKeys].map(([id, key]) => [id, toBase64(key)])),
  };
  const extra = {
    replaces: fields.replaces,
    subject: fields.subject,
    decision: fields.decision,
    stop_rule: fields.stopRule,
    plan_kind: fields.planKind,
    due_on: fields.dueOn,
    about: fields.about,
  };
  for (const [name, value] of Object.entries(extra)) if (value) body[name] = value;
  return body;
}

// The team's note on a returned item, as this reader opened and checked it, or "" (none,
// or one that did not check out: it is reported, not shown).
export function noteOn(ctx, item) {
  const note = ctx.items.find((i) => i.kind === "return-note" && i.about === item.id && !i.refused);
  return note?.text ?? "";
}

// The other party: his items go to her, hers to him (the server's recipient_of).
export function recipientOf(ctx, item) {
  const wanted = item.authorRole === "survivor" ? "responsible" : "survivor";
  return ctx.parties.find((p) => p.role === wanted) ?? null;
}

// A facilitator's approval: the body of POST …/screening, with the content key sealed to the
// recipient. Only an item that opened here (so it verified), to a recipient the lead vouched for.
export function approvalFor(ctx, item) {
  if (!isFacilitator(ctx.me)) throw new CaseError("not_facilitator");
  if (item.refused || item.text === undefined) throw new CaseError("not_opened");
  const recipient = recipientOf(ctx, item);
  if (!recipient?.boxKey) throw new CaseError("no_recipient_key");
  if (!checkParty(ctx, recipient)) throw new CaseError("unvouched_reader", recipient.role);
  return { decision: "approved", recipient_key: resealedTo(ctx, item, recipient) };
}

// The content key of an item opened here, sealed to `reader` (base64): an approval's, or a
// share's. The caller has checked the reader's key.
function resealedTo(ctx, item, reader) {
  const ref = refOf(ctx, item.raw);
  const key = dialogue.openContentKey(ref, ctx.keypair, ctx.me.id, sealedOf(ctx, item.raw));
  return toBase64(dialogue.wrapForReader(ref, key, reader.id, reader.boxKey));
}

// The lead's body for POST /parties/{co}/shared-keys: the content key of every item she
// opened, sealed to a co-facilitator or survivor specialist who joined after they were
// written. Only to one whose key the lead vouched for; the server keeps any key she holds
// already.
export function sharesFor(ctx, co, items) {
  if (ctx.me.role !== "lead") throw new CaseError("not_lead");
  if (!isFacilitator(co) || co.role === "lead") throw new CaseError("not_co_facilitator");
  if (!checkParty(ctx, co)) throw new CaseError("unvouched_reader", co.role);
  const opened = items.filter((item) => !item.refused && item.text !== undefined);
  return Object.fromEntries(opened.map((item) => [item.id, resealedTo(ctx, item, co)]));
}

// A party's body for POST /parties/{facilitator}/shared-keys: the content key of each item
// she wrote and opened here that the server says this facilitator lacks (`lacking`: she
// joined after it was written), sealed to her. Only to a facilitator whose key checks out
// (a new lead: an endorsed staff key); the server keeps any key she holds already.
export function ownSharesFor(ctx, facilitator) {
  if (!isFacilitator(facilitator)) throw new CaseError("not_team");
  if (!checkParty(ctx, facilitator)) throw new CaseError("unvouched_reader", facilitator.role);
  const lacks = (item) => (item.raw.lacking ?? []).includes(facilitator.id);
  const mine = ctx.items.filter((i) => i.author === ctx.me.id && !i.refused && i.text !== undefined && lacks(i));
  return Object.fromEntries(mine.map((item) => [item.id, resealedTo(ctx, item, facilitator)]));
}

// The facilitators who lack something she wrote, and whose key checks out.
export function lackingFacilitators(ctx) {
  const lacking = new Set(ctx.items.filter((i) => i.author === ctx.me.id).flatMap((i) => i.raw.lacking ?? []));
  return ctx.parties.filter((p) => lacking.has(p.id) && isFacilitator(p) && checkParty(ctx, p));
}

// The plan of GET /plan with each entry's opened text (from its plan-item item), if any.
export function planWithText(plan, items) {
  const byId = new Map(items.map((i) => [i.id, i]));
  return plan.map((p) => {
    const item = byId.get(p.item);
    return {
      id: p.id,
      item: p.item,
      kind: p.kind,
      dueOn: p.due_on,
      answer: p.answer,
      outcome: p.outcome,
      text: item?.text,
      refused: item ? item.refused : "not_sealed",
    };
  });
}

// A trustStaff for contextOf from GET /team-keys: the lead's (or a former facilitator's)
// listed keys are trusted only when they are a staff key whose endorsement chain this
// browser checked up to the operator's key (ADR 0007; ADR 0014 "Facilitator keys"), so a
// server that lists a false lead key is caught here, before anything is sealed to it.
// Beside it: `ownerOf(keys)`, the owner of such an endorsed key (or null), so that a
// facilitator's earlier key is trusted only as another endorsed key of hers; and
// `retired(party)`, a facilitator's key the server lists as one not to seal to (an admin
// retired it): what it signed is still checked, nothing new goes to it.
export function staffTrustFrom(teamKeys) {
  const decode = (text) => fromBase64(text);
  const records = endorsement.keyRecords(teamKeys.keys, decode);
  const trusted = endorsement.trustedKeys(records, decode(teamKeys.operator_public_key));
  const endorsed = records.filter((r) => trusted.has(r.keyId));
  const matches = (keys) => (r) => equal(r.publicKey, keys.boxKey) && equal(r.signingPublicKey, keys.signingKey);
  const ownerOf = (keys) => (keys?.boxKey && keys.signingKey ? (endorsed.find(matches(keys))?.ownerId ?? null) : null);
  const trust = (party) => ownerOf(party) !== null;
  const sealable = new Set(teamKeys.keys.filter((k) => k.sealable).map((k) => k.id));
  trust.ownerOf = ownerOf;
  trust.retired = (party) => {
    if (!party?.boxKey) return false;
    const same = records.filter((r) => equal(r.publicKey, party.boxKey));
    return same.length > 0 && !same.some((r) => sealable.has(r.keyId));
  };
  return trust;
}

// The context every case call takes: {caseId, case, me, parties, keypair, trustStaff}.
export function contextOf(caseOut, keypair, options = {}) {
  const parties = caseOut.parties.map(decodeParty);
  const me = parties.find((p) => p.id === caseOut.me);
  if (!me) throw new CaseError("not_a_party");
  return { caseId: caseOut.id, case: caseOut, me, parties, keypair, trustStaff: options.trustStaff ?? null };
}
