// Delete the account and everything in it, after the passphrase again. Then the keys are
// wiped from this tab and the survivor lands on a page that says it is done.
import { postJson } from "../lib/api.js";
import * as keys from "../lib/keys.js";
import { wipeKeys } from "../lib/keystore.js";
import { config, guard, nextFrame, run } from "../lib/page.js";
import { installSession, requireVaultKey } from "../lib/session.js";
import { apiErrorCode, busy, keysFor, showError } from "./common.js";

const form = document.querySelector("[data-qa=delete-form]");

async function deleteAccount(event) {
  event.preventDefault();
  if (!form.elements.confirm.checked) return showError(form, "not_confirmed", "confirm");
  busy(form, "deleting");
  await nextFrame();
  try {
    const derived = await keysFor(config.username, form.elements.passphrase.value);
    await postJson("accounts/delete", { auth_key: keys.toHex(derived.authKey), confirm: true });
  } catch (error) {
    return showError(form, apiErrorCode(error), error.code === "wrong_passphrase" ? "passphrase" : null);
  }
  wipeKeys();
  window.location.replace(`${config.urls.signed_out}?deleted=1`);
}

async function main() {
  if (!(await requireVaultKey())) return;
  installSession();
  form.addEventListener("submit", guard(deleteAccount));
}

run(main);
