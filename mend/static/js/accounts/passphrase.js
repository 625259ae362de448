// Change the passphrase: new parameters and auth_key, the same VK rewrapped. Records are
// not touched (they are locked with their own keys, which VK wraps).
import { postJson } from "../lib/api.js";
import { toBase64 } from "../lib/base64.js";
import * as keys from "../lib/keys.js";
import { config, guard, nextFrame, run, say, setCsrf, t } from "../lib/page.js";
import { installSession, requireVaultKey } from "../lib/session.js";
import { apiErrorCode, busy, keysFor, checkNewPassphrase, formParts, showError } from "./common.js";

const form = document.querySelector("[data-qa=passphrase-form]");

async function change(event, vault) {
  event.preventDefault();
  const problem = checkNewPassphrase(form);
  if (problem) return showError(form, ...problem);
  busy(form, "changing");
  await nextFrame();
  try {
    const current = await keysFor(config.username, form.elements.current.value);
    const derived = keys.newPassphraseKeys(form.elements.passphrase.value);
    const answer = await postJson("accounts/passphrase", {
      current_auth_key: keys.toHex(current.authKey),
      auth_key: keys.toHex(derived.authKey),
      params: derived.params,
      wrapped_vk: toBase64(keys.wrapVaultKey(derived.encKey, vault.vk, vault.vaultId)),
    });
    setCsrf(answer.csrf_token);
  } catch (error) {
    return showError(form, apiErrorCode(error), error.code === "wrong_passphrase" ? "current" : null);
  }
  form.reset();
  const { status, button } = formParts(form);
  button.disabled = false;
  say(status, t("passphrase_changed"), "success");
}

async function main() {
  const vault = await requireVaultKey();
  if (!vault) return;
  installSession();
  form.addEventListener("submit", guard((event) => change(event, vault)));
}

run(main);
