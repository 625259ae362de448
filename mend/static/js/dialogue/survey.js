// The anonymous survey after closure (dialogue/_survey.html), on her case page and on his:
// every question answered from 1 to 5, sent once with no link to the case, then thanked for.
import { $, config, guard, say, t } from "../lib/page.js";
import { giveFeedback } from "./case.js";

export function wireSurvey(caseRef) {
  $("[data-qa=feedback]")?.addEventListener("submit", guard((event) => sendSurvey(event, caseRef)));
}

async function sendSurvey(event, caseRef) {
  event.preventDefault();
  const form = event.target;
  const answers = {};
  for (const code of config.feedback_questions) {
    const picked = form.querySelector(`input[name=${code}]:checked`);
    if (picked) answers[code] = Number(picked.value);
  }
  const complete = Object.keys(answers).length === config.feedback_questions.length;
  $("[data-qa=feedback-error]").hidden = complete;
  if (!complete) return;
  await giveFeedback(caseRef, answers);
  form.remove();
  say($("[data-qa=survey-status]"), t("feedback_thanks"));
}
