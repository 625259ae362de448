// Her passphrase again before saving an edit or withdrawing an entry: the one module that
// asks it (lib/passphrase-again.js), with one more refusal said on its form rather than as
// "Something went wrong": too many passphrases tried (429 `rate_limited`, counted as signing
// in is). `act(authKeyHex)` must send only the request that carries the proof, so that its
// 429 is the passphrase's (an identifier look-up's 429 has words of its own).
import { withPassphraseAgain } from "../lib/passphrase-again.js";
import { $, config, markInvalid, say, t } from "../lib/page.js";

export async function withHerPassphrase(form, act) {
  try {
    return await withPassphraseAgain(form, config.username, act);
  } catch (error) {
    if (error.code !== "rate_limited") throw error;
    const alert = $("[role=alert]", form);
    say(alert, t("passphrase_rate_limited"), "error");
    markInvalid(form, alert, $("input[type=password]", form));
    return false;
  }
}
