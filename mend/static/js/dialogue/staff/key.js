// The facilitator's staff key (the workspace's key, ADR 0007): her dialogue case key IS this
// key pair (dialogue/case.js staffUnlock), so it is made and unlocked here as the counselor
// workspace makes and unlocks a counselor's, with the same module.
import { getJson, postJson } from "../../lib/api.js";
import { makeKey, unlockKey } from "../../counselor/keys.js";

// Her stored staff key (GET counselor/key), or null before she made one.
export async function storedStaffKey() {
  const { key } = await getJson("counselor/key");
  return key;
}

// The key pair, unwrapped with her key passphrase; DecryptionError when it is the wrong one.
export function unlockStaffKey(key, passphrase) {
  return unlockKey(key, passphrase);
}

// Make her staff key in this browser (Argon2id at production cost) and register it.
export async function makeStaffKey(passphrase) {
  const { body } = makeKey(crypto.randomUUID(), passphrase);
  await postJson("counselor/key", body);
}
