// Unsaved record text kept through the idle sign-out (issue 9), and the leave letter,
// locked before each save so that a save refused because her session ended loses nothing
// (leave/letter-save.js). When the time-out comes
// while the form holds words that were not saved, they are locked exactly as the next
// version would be (the record's key, bound to its id and version; the record key wrapped
// by the vault key VK) and the locked bytes are kept in this tab's sessionStorage. VK is
// then wiped with the other keys, so the draft opens again only after she logs in with her
// passphrase (which unwraps the same VK). Nothing of it is sent to the server.
// Not protected: that a draft exists, and its size. Quick exit and log out wipe it.
import { fromBase64, toBase64 } from "./base64.js";
import * as keys from "./keys.js";
import { readDraft, writeDraft } from "./draft-store.js";

export { forgetDraft, hasDraft } from "./draft-store.js";

// record: {id, key, version} as the form holds it; fields: {name: text}; slot: the kind of
// page (draft-store.js).
export function keepDraft(vk, record, fields, slot = "record") {
  const version = record.version + 1;
  const content = { v: 1, fields, attachments: [] };
  const stored = {
    recordId: record.id,
    baseVersion: record.version,
    wrappedKey: toBase64(keys.wrapRecordKey(vk, record.key, record.id)),
    sealed: toBase64(keys.sealRecord(record.key, record.id, version, content)),
  };
  return writeDraft(slot, stored);
}

// The draft for this page: for the record `recordId`, or (recordId null) a record never
// saved. Returns {record: {id, key, version, wrappedKey}, fields} or null. A draft that
// does not open with this VK (someone else signed in to this tab) is left alone: it is
// hers, and it goes only when she saves it, logs out, or uses the quick exit.
export function openDraft(vk, recordId, slot = "record") {
  const stored = readDraft(slot);
  if (!stored) return null;
  const isNew = stored.baseVersion === 0;
  if (recordId ? stored.recordId !== recordId : !isNew) return null;
  try {
    const wrappedKey = fromBase64(stored.wrappedKey);
    const key = keys.unwrapRecordKey(vk, wrappedKey, stored.recordId);
    const sealed = fromBase64(stored.sealed);
    const content = keys.openRecord(key, stored.recordId, stored.baseVersion + 1, sealed);
    const record = { id: stored.recordId, key, version: stored.baseVersion, wrappedKey };
    return { record, fields: content.fields || {} };
  } catch {
    return null;
  }
}
