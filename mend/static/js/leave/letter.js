// The leave letter: written on this page from the rule in force where she works. What she
// types stays here: the rules are fetched once, the letter is printed or made into a PDF
// in this browser, and saving to her record locks it first (the vault's own code path,
// letter-save.js, which only a signed-in survivor's page loads).
import { $, config, guard, run, say, t } from "../lib/page.js";
import { getJson } from "../lib/api.js";
import { versionOn } from "./eligibility.js";
import { preselect } from "./suggest.js";
import { composeLetter } from "./letter-text.js";
import { firstMissing } from "./answer.js";
import { downloadPdf, makePdf } from "../lib/pdf.js";

let rulesDoc = null;
let letter = null;

function readForm(form) {
  const data = new FormData(form);
  const problem = firstMissing([
    [!data.get("code"), "[data-qa=jurisdiction]", "missing_place"],
    [!data.get("start"), "[data-qa=start]", "missing_start"],
  ]);
  if (problem) return { problem };
  const days = Number.parseInt(data.get("days"), 10);
  return {
    code: data.get("code"),
    to: data.get("to").trim(),
    name: data.get("name").trim(),
    start: data.get("start"),
    days: Number.isNaN(days) || days < 1 ? null : days,
    tone: data.get("tone"),
    language: config.language,
  };
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

async function write(form) {
  const input = readForm(form);
  const error = $("[data-qa=letter-error]");
  if (input.problem) {
    say(error, input.problem, "error");
    return;
  }
  say(error, "");
  rulesDoc ??= await getJson("leave/rules");
  const jurisdiction = rulesDoc.jurisdictions.find((j) => j.code === input.code);
  const version = jurisdiction ? versionOn(jurisdiction, input.start) : null;
  letter = composeLetter(version, input, t);
  show(letter);
  const noLaw = !version || version.status !== "in_force";
  say($("[data-qa=letter-status]"), noLaw ? `${t("letter_ready")} ${t("letter_no_rule")}` : t("letter_ready"));
  const section = $("[data-qa=letter]");
  section.hidden = false;
  section.focus();
}

function onPdf() {
  if (!letter) return;
  const blocks = [{ text: letter.subject, bold: true, size: 13, gap: 12 }];
  for (const text of letter.paragraphs) blocks.push({ text, gap: 10 });
  downloadPdf(makePdf(blocks), `${t("letter_filename")}.pdf`);
}

// What she typed, as the form holds it (kept locked if her session ends), or null when
// she has typed nothing yet.
const KEPT = ["code", "name", "to", "start", "days", "tone"];

function typed() {
  const form = $("[data-qa=letter-form]");
  const fields = Object.fromEntries(KEPT.map((name) => [name, String(form.elements[name].value ?? "")]));
  return fields.name || fields.to || fields.start || fields.days ? fields : null;
}

// A letter kept at an earlier sign-out: back in the form and written again, not yet saved.
async function restore(fields) {
  const form = $("[data-qa=letter-form]");
  for (const name of KEPT) if (fields[name] !== undefined) form.elements[name].value = fields[name];
  await write(form);
  say($("[data-qa=letter-status]"), t("letter_restored"), "success");
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
  preselect($("[data-qa=jurisdiction]"), $("[data-qa=suggested]"));
  $("[data-qa=letter-form]").addEventListener("submit", guard(onSubmit));
  $("[data-qa=print]").addEventListener("click", () => window.print());
  $("[data-qa=pdf]").addEventListener("click", guard(onPdf));
  const save = $("[data-qa=save]");
  if (!save) return;
  save.addEventListener("click", guard(onSave));
  const { startSaving } = await import("./letter-save.js");
  await startSaving({ readFields: typed, restore });
}

run(main);
