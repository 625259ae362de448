// Sign up: the browser derives every key; the server receives auth_key, the KDF
// parameters, VK wrapped twice and recovery_auth, never the passphrase or a usable key.
import { postJson } from "../lib/api.js";
import { toBase64 } from "../lib/base64.js";
import * as keys from "../lib/keys.js";
import { storeVaultKey } from "../lib/keystore.js";
import { guard, nextFrame, run, setCsrf } from "../lib/page.js";
import { apiErrorCode, busy, checkNewPassphrase, showError, showRecoveryWords } from "./common.js";

const form = document.querySelector("[data-qa=signup-form]");

async function signUp(event) {
  event.preventDefault();
  const username = form.elements.username.value.trim();
  if (!/^[\p{L}\p{N}_.-]{3,40}$/u.test(username)) return showError(form, "username_invalid", "username");
  const problem = checkNewPassphrase(form);
  if (problem) return showError(form, ...problem);
  busy(form, "creating");
  await nextFrame();
  const derived = keys.newPassphraseKeys(form.elements.passphrase.value);
  const vaultId = crypto.randomUUID();
  const vk = keys.newKey();
  const recoveryKey = keys.newKey();
  try {
    const answer = await postJson("accounts/signup", {
      username,
      auth_key: keys.toHex(derived.authKey),
      params: derived.params,
      vault_id: vaultId,
      wrapped_vk: toBase64(keys.wrapVaultKey(derived.encKey, vk, vaultId)),
      recovery_wrapped_vk: toBase64(keys.wrapForRecovery(recoveryKey, vk, vaultId)),
      recovery_auth: keys.toHex(keys.recoveryAuth(recoveryKey)),
    });
    setCsrf(answer.csrf_token);
  } catch (error) {
    const field = error.code === "username_taken" || error.code === "username_invalid" ? "username" : null;
    return showError(form, apiErrorCode(error), field);
  } finally {
    derived.encKey.fill(0);
  }
  storeVaultKey(vaultId, vk);
  form.reset();
  form.hidden = true;
  showRecoveryWords(recoveryKey);
  recoveryKey.fill(0);
}

function main() {
  form.addEventListener("submit", guard(signUp));
}

run(main);
