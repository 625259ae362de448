// The one browser module for a participant's work on a dialogue case (survivor, responsible
// person, lead and co-facilitator pages all use it): the case key, opening the case, sending,
// screening, and thin wrappers for every other route of /api/v1/dialogue/, all through
// lib/api.js. The checks live in case-core.js (pure; its header says what is guaranteed).
import { getJson, postJson, putJson, ApiError } from "../lib/api.js";
import * as core from "./case-core.js";

export {
  CaseError,
  checkParty,
  fingerprint,
  isFacilitator,
  lackingFacilitators,
  noteOn,
  recipientOf,
  staffUnlock,
  survivorName,
  vaultUnlock,
} from "./case-core.js";

const base = (caseId) => `dialogue/cases/${caseId}`;

// --- Cases and keys ----------------------------------------------------------------------------

export function listCases() {
  return getJson("dialogue/cases");
}

// She asks for a dialogue: the new case (CaseOut).
export function requestCase() {
  return postJson("dialogue/cases", {});
}

export function getCase(caseId) {
  return getJson(base(caseId));
}

// This participant's key pair for the case ({publicKey, secretKey, signing}): unwrapped from
// the server's copy, or made here and registered. `unlock` is core.vaultUnlock(vk) for a
// survivor and a responsible person, core.staffUnlock(staffKeypair) for a facilitator.
//
// A facilitator whose stored case key does not open with her staff key (an admin retired the
// one it was, and a counselor vouched for her new one) registers her staff key in its place:
// the server takes it only if it is her active, vouched staff key, and otherwise answers
// `key_registered`, when her page says why the stored one did not open. The key pair then
// carries `replaced: true` (her page says what follows).
export async function ensureCaseKey(caseId, unlock) {
  const caseOut = await getCase(caseId);
  const me = core.decodeParty(caseOut.parties.find((p) => p.id === caseOut.me));
  const stored = await getJson(`${base(caseId)}/key`);
  if (stored.wrapped_secret_key) {
    try {
      return core.loadCaseKey(unlock, me, stored.wrapped_secret_key);
    } catch (error) {
      if (unlock.kind !== "staff" || !(error instanceof core.CaseError)) throw error;
      return replaceStaffKey(caseId, unlock, me, error);
    }
  }
  const made = core.newCaseKey(unlock, me.id);
  try {
    await putJson(`${base(caseId)}/key`, made.body);
  } catch (error) {
    // Another tab registered one first: use that one, so both tabs agree.
    if (error instanceof ApiError && error.code === "key_registered") return ensureCaseKey(caseId, unlock);
    throw error;
  }
  return made.keypair;
}

async function replaceStaffKey(caseId, unlock, me, why) {
  const made = core.newCaseKey(unlock, me.id);
  try {
    await putJson(`${base(caseId)}/key`, made.body);
  } catch (error) {
    if (error instanceof ApiError && error.code === "key_registered") throw why;
    throw error;
  }
  return { ...made.keypair, replaced: true };
}

// {caseId, case, me, parties, keypair, items, plan}: every item this participant may read,
// opened (text, warning) or refused (a code); nothing unverified is ever shown.
// options.trustStaff(party) -> bool decides whether the lead's (or a former facilitator's)
// listed key is hers (teamTrust); without it no listed lead is trusted (fail closed).
export async function openCase(caseId, keypair, options = {}) {
  const [caseOut, rawItems, rawPlan] = await Promise.all([
    getCase(caseId),
    getJson(`${base(caseId)}/items`),
    getJson(`${base(caseId)}/plan`),
  ]);
  const ctx = core.contextOf(caseOut, keypair, options);
  const items = rawItems.map((raw) => core.openOne(ctx, raw));
  await reportAltered(caseId, items);
  return { ...ctx, items, plan: core.planWithText(rawPlan, items) };
}

// What this browser finds when an item was altered after it was written (not the waits of
// a normal case: an author not vouched for yet, an item not shared yet). Each is reported
// (the code only, once per item and reader on the server), so that the team and the
// supervisors learn it without the reader having to tell them; a report that fails changes
// nothing on the page, which says "tell your facilitator" either way.
const ALTERED = new Set(["bad_signature", "does_not_open", "malformed"]);

function reportAltered(caseId, items) {
  const altered = items.filter((item) => ALTERED.has(item.refused));
  return Promise.allSettled(
    altered.map((item) => postJson(`${base(caseId)}/items/${item.id}/check-failed`, { code: item.refused })),
  );
}

// The trustStaff to pass to openCase: the lead's key, and a former facilitator's, must be
// an endorsed staff key whose chain this browser checks itself (case-core.js staffTrustFrom).
export async function teamTrust(caseId) {
  return core.staffTrustFrom(await getJson(`${base(caseId)}/team-keys`));
}

// The lead vouches for a party's keys: refused unless the fingerprint is the one shown.
export function vouchFor(ctx, party, shownFingerprint) {
  const body = core.keyStatementFor(ctx, party, shownFingerprint);
  return postJson(`${base(ctx.caseId)}/parties/${party.id}/statement`, body);
}

// --- Items -------------------------------------------------------------------------------------

// {kind, text, warning, name, replaces, revision, subject, decision, stopRule, planKind, dueOn}:
// sealed to its author and every facilitator, signed, posted; the item as stored (ItemOut).
export function send(ctx, fields) {
  return postJson(`${base(ctx.caseId)}/items`, core.sealForCase(ctx, fields));
}

// A new revision of a returned item: same kind, next revision, naming the one it replaces.
export function revise(ctx, item, fields) {
  return send(ctx, { ...fields, kind: item.kind, replaces: item.id, revision: item.revision + 1 });
}

export function approve(ctx, item) {
  return postJson(`${base(ctx.caseId)}/items/${item.id}/screening`, core.approvalFor(ctx, item));
}

// Sealed keys for `reader`, in batches the server accepts (200 a request); returns how
// many keys were added (the server keeps any she holds already).
async function postShares(ctx, reader, keys) {
  const all = Object.entries(keys);
  let added = 0;
  for (let start = 0; start < all.length; start += 200) {
    const batch = Object.fromEntries(all.slice(start, start + 200));
    added += (await postJson(`${base(ctx.caseId)}/parties/${reader.id}/shared-keys`, { keys: batch })).added;
  }
  return added;
}

// The lead gives a co-facilitator (or the survivor specialist) who joined late the items
// written before she came; returns how many keys were added.
export function shareEarlierItems(ctx, co) {
  return postShares(ctx, co, core.sharesFor(ctx, co, ctx.items));
}

// A party gives the facilitators who joined after she wrote (a new lead) what she wrote;
// returns how many keys were added.
export async function shareMyEarlierItems(ctx) {
  let added = 0;
  for (const facilitator of core.lackingFacilitators(ctx)) {
    added += await postShares(ctx, facilitator, core.ownSharesFor(ctx, facilitator));
  }
  return added;
}

// A return, with her note to the author when she wrote one: sealed here to the author and
// the team, and stored by the server with the return or not at all.
export function returnItem(ctx, item, reason, note = "") {
  const body = { decision: "returned", return_reason: reason };
  if (note.trim()) body.note = core.sealForCase(ctx, { kind: "return-note", text: note.trim(), about: item.id });
  return postJson(`${base(ctx.caseId)}/items/${item.id}/screening`, body);
}

export function reject(ctx, item) {
  return postJson(`${base(ctx.caseId)}/items/${item.id}/screening`, { decision: "rejected" });
}

export function markRead(ctx, item) {
  return postJson(`${base(ctx.caseId)}/items/${item.id}/read`, {});
}

// --- Steps, consent, choices, plan, feedback, invitation ---------------------------------------

export function step(ctx, name) {
  return postJson(`${base(ctx.caseId)}/steps`, { step: name });
}

export const advance = (ctx) => step(ctx, "advance");
export const pause = (ctx) => step(ctx, "pause");
export const resume = (ctx) => step(ctx, "resume");
export const end = (ctx) => step(ctx, "end");

export function stop(ctx, rule, endCase) {
  return postJson(`${base(ctx.caseId)}/stops`, { rule, end: Boolean(endCase) });
}

export function consent(ctx, version) {
  return postJson(`${base(ctx.caseId)}/consent`, { version });
}

export function withdraw(ctx) {
  return postJson(`${base(ctx.caseId)}/consent/withdraw`, {});
}

// Her closed case's words deleted now, not on their day (the server refuses an open case).
export function forget(ctx) {
  return postJson(`${base(ctx.caseId)}/forget`, {});
}

export function setChoices(ctx, { tellRead, tellPlanOutcome, format }) {
  const body = { tell_read: Boolean(tellRead), tell_plan_outcome: Boolean(tellPlanOutcome), format };
  return putJson(`${base(ctx.caseId)}/choices`, body);
}

export function answerPlan(ctx, planId, accept) {
  return postJson(`${base(ctx.caseId)}/plan/${planId}/answer`, { accept: Boolean(accept) });
}

export function recordOutcome(ctx, planId, completed) {
  return postJson(`${base(ctx.caseId)}/plan/${planId}/outcome`, { completed: Boolean(completed) });
}

export function giveFeedback(ctx, answers) {
  return postJson(`${base(ctx.caseId)}/feedback`, { answers });
}

// The lead's one-time code for the responsible person ({code, expires_in_days}), shown once.
export function invite(ctx) {
  return postJson(`${base(ctx.caseId)}/invitation`, {});
}
