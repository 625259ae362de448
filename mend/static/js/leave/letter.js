// The leave letter: written on this page from the checker's own answer (check(), through
// letter-text.js) under the rule in force where she works, so it never claims a leave the
// checker would not give her. What she chooses and types stays here: the rules are fetched
// once, the letter is printed or made into a PDF in this browser, and saving to her record
// locks it first (the vault's own code path, letter-save.js, which only a signed-in
// survivor's page loads). The Write button is rendered disabled and enabled here, so that
// without this script the form cannot be sent at all.
import { $, config, guard, run, say, t } from "../lib/page.js";
import { getJson } from "../lib/api.js";
import { questions, versionOn } from "./eligibility.js";
import { preselect } from "./suggest.js";
import { composeLetter, wording } from "./letter-text.js";
import { firstMissing, readQuestions } from "./answer.js";
import { downloadPdf, makePdf } from "../lib/pdf.js";

let rulesFetch = null;
let letter = null;

// The rules, fetched once (no parameters: nothing of hers is in the request); a failed
// fetch is tried again next time.
function rules() {
  rulesFetch ??= getJson("leave/rules").catch((error) => {
    rulesFetch = null;
    throw error;
  });
  return rulesFetch;
}

// Shows only the checker's questions that can change what the letter may ask for, under
// the rule in force on her first day of leave (today until she has chosen it); none
// before she has chosen a place. Returns them (eligibility.js questions()).
function ask(form, rulesDoc) {
  const code = form.elements.code.value;
  const jurisdiction = rulesDoc.jurisdictions.find((j) => j.code === code);
  const version = jurisdiction ? versionOn(jurisdiction, form.elements.start.value || config.today) : null;
  const asked = questions(version);
  for (const group of form.querySelectorAll("[data-ask]")) group.hidden = !asked[group.dataset.ask];
  return asked;
}

async function showQuestions() {
  const form = $("[data-qa=letter-form]");
  ask(form, await rules());
}

function readForm(form, rulesDoc) {
  const data = new FormData(form);
  const { answers, missing } = readQuestions(data, ask(form, rulesDoc));
  const checks = [
    [!data.get("code"), "[data-qa=jurisdiction]", "missing_place"],
    ...missing,
    [!data.get("start"), "[data-qa=start]", "missing_start"],
  ];
  if (firstMissing(form, $("[data-qa=letter-error]"), checks)) return null;
  const days = Number.parseInt(data.get("days"), 10);
  return {
    code: data.get("code"),
    ...answers,
    to: data.get("to").trim(),
    name: data.get("name").trim(),
    start: data.get("start"),
    days: Number.isNaN(days) || days < 1 ? null : days,
    tone: data.get("tone"),
    language: config.language,
  };
}

// What the page says above the letter: why it asks as it does, when it cites no law.
function statusText(outcome) {
  const kind = wording(outcome);
  if (kind === "law") return t("letter_ready");
  if (kind === "may") return `${t("letter_ready")} ${t("letter_may")}`;
  if (outcome === "no_law" || outcome === "unknown_jurisdiction") return `${t("letter_ready")} ${t("letter_no_rule")}`;
  return `${t("letter_ready")} ${t(`outcome_${outcome}`)} ${t("letter_without_law")}`;
}

function show(composed) {
  const box = $("[data-qa=letter-text]");
  box.replaceChildren();
  const subject = document.createElement("p");
  subject.className = "letter__subject";
  subject.textContent = composed.subject;
  box.append(subject);
  for (const text of composed.paragraphs) {
    const p = document.createElement("p");
    p.textContent = text;
    box.append(p);
  }
}

async function onSubmit(event) {
  event.preventDefault();
  await write(event.currentTarget);
}

// Writes the letter from the checker's answer for her first day of leave; returns whether
// it did (false when the form still needs something, which the page then says).
async function write(form) {
  const rulesDoc = await rules();
  const input = readForm(form, rulesDoc);
  if (!input) return false;
  letter = composeLetter(rulesDoc, input, t);
  show(letter);
  say($("[data-qa=letter-status]"), statusText(letter.outcome));
  const section = $("[data-qa=letter]");
  section.hidden = false;
  section.dataset.outcome = letter.outcome;
  section.focus();
  return true;
}

function onPdf() {
  if (!letter) return;
  const blocks = [{ text: letter.subject, bold: true, size: 13, gap: 12 }];
  for (const text of letter.paragraphs) blocks.push({ text, gap: 10 });
  downloadPdf(makePdf(blocks), `${t("letter_filename")}.pdf`);
}

// What she typed, as the form holds it (kept locked if her session ends), or null when
// she has typed nothing yet.
const KEPT = ["code", "months", "size", "harm", "purpose", "name", "to", "start", "days", "tone"];

function typed() {
  const form = $("[data-qa=letter-form]");
  const fields = Object.fromEntries(KEPT.map((name) => [name, String(form.elements[name].value ?? "")]));
  return fields.name || fields.to || fields.start || fields.days ? fields : null;
}

// A letter kept at an earlier sign-out: back in the form and written again, not yet saved.
async function restore(fields) {
  const form = $("[data-qa=letter-form]");
  for (const name of KEPT) if (fields[name] !== undefined) form.elements[name].value = fields[name];
  if (await write(form)) say($("[data-qa=letter-status]"), t("letter_restored"), "success");
}

// Only for a signed-in survivor whose vault key is in this tab; the record is locked in
// this browser before it is sent (letter-save.js).
async function onSave() {
  const status = $("[data-qa=letter-status]");
  if (!letter) return;
  const { saveLetter } = await import("./letter-save.js");
  const saved = await saveLetter(letter, typed());
  say(status, t(saved ? "saved_to_record" : "letter_log_in_to_save"), saved ? "success" : "error");
}

async function main() {
  const form = $("[data-qa=letter-form]");
  preselect($("[data-qa=jurisdiction]"), $("[data-qa=suggested]"));
  form.addEventListener("submit", guard(onSubmit));
  $("[data-qa=write]").disabled = false; // rendered disabled: without this script, nothing is sent
  const refresh = guard(showQuestions);
  form.addEventListener("change", refresh);
  refresh();
  $("[data-qa=print]").addEventListener("click", () => window.print());
  $("[data-qa=pdf]").addEventListener("click", guard(onPdf));
  const save = $("[data-qa=save]");
  if (!save) return;
  save.addEventListener("click", guard(onSave));
  const { startSaving } = await import("./letter-save.js");
  await startSaving({ readFields: typed, restore });
}

run(main);
