// Her dialogues, and "Ask for a dialogue": only she starts a case, and only by this
// deliberate press (reading about it starts nothing). Then her case page.
import { $, config, guard, run, say, t } from "../../lib/page.js";
import { installSession } from "../../lib/session.js";
import { requestCase } from "../case.js";

async function ask(event) {
  event.preventDefault();
  const button = $("[data-qa=dialogue-request] button");
  button.disabled = true;
  say($("[data-qa=status]"), t("dialogue_requesting"));
  try {
    const made = await requestCase();
    window.location.assign(config.urls.case.replace("{id}", made.id));
  } finally {
    button.disabled = false;
  }
}

function main() {
  installSession();
  // No form where the dialogue is not offered (mend/dialogue/availability.py).
  $("[data-qa=dialogue-request]")?.addEventListener("submit", guard(ask));
}

run(main);
