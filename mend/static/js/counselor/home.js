// The workspace page: make her key (in this browser), show her own key's fingerprint (worked
// out here from her secret key, never taken from the server), vouch for colleagues' keys, and
// re-seal shares for colleagues.
import { DecryptionError, EndorsementError } from "../crypto/errors.js";
import * as envelope from "../crypto/envelope.js";
import * as protocol from "../escrow/protocol.js";
import { fromBase64, toBase64 } from "../lib/base64.js";
import { ApiError, getJson, postJson } from "../lib/api.js";
import { MIN_PASSPHRASE } from "../lib/keys.js";
import { guard, nextFrame, run, say, t } from "../lib/page.js";
import { ListedKeyMismatch, endorseKey, makeKey, ownFingerprint, unlockKey } from "./keys.js";

const errorBox = document.getElementById("workspace-error");
const statusBox = document.getElementById("workspace-status");

function explain(problem) {
  say(statusBox, "");
  if (problem instanceof DecryptionError) return say(errorBox, t("wrong_passphrase"));
  if (problem instanceof ListedKeyMismatch) return say(errorBox, t("own_key_swapped"));
  if (problem instanceof EndorsementError) return say(errorBox, t("fingerprint_mismatch"));
  if (problem instanceof ApiError) return say(errorBox, t(problem.code));
  throw problem; // the page runtime says "Something went wrong" (errorBox is its alert region)
}

async function createKey(event) {
  event.preventDefault();
  const first = document.getElementById("key-passphrase").value;
  const again = document.getElementById("key-passphrase-again").value;
  if (first.length < MIN_PASSPHRASE) return say(errorBox, t("passphrase_short"));
  if (first !== again) return say(errorBox, t("passphrase_mismatch"));
  say(errorBox, "");
  say(statusBox, t("making_key"));
  await nextFrame();
  const { body } = makeKey(crypto.randomUUID(), first);
  await postJson("counselor/key", body);
  say(statusBox, t("key_made"));
  window.location.reload();
}

// Her own fingerprint, to read aloud to the colleague who vouches for her key: from her
// secret key once she unlocks it. unlockKey refuses (ListedKeyMismatch) when the server lists
// other public keys for her key: then no fingerprint is shown, only the warning.
async function showFingerprint(event) {
  event.preventDefault();
  const shown = document.getElementById("own-fingerprint-shown");
  const value = document.getElementById("own-fingerprint-value");
  shown.hidden = true;
  value.textContent = "";
  say(errorBox, "");
  say(statusBox, t("opening_key"));
  await nextFrame();
  const { key } = await getJson("counselor/key");
  if (!key) return say(errorBox, t("no_key"));
  const field = document.getElementById("own-fingerprint-passphrase");
  const keypair = unlockKey(key, field.value);
  field.value = "";
  value.textContent = ownFingerprint(keypair);
  shown.hidden = false;
  say(statusBox, "");
}

// Open each share sealed to her key and seal the same payload to the keys that lack it.
async function reseal(event) {
  event.preventDefault();
  say(errorBox, "");
  say(statusBox, t("resealing"));
  await nextFrame();
  const { key } = await getJson("counselor/key");
  if (!key) return say(errorBox, t("no_key"));
  const keypair = unlockKey(key, document.getElementById("reseal-passphrase").value);
  let total = 0;
  for (;;) {
    const work = await getJson("counselor/reseal");
    const count = await resealBatch(keypair, work);
    total += count;
    if (!work.more || count === 0) break; // one batch at a time, until nothing lacks
  }
  say(statusBox, t("resealed", { count: total }));
}

async function resealBatch(keypair, work) {
  // Only to keys whose endorsement chain this browser has checked (EndorsementError else).
  const config = { operator_public_key: work.operator_public_key, counselor_keys: work.keys };
  const trusted = protocol.sealableKeys(config);
  const publicKeys = new Map(trusted.map((k) => [k.id, fromBase64(k.public_key)]));
  const items = [];
  for (const item of work.items) {
    const context = protocol.shareContext(item.entry_id);
    const payload = envelope.openSealed(keypair, fromBase64(item.sealed), context);
    for (const keyId of item.missing_keys) {
      if (!publicKeys.has(keyId)) throw new EndorsementError("not an endorsed key");
      const sealed = envelope.seal(publicKeys.get(keyId), payload, context);
      items.push({ tag_id: item.tag_id, key_id: keyId, sealed: toBase64(sealed) });
    }
  }
  if (items.length === 0) return 0;
  const result = await postJson("counselor/reseal", { items });
  return result.count;
}

// Vouch for a colleague's key: sign it in this browser with the signing key derived from
// her own unlocked key, after checking it is the key whose fingerprint the page shows.
async function endorse(event) {
  event.preventDefault();
  const button = event.submitter;
  if (!button?.dataset.keyId) return;
  say(errorBox, "");
  say(statusBox, t("endorsing"));
  await nextFrame();
  const { key } = await getJson("counselor/key");
  if (!key) return say(errorBox, t("no_key"));
  const keypair = unlockKey(key, document.getElementById("endorse-passphrase").value);
  const pending = (await getJson("counselor/keys/pending")).find((k) => k.id === button.dataset.keyId);
  if (!pending) return say(errorBox, t("error_generic"));
  const body = endorseKey(keypair, pending, button.dataset.fingerprint);
  await postJson(`counselor/keys/${pending.id}/endorse`, body);
  // A facilitator's key never receives entries: what vouching for it does is said as such.
  say(statusBox, t(button.dataset.facilitator ? "endorsed_facilitator" : "endorsed"));
  button.disabled = true;
}

// Each form is on the page only when it applies (no key yet, shares to reseal, keys to vouch for).
function main() {
  const forms = { endorse, "make-key": createKey, "own-fingerprint": showFingerprint, reseal };
  for (const [id, handler] of Object.entries(forms)) {
    const form = document.getElementById(id);
    if (!form) continue;
    form.hidden = false; // the fingerprint's form waits hidden until this script can answer it
    form.addEventListener("submit", guard((e) => handler(e).catch(explain)));
  }
}

run(main);
