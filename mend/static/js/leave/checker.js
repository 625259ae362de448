// "Can I take leave?": the rules are fetched once; her answers never leave this page.
import { $, config, guard, run, t } from "../lib/page.js";
import { getJson } from "../lib/api.js";
import { check } from "./eligibility.js";
import { preselect } from "./suggest.js";
import { firstMissing, readQuestions, renderAnswer } from "./answer.js";

let rulesDoc = null;

// The checker asks every question.
const ALL = { service: true, size: true, harm: true, purpose: true };

function readForm(form) {
  const data = new FormData(form);
  const { answers, missing } = readQuestions(data, ALL);
  const checks = [[!data.get("code"), "[data-qa=jurisdiction]", "missing_place"], ...missing];
  if (firstMissing(form, $("[data-qa=checker-error]"), checks)) return null;
  return { code: data.get("code"), on: config.today, ...answers };
}

async function onSubmit(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const input = readForm(form);
  if (!input) return;
  rulesDoc ??= await getJson("leave/rules");
  const answer = check(rulesDoc, input);
  const region = $("[data-qa=answer]");
  $("[data-qa=answer-title]").textContent = t(`outcome_${answer.outcome}`);
  renderAnswer($("[data-qa=answer-body]"), answer, { language: config.language, today: config.today });
  region.hidden = false;
  region.dataset.outcome = answer.outcome;
  region.focus();
}

async function main() {
  preselect($("[data-qa=jurisdiction]"), $("[data-qa=suggested]"));
  $("[data-qa=checker]").addEventListener("submit", guard(onSubmit));
  $("[data-qa=check]").disabled = false; // rendered disabled: without this script, nothing is sent
}

run(main);
