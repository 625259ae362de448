// The words of a leave request. Pure: `t` is passed in, no page. The letter asks for what
// the checker's own answer (check(), for her first day of leave) says she has, and never
// says what happened (minimal disclosure):
//   covered          names the leave, cites the law and says she is entitled to it, with
//                    what the law says of proof and confidentiality;
//   may_be_covered   asks for the leave under the law and says she believes she qualifies,
//                    nothing more (neither the law's rule on proof nor its duty of
//                    confidentiality is claimed: they bind her employer only if it applies);
//   any other answer asks for time off and cites nothing: a law that does not cover her
//                    is never named, since its name alone (for example "Family violence
//                    leave") would tell her employer something untrue and private.
import { check, citation } from "./eligibility.js";
import { day } from "../lib/format.js";

const WORDING = { covered: "law", may_be_covered: "may" };

// How the letter asks, for an outcome of check(): "law", "may" or "none".
export function wording(outcome) {
  return WORDING[outcome] ?? "none";
}

// input: {code, start: "YYYY-MM-DD", serviceMonths, employees: {min, max|null}, harm,
// purpose (check()'s answers), to, name, days: number|null, tone: brief|formal|warm,
// language}. Returns {subject, paragraphs, outcome}.
export function composeLetter(rulesDoc, input, t) {
  const { code, start, serviceMonths, employees, harm, purpose } = input;
  const answer = check(rulesDoc, { code, on: start, serviceMonths, employees, harm, purpose });
  const kind = wording(answer.outcome);
  const version = answer.version;
  const cites = kind !== "none";
  const vars = {
    to: input.to,
    start: day(start, input.language),
    for_days: input.days ? t("letter_for_days", { n: input.days }) : "",
    law: cites ? citation(version) : "",
    leave: cites ? (version.leave_name[input.language] ?? version.leave_name.en) : "",
  };
  const tone = input.tone;
  const body = { law: "letter_body", may: "letter_body_may", none: "letter_body_nolaw" }[kind];
  const paragraphs = [
    t(input.to ? `letter_greeting_${tone}` : `letter_greeting_${tone}_anyone`, vars),
    t(`${body}_${tone}`, vars),
  ];
  const entitled = kind === "law";
  if (entitled && version.documentation.may_require === "none") paragraphs.push(t("letter_no_proof"));
  else if (entitled && version.documentation.self_statement) paragraphs.push(t("letter_self_statement"));
  const confidential = entitled && version.protection.confidentiality === "yes";
  paragraphs.push(t(confidential ? "letter_confidential_law" : "letter_confidential"));
  paragraphs.push(t(`letter_close_${tone}`));
  if (input.name) paragraphs.push(input.name);
  return { subject: t("letter_subject"), paragraphs, outcome: answer.outcome };
}
