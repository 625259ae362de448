// Shared by the account pages: form messages, passphrase rules, showing the recovery key.
import { postJson } from "../lib/api.js";
import { toBase64 } from "../lib/base64.js";
import * as keys from "../lib/keys.js";
import { storeVaultKey } from "../lib/keystore.js";
import { $, markInvalid, nextFrame, say, setCsrf, t } from "../lib/page.js";
import { keyToWords } from "../lib/words.js";

export function formParts(form) {
  return {
    error: $("[data-qa=error]", form),
    status: $("[data-qa=status]", form),
    button: $("button[type=submit]", form),
  };
}

// Shows `code`'s message (or an API error's), marked on the field it is about, which takes
// focus (as her passphrase asked again: lib/passphrase-again.js).
export function showError(form, code, field = null, vars = {}) {
  const { error, status, button } = formParts(form);
  say(status, "");
  say(error, t(code, vars), "error");
  button.disabled = false;
  markInvalid(form, error, field ? form.elements[field] : null);
}

// A new attempt: the last message and its mark on a field are taken back.
export function busy(form, code) {
  const { error, status, button } = formParts(form);
  say(error, "");
  markInvalid(form, error);
  say(status, t(code));
  button.disabled = true;
}

// null if the new passphrase is acceptable, else [message code, field].
export function checkNewPassphrase(form) {
  const passphrase = form.elements.passphrase.value;
  if (passphrase.length < keys.MIN_PASSPHRASE) return ["passphrase_short", "passphrase"];
  if (passphrase !== form.elements.passphrase2.value) return ["passphrase_mismatch", "passphrase2"];
  return null;
}

export function apiErrorCode(error) {
  if (error?.code === "rate_limited") return "rate_limited";
  return error?.code && t(error.code) !== t("error_generic") ? error.code : "error_generic";
}

// Show the recovery key once, as 24 BIP-39 words in the page's language (English or
// Spanish); "Continue" works only after she ticks the box.
export function showRecoveryWords(recoveryKey) {
  const section = $("[data-qa=recovery]");
  const list = $("[data-qa=recovery-words]", section);
  list.replaceChildren(
    ...keyToWords(recoveryKey, document.documentElement.lang.slice(0, 2)).map((word) => {
      const item = document.createElement("li");
      item.textContent = word;
      return item;
    }),
  );
  section.hidden = false;
  const saved = $("[data-qa=recovery-saved]", section);
  const next = $("[data-qa=recovery-continue]", section);
  next.addEventListener("click", (event) => {
    if (!saved.checked) {
      event.preventDefault();
      saved.focus();
    }
  });
  saved.addEventListener("change", () => next.setAttribute("aria-disabled", String(!saved.checked)));
  $("#recovery-title").focus();
}

// The keys for `username` and `passphrase`: KDF parameters from the server (decoys for an
// unknown username), then Argon2id here.
export { keysFor } from "../lib/passphrase-again.js";

// A new account made in this browser, for the survivor sign-up and for a dialogue's
// responsible person joining by invitation (dialogue/responsible/join.js): every key is
// derived here, and the server receives auth_key, the KDF parameters, VK wrapped twice and
// recovery_auth, never the passphrase or a usable key. `path` is the API route and `extra`
// its own fields (the invitation code); `fieldOf(code)` names the field an API refusal is
// about. On success VK is kept in this tab, the form hidden and the recovery words shown;
// returns whether it succeeded.
export async function createAccount(form, path, extra = {}, fieldOf = () => null) {
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
    const answer = await postJson(path, {
      ...extra,
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
    const field = ["username_taken", "username_invalid"].includes(error.code) ? "username" : fieldOf(error.code);
    showError(form, apiErrorCode(error), field);
    return false;
  } finally {
    derived.encKey.fill(0);
  }
  storeVaultKey(vaultId, vk);
  form.reset();
  form.hidden = true;
  showRecoveryWords(recoveryKey);
  recoveryKey.fill(0);
  return true;
}
