// The facilitator's list of cases: she makes her staff key here, before any case is given to
// her, so that a counselor can vouch for it in time (docs/dialogue.md, "Who vouches for
// it"); the page, loaded again, shows its fingerprint to read aloud.
import { ApiError } from "../../lib/api.js";
import { $, guard, run, say, t } from "../../lib/page.js";
import { makeKeyFromForm } from "./key.js";

const errorBox = $("#key-error");
const statusBox = $("#key-status");

async function createKey(event) {
  event.preventDefault();
  try {
    if (await makeKeyFromForm(errorBox, statusBox)) window.location.reload();
  } catch (problem) {
    if (!(problem instanceof ApiError)) throw problem;
    say(statusBox, "");
    say(errorBox, t(problem.code), "error");
  }
}

function main() {
  const form = $("#make-key");
  if (!form) return; // she has a key: the page only shows it
  form.hidden = false;
  form.addEventListener("submit", guard(createKey));
}

run(main);
