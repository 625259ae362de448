// Joining a dialogue by invitation: the code and a sign-up whose keys are made in this
// browser exactly as a survivor's are (accounts/common.js createAccount); the server
// receives the code, auth_key, wrapped keys and recovery_auth, never the passphrase.
import { guard, run } from "../../lib/page.js";
import { createAccount, showError } from "../../accounts/common.js";

const form = document.querySelector("[data-qa=join-form]");
const CODE_LENGTH = 20; // mend.lib.codes: 20 letters and digits

// The code as the server stores it: upper case, letters and digits only (lib/codes.py).
function normalised(code) {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, "");
}

function join(event) {
  event.preventDefault();
  const typed = form.elements.code.value;
  if (!typed.trim()) return showError(form, "code_missing", "code");
  const code = normalised(typed);
  if (code.length !== CODE_LENGTH) return showError(form, "code_short", "code");
  const fieldOf = (refusal) => (refusal === "bad_code" ? "code" : null);
  return createAccount(form, "dialogue/join", { code }, fieldOf);
}

function main() {
  form.addEventListener("submit", guard(join));
}

run(main);
