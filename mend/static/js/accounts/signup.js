// Sign up: the browser derives every key (accounts/common.js createAccount, which a
// dialogue's responsible person's sign-up uses too); the server never sees the passphrase.
import { guard, run } from "../lib/page.js";
import { createAccount } from "./common.js";

const form = document.querySelector("[data-qa=signup-form]");

function signUp(event) {
  event.preventDefault();
  return createAccount(form, "accounts/signup");
}

function main() {
  form.addEventListener("submit", guard(signUp));
}

run(main);
