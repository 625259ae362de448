// Log in: fetch the KDF parameters for the username (decoys when there is no such account),
// derive the keys, prove auth_key, and open VK with enc_key. The passphrase never leaves.
import { postJson } from "../lib/api.js";
import { fromBase64 } from "../lib/base64.js";
import * as keys from "../lib/keys.js";
import { hasDraft } from "../lib/draft.js";
import { storeVaultKey } from "../lib/keystore.js";
import { config, guard, nextFrame, run, safeNext, setCsrf } from "../lib/page.js";
import { apiErrorCode, busy, keysFor, showError } from "./common.js";

const form = document.querySelector("[data-qa=login-form]");

async function logIn(event) {
  event.preventDefault();
  const username = form.elements.username.value.trim();
  const passphrase = form.elements.passphrase.value;
  if (!username) return showError(form, "username_missing", "username");
  if (!passphrase) return showError(form, "passphrase_missing", "passphrase");
  busy(form, "opening");
  await nextFrame();
  let vault;
  try {
    const derived = await keysFor(username, passphrase);
    const answer = await postJson("accounts/login", { username, auth_key: keys.toHex(derived.authKey) });
    setCsrf(answer.csrf_token);
    vault = { id: answer.vault_id, vk: keys.unwrapVaultKey(derived.encKey, fromBase64(answer.wrapped_vk), answer.vault_id) };
    derived.encKey.fill(0);
  } catch (error) {
    form.elements.passphrase.value = "";
    return showError(form, apiErrorCode(error), error.code === "rate_limited" ? null : "passphrase");
  }
  storeVaultKey(vault.id, vault.vk);
  window.location.replace(safeNext(config.urls.home));
}

function main() {
  form.addEventListener("submit", guard(logIn));
  // Words kept locked at an idle sign-out (lib/draft.js): tell her they are waiting.
  document.querySelector("[data-qa=draft-kept]").hidden = !hasDraft();
}

run(main);
