// Her passphrase again, before a step that a stolen session alone must not take: a new
// passphrase, deleting her account, deleting records. The auth key is derived here, with
// her account's KDF parameters (Argon2id: seconds on a phone); the passphrase itself never
// leaves the browser. The server answers a wrong one 401 `wrong_passphrase` (lib/api.js
// does not take that for an ended session).
import { postJson } from "./api.js";
import * as keys from "./keys.js";
import { $, markInvalid, nextFrame, say, t } from "./page.js";

export async function keysFor(username, passphrase) {
  const { params } = await postJson("accounts/kdf-params", { username });
  return keys.deriveKeys(passphrase, params);
}

// A "delete" form of the vault's pages: her passphrase in `field`, then `act(authKeyHex)`.
// A missing or wrong passphrase is said in the form's alert and marked on the field, which
// keeps focus (page.markInvalid: a screen reader says it on the field); a new attempt takes
// the mark back. Anything else goes on to the page runtime. Returns whether it was done.
export async function withPassphraseAgain(form, username, act) {
  const field = $("input[type=password]", form);
  const alert = $("[role=alert]", form);
  const refuse = (code) => {
    say(alert, t(code), "error");
    markInvalid(form, alert, field);
    return false;
  };
  say(alert, "");
  markInvalid(form, alert);
  if (!field.value) return refuse("passphrase_needed");
  say($("[role=status]", form), t("checking_passphrase"));
  await nextFrame();
  try {
    const derived = await keysFor(username, field.value);
    await act(keys.toHex(derived.authKey));
    return true;
  } catch (error) {
    say($("[role=status]", form), "");
    if (error.code !== "wrong_passphrase") throw error;
    return refuse("wrong_passphrase");
  }
}
