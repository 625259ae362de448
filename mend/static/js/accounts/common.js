// Shared by the account pages: form messages, passphrase rules, showing the recovery key.
import { postJson } from "../lib/api.js";
import * as keys from "../lib/keys.js";
import { $, say, t } from "../lib/page.js";
import { keyToWords } from "../lib/words.js";

export function formParts(form) {
  return {
    error: $("[data-qa=error]", form),
    status: $("[data-qa=status]", form),
    button: $("button[type=submit]", form),
  };
}

// Shows `code`'s message (or an API error's) and moves focus to the field it is about.
export function showError(form, code, field = null, vars = {}) {
  const { error, status, button } = formParts(form);
  say(status, "");
  say(error, t(code, vars), "error");
  button.disabled = false;
  const input = field ? form.elements[field] : null;
  for (const element of form.querySelectorAll("[aria-invalid]")) element.removeAttribute("aria-invalid");
  if (input) {
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }
}

export function busy(form, code) {
  const { error, status, button } = formParts(form);
  say(error, "");
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
export async function keysFor(username, passphrase) {
  const { params } = await postJson("accounts/kdf-params", { username });
  return keys.deriveKeys(passphrase, params);
}
