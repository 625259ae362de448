// Her messages with her counselor. The page is a plain form that works without this
// script; the script keeps what she types through the end of her session: as the record
// form and the dialogue's message box do (lib/draft.js, in the slot "escrow-message"), the
// words in the box are locked with her vault key VK into this tab before the form goes and
// at the idle sign-out, and come back in this thread's box after she logs in again, not
// sent until she says so. Nothing of a draft is sent; only the message she sends reaches
// the server (which can read messages, as the page tells her).
//
// This script runs the page's idle clock (not lib/idle-page.js). Its crypto is loaded only
// when there are words to lock or a draft to open, so the clock never waits for libsodium.
import { forgetDraft, hasDraft } from "../lib/draft-store.js";
import { loadVaultKey } from "../lib/keystore.js";
import { $, config, guard, run, say, t } from "../lib/page.js";
import { findVaultKey, installSession } from "../lib/session.js";

const SLOT = "escrow-message";
const form = $("[data-qa=message-form]");
const box = form?.elements.namedItem("text");
let sending = false;

function draftCode() {
  return Promise.all([import("../lib/draft.js"), import("../lib/keys.js")]).then(([draft, keys]) => ({
    ...draft,
    newKey: keys.newKey,
  }));
}

// A thread's draft is locked as a record named by the thread's id (at version 1, so it is
// never taken for a new record's): one thread's words never land in another's box. With
// them goes how many messages she had sent, so that words which went are not brought back.
async function keep(vk) {
  if (!box?.value.trim()) return; // an empty box: nothing unsent
  const code = await draftCode();
  const lock = { id: config.thread_id, key: code.newKey(), version: 1 };
  code.keepDraft(vk, lock, { text: box.value, sent: String(config.messages_sent) }, SLOT);
}

// Words kept at an earlier sign-out come back into this thread's box, and she is told so.
async function restore() {
  if (!box || !hasDraft(SLOT)) return;
  const held = await findVaultKey();
  if (!held) return;
  const draft = (await draftCode()).openDraft(held.vk, config.thread_id, SLOT);
  if (!draft) return; // another thread's words, or locked by someone else: left waiting
  // She has sent a message since they were kept: they went (the form was sent).
  if (draft.fields.sent !== String(config.messages_sent)) return forgetDraft(SLOT);
  // A send the server refused (too many messages) gives her words back in the box itself.
  if (box.value.trim()) return;
  box.value = draft.fields.text ?? "";
  say($("[data-qa=status]"), t("message_draft_back"));
}

// Locked into this tab before the form goes: a send refused because her session ended (the
// server then asks her to log in first) loses nothing. The form goes even if locking fails.
async function lockThenSend(event) {
  if (sending) return event.preventDefault();
  const held = loadVaultKey();
  if (!held || !box.value.trim()) return; // nothing to lock: the form goes as it is
  event.preventDefault();
  sending = true;
  try {
    await keep(held.vk);
  } catch (error) {
    console.error(error);
  }
  form.submit();
}

async function main() {
  installSession({ keepUnsaved: keep });
  form?.addEventListener("submit", guard(lockThenSend));
  await restore();
}

run(main);
