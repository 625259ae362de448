// "Can I take leave?": the answer, worked out in her browser from the rules file.
// A pure module (no page, no network): what she enters never leaves this function.
// It never overstates a right: a fact the data marks unclear or unconfirmed makes the
// answer "may be covered", never "covered"; where no law covers her case it says so and
// lists other routes, which the page marks as information, not legal advice.

const DAYS_PER = { days: 1, weeks: 7, months: 30.4375 };
const HARM_FIELD = {
  harassment: "sexual_harassment",
  sexual_assault: "sexual_violence",
  domestic: "domestic_violence",
  stalking: "stalking",
};
const AMOUNTS = ["paid_days", "unpaid_days", "unpaid_weeks", "paid_hours", "unpaid_hours"];

// Every answer check() can give; the page has words for each ("outcome_<name>" in
// mend/leave/strings.py: tests/js/leave_eligibility.test.mjs holds the two together).
export const OUTCOMES = [
  "covered", "may_be_covered", "not_covered", "not_yet", "employer_too_small",
  "not_in_force", "no_law", "no_version", "unknown_jurisdiction",
];

export function spanDays(span) {
  return span ? span.amount * DAYS_PER[span.unit] : 0;
}

// The version in force on `on` (YYYY-MM-DD), from and until both inclusive.
export function versionOn(jurisdiction, on) {
  return jurisdiction.versions.find(
    (v) => (v.from === null || v.from <= on) && (v.until === null || on <= v.until),
  ) ?? null;
}

// Whether a version was checked more than a year before `on`.
export function isStale(version, on) {
  const checked = new Date(`${version.verified_on}T00:00:00Z`);
  const day = new Date(`${on}T00:00:00Z`);
  return (day - checked) / 86400000 > 365;
}

function amountsFor(entitlement, employees) {
  const amounts = Object.fromEntries(AMOUNTS.map((k) => [k, entitlement[k]]));
  // The highest tier her employer surely reaches (the low end of the size she gave).
  for (const tier of entitlement.tiers) {
    if (tier.min_employees <= employees.min) Object.assign(amounts, tier);
  }
  delete amounts.min_employees;
  return amounts;
}

function harmAnswer(scope, harm) {
  const value = scope.harms[HARM_FIELD[harm]];
  if (value === "yes") return "yes";
  // Serious sexual harassment may be sexual violence where the law covers it by anyone.
  if (harm === "harassment" && scope.harms.sexual_violence === "yes") return "unclear";
  return value;
}

function sizeAnswer(eligibility, employees, purpose) {
  const needed = eligibility.min_employees;
  if (!needed || employees.min >= needed) return { fits: "yes" };
  const limited = eligibility.purposes_below_threshold.includes(purpose);
  if (limited) return { fits: "yes", limited: true };
  if (employees.max !== null && employees.max < needed) return { fits: "no" };
  return { fits: "unclear" };
}

function base(jurisdiction, version) {
  return {
    code: jurisdiction.code,
    version,
    reasons: [],
    unconfirmed: ["scope", "entitlement", "eligibility", "notice", "documentation", "protection"]
      .filter((g) => version?.[g] && !version[g].confirmed),
    routes: [],
  };
}

// Other routes, always information, never a promise: the page words each one.
function routes(jurisdiction) {
  const list = ["sick_leave", "accommodation", "employer_policy", "union_or_advice"];
  if (jurisdiction.code.startsWith("US-")) list.splice(1, 0, "safety_time");
  return list;
}

// Which of check()'s questions can change its answer under `version` (the letter asks only
// these): what happened wherever a law is in force; her service where the leave waits for
// some; her employer's size where the law starts at a size; what the time is for where a
// smaller employer must still allow some purposes. Whatever stands in for a question not
// asked, check()'s outcome is the same (tests/js/leave_letter.test.mjs proves it for every
// version of every place).
export function questions(version) {
  const inForce = version?.status === "in_force";
  const size = inForce && Boolean(version.eligibility.min_employees);
  return {
    harm: inForce,
    service: inForce && spanDays(version.eligibility.service) > 0,
    size,
    purpose: size && version.eligibility.purposes_below_threshold.length > 0,
  };
}

// input: {code, on: "YYYY-MM-DD", serviceMonths, employees: {min, max|null}, harm, purpose}
export function check(rulesDoc, input) {
  const jurisdiction = rulesDoc.jurisdictions.find((j) => j.code === input.code);
  if (!jurisdiction) return { code: input.code, outcome: "unknown_jurisdiction", reasons: [], unconfirmed: [], routes: ["sick_leave", "accommodation", "union_or_advice"] };
  const version = versionOn(jurisdiction, input.on);
  const answer = base(jurisdiction, version);
  const finish = (outcome) => {
    answer.outcome = outcome;
    if (outcome !== "covered") answer.routes = routes(jurisdiction);
    return answer;
  };
  if (!version) return finish("no_version");
  if (version.status === "no_law") return finish("no_law");
  if (version.status === "not_in_force") return finish("not_in_force");

  const harm = harmAnswer(version.scope, input.harm);
  if (harm === "no") return finish("not_covered");
  const size = sizeAnswer(version.eligibility, input.employees, input.purpose);
  if (size.fits === "no") return finish("employer_too_small");
  const service = input.serviceMonths * DAYS_PER.months;
  if (service < spanDays(version.eligibility.service)) {
    answer.needed = version.eligibility.service;
    return finish("not_yet");
  }
  answer.leave = amountsFor(version.entitlement, input.employees);
  answer.leave.reasonable_leave = version.entitlement.reasonable_leave;
  answer.leave.unpaid_weeks_by_agreement = version.entitlement.unpaid_weeks_by_agreement;
  answer.leave.period = version.entitlement.period;
  if (service < spanDays(version.entitlement.paid_service)) {
    answer.reasons.push("paid_after_service");
    answer.paidAfter = version.entitlement.paid_service;
    answer.leave.unpaid_days += answer.leave.paid_days;
    answer.leave.paid_days = 0;
  }
  if (harm === "unclear") answer.reasons.push("harm_unclear");
  if (size.fits === "unclear") answer.reasons.push("size_unclear");
  if (size.limited) answer.reasons.push("purposes_limited");
  if (!version.scope.confirmed) answer.reasons.push("scope_unconfirmed");
  const sure = harm === "yes" && size.fits === "yes" && version.scope.confirmed;
  return finish(sure ? "covered" : "may_be_covered");
}

// The applicable sections, for the answer's "sources" and for the letter.
export function citation(version) {
  if (!version?.statute) return "";
  return version.section ? `${version.statute}, ${version.section}` : version.statute;
}
