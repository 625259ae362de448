// The facilitator's staff key (the workspace's key, ADR 0007): her dialogue case key IS this
// key pair (dialogue/case.js staffUnlock), so it is made and unlocked here as the counselor
// workspace makes and unlocks a counselor's, with the same module.
import { getJson, postJson } from "../../lib/api.js";
import { MIN_PASSPHRASE } from "../../lib/keys.js";
import { $, nextFrame, say, t } from "../../lib/page.js";
import { ListedKeyMismatch, makeKey, ownFingerprint, unlockKey } from "../../counselor/keys.js";

// Mend's server lists other public keys for her key than her secret key gives (a swap).
export { ListedKeyMismatch };

// Her stored staff key (GET counselor/key), or null before she made one.
export async function storedStaffKey() {
  const { key } = await getJson("counselor/key");
  return key;
}

// The key pair, unwrapped with her key passphrase; DecryptionError when it is the wrong one.
export function unlockStaffKey(key, passphrase) {
  return unlockKey(key, passphrase);
}

// The fingerprint she reads aloud to the counselor who vouches for her key: from her secret
// key once unlocked, never from the public keys the server lists (ListedKeyMismatch if they
// differ: unlockStaffKey refuses first).
export function staffFingerprint(key, passphrase) {
  return ownFingerprint(unlockKey(key, passphrase));
}

// Make her staff key in this browser (Argon2id at production cost) and register it.
export async function makeStaffKey(passphrase) {
  const { body } = makeKey(crypto.randomUUID(), passphrase);
  await postJson("counselor/key", body);
}

// The "make my staff key" form (#key-passphrase, #key-passphrase-again) of her list of cases
// and of a case page: checks the two passphrases, then makes and registers the key. False,
// with the reason in `errorBox`, when they will not do.
export async function makeKeyFromForm(errorBox, statusBox) {
  const first = $("#key-passphrase").value;
  const problem =
    first.length < MIN_PASSPHRASE ? "passphrase_short" : first !== $("#key-passphrase-again").value ? "passphrase_mismatch" : "";
  if (problem) {
    say(errorBox, t(problem), "error");
    return false;
  }
  say(errorBox, "");
  say(statusBox, t("making_key"));
  await nextFrame();
  await makeStaffKey(first);
  say(statusBox, t("key_made"));
  return true;
}
