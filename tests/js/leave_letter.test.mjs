// The leave letter asks for what the checker's own answer gives her, and no more: it cites
// the leave as hers only where check() says "covered", asks for it and says she believes she
// qualifies where it says "may", and otherwise asks for time off citing nothing, so that a
// law that does not cover her ("Family violence leave") is never named to her employer.
// It says nothing about what happened; it mentions proof only to say none is needed or a
// statement suffices. Run over every version of every place in the rules data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { composeLetter } from "../../mend/static/js/leave/letter-text.js";
import { OUTCOMES, check, citation, questions } from "../../mend/static/js/leave/eligibility.js";
import { day } from "../../mend/static/js/lib/format.js";

const root = new URL("../../mend/leave/", import.meta.url);
const rulesDir = new URL("rules/", root);
const places = readdirSync(rulesDir).filter((f) => f.endsWith(".json")).sort()
  .map((f) => JSON.parse(readFileSync(new URL(f, rulesDir), "utf8")));
const rules = { jurisdictions: places };

// The English words as the server sends them: read from mend/leave/strings.py itself, so a
// change of wording there is tested here ("code": _("..." "...") entries).
const WORDS = Object.fromEntries(
  [...readFileSync(new URL("strings.py", root), "utf8").matchAll(/"(\w+)": _\(\s*((?:"[^"]*"\s*)+)\)/g)]
    .map(([, code, literals]) => [code, [...literals.matchAll(/"([^"]*)"/g)].map((m) => m[1]).join("")]),
);
const t = (code, vars = {}) => {
  assert.ok(code in WORDS, `no words for ${code}`);
  return WORDS[code].replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ""));
};

const HARMS = ["harassment", "sexual_assault", "domestic", "stalking"];
const TONES = ["brief", "formal", "warm"];
const SIZES = [[1, 4], [5, 14], [15, 24], [25, 49], [50, 99], [100, null]].map(([min, max]) => ({ min, max }));
const MONTHS = [0, 2, 6, 14];
const PURPOSES = ["medical", "legal"];
const her = { to: "Ms Reyes", name: "Ana", days: 3, tone: "formal", language: "en" };
// What a letter may never say outside the law's own name and citation.
const WHAT_HAPPENED = /violen|assault|harass|abuse|stalk|family|domestic|sexual|victim/i;

// A day the version was in force (the letter is written from the version of her first day).
const dayOf = (version) => version.from ?? version.until ?? "2026-12-07";
const daysInForce = (place) => place.versions.map(dayOf);

// The body of a letter in `tone` with the words `body` ("letter_body", "letter_body_may",
// "letter_body_nolaw"), for her 3 days from `start`.
function bodyOf(body, tone, version, start) {
  const cites = body !== "letter_body_nolaw";
  return t(`${body}_${tone}`, {
    leave: cites ? version.leave_name.en : "", law: cites ? citation(version) : "",
    start: day(start, "en"), for_days: " for 3 working days",
  });
}
const BODY = { law: "letter_body", may: "letter_body_may", none: "letter_body_nolaw" };
// What the letter may claim for each answer of the checker, written here (not imported),
// so that the test holds letter-text.js to it: "covered" alone is a leave she is entitled to.
const wording = (outcome) => ({ covered: "law", may_be_covered: "may" })[outcome] ?? "none";

// Every answer she can give the letter form, at every place and version.
function* everyCase() {
  for (const place of places) {
    for (const start of daysInForce(place)) {
      for (const harm of HARMS) {
        for (const serviceMonths of MONTHS) {
          for (const employees of SIZES) {
            for (const purpose of PURPOSES) {
              yield { ...her, code: place.code, start, harm, serviceMonths, employees, purpose };
            }
          }
        }
      }
    }
  }
}

function answerFor(input) {
  const { code, start, serviceMonths, employees, harm, purpose } = input;
  return check(rules, { code, on: start, serviceMonths, employees, harm, purpose });
}

// The letter's words with the law's own name and citation taken out: what is left is Mend's.
function ownWords(letter, version) {
  let text = letter.paragraphs.join("\n");
  if (version?.statute) text = text.replaceAll(citation(version), "").replaceAll(version.leave_name.en, "");
  return text;
}

test("every place, every answer: the letter cites the leave as hers only where the checker says covered", () => {
  const seen = new Map(OUTCOMES.map((o) => [o, 0]));
  for (const input of everyCase()) {
    const answer = answerFor(input);
    const letter = composeLetter(rules, input, t);
    const where = `${input.code} ${input.start} ${input.harm} ${input.serviceMonths}m ${input.employees.min}+ ${input.purpose}: ${answer.outcome}`;
    assert.equal(letter.outcome, answer.outcome, where);
    seen.set(answer.outcome, seen.get(answer.outcome) + 1);
    const text = letter.paragraphs.join("\n");
    const version = answer.version;
    const kind = wording(answer.outcome);
    assert.equal(letter.paragraphs[1], bodyOf(BODY[kind], "formal", version, input.start), where);
    if (kind === "law") {
      assert.match(text, /to which I am entitled under/, where);
    } else if (kind === "may") {
      assert.match(letter.paragraphs[1], /\. I believe I qualify for this leave\.$/, where);
      assert.doesNotMatch(text, /entitled|as the law requires|as the law allows|proof/i, where);
    } else {
      if (version?.statute) {
        assert.ok(!text.includes(version.statute), where);
        assert.ok(!text.includes(version.leave_name.en), where);
      }
      assert.doesNotMatch(text, /entitled|the law/i, where);
    }
    assert.doesNotMatch(ownWords(letter, version), WHAT_HAPPENED, where);
  }
  // The data reaches all three wordings (and the answers that fall to "none").
  for (const outcome of ["covered", "may_be_covered", "not_covered", "not_yet", "employer_too_small", "not_in_force", "no_law"]) {
    assert.ok(seen.get(outcome) > 0, `no case reached ${outcome}`);
  }
});

test("every place: the three tones follow the same answer", () => {
  for (const place of places) {
    for (const harm of HARMS) {
      const start = daysInForce(place).at(-1);
      const input = { ...her, code: place.code, start, harm, serviceMonths: 120, employees: { min: 100, max: null }, purpose: "legal" };
      const answer = answerFor(input);
      for (const tone of TONES) {
        const letter = composeLetter(rules, { ...input, tone, to: "" }, t);
        assert.equal(letter.paragraphs[0], t(`letter_greeting_${tone}_anyone`));
        assert.equal(letter.paragraphs[1], bodyOf(BODY[wording(answer.outcome)], tone, answer.version, start), `${place.code} ${harm} ${tone}`);
        assert.equal(letter.paragraphs.at(-2), t(`letter_close_${tone}`));
      }
    }
  }
});

test("a harassment survivor the checker does not cover is told nothing of violence, nor entitled (NZ, IE, AU, CA-AB)", () => {
  for (const code of ["NZ", "IE", "AU", "CA-AB"]) {
    const input = { ...her, code, start: "2026-12-07", harm: "harassment", serviceMonths: 24, employees: { min: 50, max: 99 }, purpose: "medical" };
    const letter = composeLetter(rules, input, t);
    assert.equal(letter.outcome, "not_covered", code);
    const text = letter.paragraphs.join("\n");
    assert.doesNotMatch(text, /violence|entitled|Holidays Act|Employment Standards|Fair Work|Organisation of Working Time/i, text);
    assert.deepEqual(letter.paragraphs, [
      "Dear Ms Reyes,", "I am writing to request leave starting December 7, 2026 for 3 working days.",
      t("letter_confidential"), "Yours sincerely,", "Ana",
    ]);
  }
});

test("an Ontario letter for a survivor of sexual assault cites s. 49.7 and asks for confidentiality, and nothing more", () => {
  const input = { ...her, code: "CA-ON", start: "2026-12-07", harm: "sexual_assault", serviceMonths: 14, employees: { min: 25, max: 49 }, purpose: "medical" };
  const letter = composeLetter(rules, input, t);
  assert.equal(letter.outcome, "covered");
  const text = letter.paragraphs.join("\n");
  assert.match(text, /take Domestic or sexual violence leave, to which I am entitled under Employment Standards Act, 2000, s\. 49\.7/);
  assert.match(text, /December 7, 2026 for 3 working days/);
  assert.match(text, /confidential, as the law requires/);
  assert.doesNotMatch(text.replace("Domestic or sexual violence leave", ""), /assault|harass|violence|abuse|proof|statement/i);
  assert.equal(letter.paragraphs.at(-1), "Ana");
});

test("in Ontario, harassment alone may be covered: the letter asks under s. 49.7, believes she qualifies, and claims nothing", () => {
  const input = { ...her, code: "CA-ON", start: "2026-12-07", harm: "harassment", serviceMonths: 14, employees: { min: 25, max: 49 }, purpose: "medical" };
  const letter = composeLetter(rules, input, t);
  assert.equal(letter.outcome, "may_be_covered");
  assert.deepEqual(letter.paragraphs, [
    "Dear Ms Reyes,",
    "I am writing to request Domestic or sexual violence leave under Employment Standards Act, 2000, s. 49.7, starting December 7, 2026 for 3 working days. I believe I qualify for this leave.",
    t("letter_confidential"), "Yours sincerely,", "Ana",
  ]);
});

test("before she has worked long enough, the letter cites nothing (Ontario, 13 weeks)", () => {
  const input = { ...her, code: "CA-ON", start: "2026-12-07", harm: "sexual_assault", serviceMonths: 2, employees: { min: 25, max: 49 }, purpose: "medical" };
  const letter = composeLetter(rules, input, t);
  assert.equal(letter.outcome, "not_yet");
  assert.equal(letter.paragraphs[1], "I am writing to request leave starting December 7, 2026 for 3 working days.");
});

test("where the law asks for no proof, a covered letter says so; where a statement suffices, it offers one", () => {
  const covered = { ...her, tone: "brief", to: "", start: "2026-12-07", harm: "domestic", serviceMonths: 24, employees: { min: 25, max: 49 }, purpose: "medical" };
  const ie = composeLetter(rules, { ...covered, code: "IE" }, t);
  assert.equal(ie.outcome, "covered");
  assert.ok(ie.paragraphs.includes(t("letter_no_proof")));
  const wa = composeLetter(rules, { ...covered, code: "US-WA" }, t);
  assert.equal(wa.outcome, "covered");
  assert.ok(wa.paragraphs.includes(t("letter_self_statement")));
});

test("without a law in force the letter asks for time off and cites nothing", () => {
  const input = { ...her, code: "GB-GBN", tone: "brief", to: "", days: null, start: "2026-12-07", harm: null, serviceMonths: 0, employees: { min: 0, max: null }, purpose: null };
  const gb = composeLetter(rules, input, t);
  assert.equal(gb.outcome, "no_law");
  assert.deepEqual(gb.paragraphs, ["Hello,", "I am requesting time off starting December 7, 2026.", t("letter_confidential"), "Thank you.", "Ana"]);
});

test("every place: a question the letter does not ask changes no answer of the checker", () => {
  const other = { serviceMonths: [0, 3, 600], employees: [SIZES[0], SIZES[3], SIZES[5]], purpose: ["medical", "legal", null] };
  for (const place of places) {
    for (const version of place.versions) {
      const on = dayOf(version);
      const asked = questions(version);
      for (const harm of asked.harm ? HARMS : [null]) {
        for (const serviceMonths of asked.service ? MONTHS : other.serviceMonths) {
          for (const employees of asked.size ? SIZES : other.employees) {
            for (const purpose of asked.purpose ? PURPOSES : other.purpose) {
              const base = { code: place.code, on, harm, serviceMonths, employees, purpose };
              const outcome = check(rules, base).outcome;
              const where = `${place.code} ${on} ${JSON.stringify(asked)}`;
              if (!asked.service) assert.equal(check(rules, { ...base, serviceMonths: 0 }).outcome, outcome, where);
              if (!asked.size) assert.equal(check(rules, { ...base, employees: { min: 0, max: null } }).outcome, outcome, where);
              if (!asked.purpose) assert.equal(check(rules, { ...base, purpose: null }).outcome, outcome, where);
              if (!asked.harm) assert.equal(check(rules, { ...base, harm: "domestic" }).outcome, outcome, where);
            }
          }
        }
      }
    }
  }
});
