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

// A form that asks her passphrase again (mend/_passphrase_again.html: deleting records or
// the account, withdrawing or editing a Find others entry): her passphrase in its field,
// then `act(authKeyHex)`, which sends only the request that carries the proof, so that a
// 429 is the passphrase's (tried as often as signing in may be). A missing or wrong
// passphrase, or too many tried, is said in the form's alert and marked on the field, which
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
    if (error.code === "wrong_passphrase") return refuse("wrong_passphrase");
    if (error.code === "rate_limited") return refuse("passphrase_rate_limited");
    throw error;
  }
}
