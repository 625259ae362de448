// The leave letter cites the provision, asks for confidentiality and says nothing about
// what happened; it mentions proof only to say none is needed or a statement suffices.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { composeLetter } from "../../mend/static/js/leave/letter-text.js";
import { versionOn } from "../../mend/static/js/leave/eligibility.js";

const load = (code) => JSON.parse(readFileSync(new URL(`../../mend/leave/rules/${code}.json`, import.meta.url), "utf8"));
// English words as the server sends them (mend/leave/strings.py), enough for the letter.
const WORDS = {
  letter_subject: "Request for leave",
  letter_greeting_formal: "Dear {to},",
  letter_greeting_brief_anyone: "Hello,",
  letter_for_days: " for {n} working days",
  letter_body_formal: "I am writing to give notice that I will take {leave}, to which I am entitled under {law}, starting {start}{for_days}.",
  letter_body_brief: "I am requesting {leave} under {law}, starting {start}{for_days}.",
  letter_body_nolaw_brief: "I am requesting time off starting {start}{for_days}.",
  letter_no_proof: "The law does not require me to give a reason or provide proof.",
  letter_self_statement: "If you need documentation, I can provide a written statement, as the law allows.",
  letter_confidential_law: "Please keep this request confidential, as the law requires.",
  letter_confidential: "Please keep this request confidential.",
  letter_close_formal: "Yours sincerely,",
  letter_close_brief: "Thank you.",
};
const t = (code, vars = {}) => WORDS[code].replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ""));
const input = { to: "Ms Reyes", name: "Ana", start: "2026-12-07", days: 3, tone: "formal", language: "en" };

test("an Ontario letter cites s. 49.7 and asks for confidentiality, and nothing more", () => {
  const on = load("CA-ON");
  const version = versionOn(on, input.start);
  const letter = composeLetter(version, input, t);
  const text = letter.paragraphs.join("\n");
  // The leave is named as the law names it; beyond that name, nothing of what happened.
  assert.match(text, /take Domestic or sexual violence leave, to which/);
  const rest = text.replace(version.leave_name.en, "");
  assert.match(text, /Employment Standards Act, 2000, s\. 49\.7/);
  assert.match(text, /December 7, 2026 for 3 working days/);
  assert.match(text, /confidential, as the law requires/);
  assert.doesNotMatch(rest, /assault|harass|violence|abuse|proof|statement/i);
  assert.equal(letter.paragraphs.at(-1), "Ana");
});

test("where the law asks for no proof, the letter says so; where a statement suffices, it offers one", () => {
  const ie = composeLetter(versionOn(load("IE"), input.start), { ...input, tone: "brief", to: "" }, t);
  assert.ok(ie.paragraphs.includes(WORDS.letter_no_proof));
  const wa = composeLetter(versionOn(load("US-WA"), input.start), { ...input, tone: "brief", to: "" }, t);
  assert.ok(wa.paragraphs.includes(WORDS.letter_self_statement));
});

test("without a law in force the letter asks for time off and cites nothing", () => {
  const gb = composeLetter(versionOn(load("GB-GBN"), input.start), { ...input, tone: "brief", to: "", days: null }, t);
  assert.deepEqual(gb.paragraphs, ["Hello,", "I am requesting time off starting December 7, 2026.", WORDS.letter_confidential, "Thank you.", "Ana"]);
});
