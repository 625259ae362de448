// Where kept drafts wait (lib/draft.js locks them): this tab's sessionStorage, one slot per
// kind of page ("record" for the record form, "leave-letter" for the leave letter,
// "dialogue-message:<case>" for a dialogue's message box, "escrow-entry" for a Find others
// entry, "escrow-message" for her messages with a counselor), so one page's draft never
// lands in another's form or overwrites it; within a slot, openDraft tells records (entries,
// threads) apart by id. No crypto here: a page can ask whether a draft waits without
// loading libsodium. Quick exit and log out clear them all.
const PREFIX = "mend-vault-draft";

function storageKey(slot) {
  return slot === "record" ? PREFIX : `${PREFIX}:${slot}`;
}

export function readDraft(slot = "record") {
  try {
    return JSON.parse(window.sessionStorage.getItem(storageKey(slot)) || "null");
  } catch {
    return null;
  }
}

// False when storage is disabled or full: the words then stay only on the page behind.
export function writeDraft(slot, stored) {
  try {
    window.sessionStorage.setItem(storageKey(slot), JSON.stringify(stored));
    return true;
  } catch {
    return false;
  }
}

// Whether a draft waits in `slot`, or (no slot) in any of them (the log-in page says so).
export function hasDraft(slot) {
  if (slot) return readDraft(slot) !== null;
  try {
    return Object.keys(window.sessionStorage).some((key) => key.startsWith(PREFIX));
  } catch {
    return false;
  }
}

export function forgetDraft(slot = "record") {
  try {
    window.sessionStorage.removeItem(storageKey(slot));
  } catch {
    // Nothing stored.
  }
}
