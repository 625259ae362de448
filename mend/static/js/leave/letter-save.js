// Saving the letter to "Keep a record", on a signed-in survivor's page only (the server
// gives the Save button, the idle clock's configuration and the CSP that lets libsodium
// run to her alone). The crypto is loaded when she saves, when her session times out with
// a letter on the page, or when a letter kept earlier waits for her: never for anyone else.
//
// Nothing is lost when her session ends: before the letter is sent it is locked into this
// tab (lib/draft.js, the vault's own draft, in the slot "leave-letter"), so a save that the
// server refuses because she was signed out, or the idle sign-out, leaves it waiting there;
// after she logs in again it comes back into the page, not saved until she says so.
import { findVaultKey, installSession } from "../lib/session.js";
import { forgetDraft, hasDraft } from "../lib/draft-store.js";

const SLOT = "leave-letter";
let record = null; // the record the next save creates; kept with the draft, so a retry reuses it

function vaultCode() {
  return Promise.all([import("../lib/draft.js"), import("../lib/records.js")]).then(([draft, records]) => ({
    ...draft,
    ...records,
  }));
}

function keep(code, vk, fields) {
  record ??= code.newRecord(vk);
  code.keepDraft(vk, record, fields, SLOT);
}

// Locks the letter into this tab, then sends it locked. Returns false when this tab holds
// no vault key (she has to log in first; nothing was sent).
export async function saveLetter(letter, fields) {
  const held = await findVaultKey();
  if (!held) return false;
  const code = await vaultCode();
  keep(code, held.vk, fields);
  const notes = [letter.subject, ...letter.paragraphs].join("\n\n");
  const content = { v: code.FORMAT, fields: { title: letter.subject, notes }, attachments: [] };
  await code.saveVersion(record, content);
  record = null;
  forgetDraft(SLOT);
  return true;
}

// readFields(): what she typed ({name: text}), or null when there is nothing to keep.
// restore(fields): puts a kept letter back on the page. Runs the idle clock, and brings
// back a letter kept at an earlier sign-out.
export async function startSaving({ readFields, restore }) {
  installSession({
    keepUnsaved: async (vk) => {
      const fields = readFields();
      if (fields) keep(await vaultCode(), vk, fields);
    },
  });
  if (!hasDraft(SLOT)) return;
  const held = await findVaultKey();
  if (!held) return;
  const draft = (await vaultCode()).openDraft(held.vk, null, SLOT);
  if (!draft) return;
  record = draft.record;
  await restore(draft.fields);
}
