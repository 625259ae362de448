// The words of a leave request, from the rule in force: it cites the provision and says
// nothing about what happened (minimal disclosure). Pure: `t` is passed in, no page.
import { citation } from "./eligibility.js";
import { day } from "../lib/format.js";

// input: {to, name, start: "YYYY-MM-DD", days: number|null, tone: brief|formal|warm, language}
// version: the rule in force (or null where Mend has no leave law for the place).
export function composeLetter(version, input, t) {
  const hasLaw = Boolean(version && version.status === "in_force");
  const vars = {
    to: input.to,
    start: day(input.start, input.language),
    for_days: input.days ? t("letter_for_days", { n: input.days }) : "",
    law: hasLaw ? citation(version) : "",
    leave: hasLaw ? (version.leave_name[input.language] ?? version.leave_name.en) : "",
  };
  const tone = input.tone;
  const paragraphs = [
    t(input.to ? `letter_greeting_${tone}` : `letter_greeting_${tone}_anyone`, vars),
    t(hasLaw ? `letter_body_${tone}` : `letter_body_nolaw_${tone}`, vars),
  ];
  if (hasLaw && version.documentation.may_require === "none") paragraphs.push(t("letter_no_proof"));
  else if (hasLaw && version.documentation.self_statement) paragraphs.push(t("letter_self_statement"));
  const confidential = hasLaw && version.protection.confidentiality === "yes";
  paragraphs.push(t(confidential ? "letter_confidential_law" : "letter_confidential"));
  paragraphs.push(t(`letter_close_${tone}`));
  if (input.name) paragraphs.push(input.name);
  return { subject: t("letter_subject"), paragraphs };
}
