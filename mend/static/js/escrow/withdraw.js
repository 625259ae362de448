// Withdrawing an entry, after her passphrase again (lib/passphrase-again.js): the server checks its proof
// before anything is deleted (DELETE /api/v1/escrow/entries/{id}), so an open session alone
// cannot take her entry out of a match. The form is shown only once this script runs:
// without JavaScript the page withdraws nothing.
import { remove } from "../lib/api.js";
import { $, config, guard, run } from "../lib/page.js";
import { withPassphraseAgain } from "../lib/passphrase-again.js";

function main() {
  const form = $("[data-qa=withdraw-form]");
  const withdraw = (authKey) => remove(`escrow/entries/${config.entry_id}`, { auth_key: authKey });
  form.addEventListener(
    "submit",
    guard(async (event) => {
      event.preventDefault();
      if (await withPassphraseAgain(form, config.username, withdraw)) window.location.replace(`${config.urls.home}?withdrawn=1`);
    }),
  );
  $("[data-qa=withdraw-zone]").hidden = false;
}

run(main);
