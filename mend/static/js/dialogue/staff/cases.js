// The facilitator's list of cases: she makes her staff key here, before any case is given to
// her, so that a counselor can vouch for it in time (docs/dialogue.md, "Who vouches for
// it"); she unlocks it here to see its fingerprint to read aloud, worked out in this browser
// from her secret key (never written by the server: a database writer could swap her public
// keys for his, ADR 0007).
import { DecryptionError } from "../../crypto/errors.js";
import { ApiError } from "../../lib/api.js";
import { $, guard, nextFrame, run, say, t } from "../../lib/page.js";
import { ListedKeyMismatch, makeKeyFromForm, staffFingerprint, storedStaffKey } from "./key.js";

const errorBox = $("#key-error");
const statusBox = $("#key-status");

function explain(problem) {
  say(statusBox, "");
  if (problem instanceof DecryptionError) return say(errorBox, t("wrong_passphrase"), "error");
  if (problem instanceof ListedKeyMismatch) return say(errorBox, t("own_key_swapped"), "error");
  if (problem instanceof ApiError) return say(errorBox, t(problem.code), "error");
  throw problem;
}

async function createKey(event) {
  event.preventDefault();
  try {
    if (await makeKeyFromForm(errorBox, statusBox)) window.location.reload();
  } catch (problem) {
    explain(problem);
  }
}

async function showFingerprint(event) {
  event.preventDefault();
  $("#own-fingerprint-shown").hidden = true;
  $("#own-fingerprint-value").textContent = "";
  say(errorBox, "");
  say(statusBox, t("opening_key"));
  await nextFrame();
  try {
    const key = await storedStaffKey();
    if (!key) return window.location.reload(); // no key after all: the page offers to make one
    const field = $("#own-fingerprint-passphrase");
    const shown = staffFingerprint(key, field.value);
    field.value = "";
    $("#own-fingerprint-value").textContent = shown;
    $("#own-fingerprint-shown").hidden = false;
    say(statusBox, "");
  } catch (problem) {
    explain(problem);
  }
}

function main() {
  for (const [id, handler] of [
    ["#make-key", createKey],
    ["#own-fingerprint", showFingerprint],
  ]) {
    const form = $(id);
    if (!form) continue; // only the one that applies is on the page
    form.hidden = false;
    form.addEventListener("submit", guard(handler));
  }
}

run(main);
