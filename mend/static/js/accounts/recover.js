// Recovery: the words give the recovery key; recovery_auth (derived from it) proves it to
// the server, which returns VK wrapped by it. Then a new passphrase and a new recovery key.
import { postJson } from "../lib/api.js";
import { fromBase64, toBase64 } from "../lib/base64.js";
import * as keys from "../lib/keys.js";
import { storeVaultKey } from "../lib/keystore.js";
import { guard, nextFrame, run, setCsrf } from "../lib/page.js";
import { RecoveryWordsError, wordsToKey } from "../lib/words.js";
import { apiErrorCode, busy, checkNewPassphrase, showError, showRecoveryWords } from "./common.js";

const form = document.querySelector("[data-qa=recover-form]");

async function recover(event) {
  event.preventDefault();
  const username = form.elements.username.value.trim();
  if (!username) return showError(form, "username_missing", "username");
  let recoveryKey;
  try {
    recoveryKey = wordsToKey(form.elements.words.value);
  } catch (error) {
    if (error instanceof RecoveryWordsError) return showError(form, error.code, "words", error.detail);
    throw error;
  }
  const problem = checkNewPassphrase(form);
  if (problem) return showError(form, ...problem);
  busy(form, "recovering");
  await nextFrame();
  const proof = keys.toHex(keys.recoveryAuth(recoveryKey));
  const newRecoveryKey = keys.newKey();
  try {
    const found = await postJson("accounts/recovery/start", { username, recovery_auth: proof });
    const vaultId = found.vault_id;
    const vk = keys.unwrapWithRecovery(recoveryKey, fromBase64(found.recovery_wrapped_vk), vaultId);
    const derived = keys.newPassphraseKeys(form.elements.passphrase.value);
    const answer = await postJson("accounts/recovery/finish", {
      username,
      recovery_auth: proof,
      auth_key: keys.toHex(derived.authKey),
      params: derived.params,
      wrapped_vk: toBase64(keys.wrapVaultKey(derived.encKey, vk, vaultId)),
      new_recovery_auth: keys.toHex(keys.recoveryAuth(newRecoveryKey)),
      new_recovery_wrapped_vk: toBase64(keys.wrapForRecovery(newRecoveryKey, vk, vaultId)),
    });
    setCsrf(answer.csrf_token);
    storeVaultKey(vaultId, vk);
  } catch (error) {
    return showError(form, apiErrorCode(error), error.code === "wrong_recovery" ? "words" : null);
  } finally {
    recoveryKey.fill(0);
  }
  form.reset();
  form.hidden = true;
  showRecoveryWords(newRecoveryKey);
  newRecoveryKey.fill(0);
}

function main() {
  form.addEventListener("submit", guard(recover));
}

run(main);
