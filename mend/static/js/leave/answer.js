// Writing a checker answer into the page: text nodes only (the rules' words are data,
// never markup), one list per topic, sources last. Shared by the checker and the letter.
import { markInvalid, say, t } from "../lib/page.js";
import { citation, isStale } from "./eligibility.js";
import { day } from "../lib/format.js";

export function el(tag, text = "", attrs = {}) {
  const node = document.createElement(tag);
  if (text) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

export function pick(text, language) {
  return text ? (text[language] ?? text.en) : "";
}

export function listOf(items) {
  if (items.length < 2) return items.join("");
  return t("list_and", { a: items.slice(0, -1).join(", "), b: items.at(-1) });
}

export function spanText(span) {
  return t(`span_${span.unit}`, { n: span.amount });
}

export function amountLines(leave) {
  const lines = [];
  for (const key of ["paid_days", "unpaid_days", "paid_hours", "unpaid_hours"]) {
    if (leave[key]) lines.push(t(key, { n: leave[key] }));
  }
  if (leave.unpaid_weeks) {
    lines.push(t(leave.unpaid_weeks_by_agreement ? "unpaid_weeks_by_agreement" : "unpaid_weeks", { n: leave.unpaid_weeks }));
  }
  if (leave.reasonable_leave) lines.push(t("reasonable_leave"));
  return lines;
}

function section(title, lines, qa) {
  const part = el("div", "", { "data-qa": qa });
  part.append(el("h4", title));
  const list = el("ul");
  for (const line of lines.filter(Boolean)) list.append(el("li", line));
  part.append(list);
  return part;
}

function proofLines(docs) {
  const lines = [t(`docs_${docs.may_require}`)];
  if (docs.self_statement) lines.push(t("self_statement"));
  if (docs.examples.length) lines.push(t("examples", { list: listOf(docs.examples.map((e) => t(`evidence_${e}`))) }));
  if (docs.never_required.length) lines.push(t("never_required", { list: listOf(docs.never_required.map((e) => t(`never_${e}`))) }));
  return lines;
}

function rightsLines(protection) {
  return [
    protection.confidentiality === "yes" ? t("confidential") : t("confidential_unknown"),
    protection.anti_retaliation === "yes" ? t("no_retaliation") : "",
    protection.payslip_silent ? t("payslip_silent") : "",
  ];
}

function sources(version, today, language) {
  const part = el("div", "", { "data-qa": "answer-sources" });
  part.append(el("h4", t("sources")));
  if (version.statute) part.append(el("p", citation(version)));
  const list = el("ul", "", { class: "small sources" });
  for (const source of version.sources) {
    const item = el("li");
    item.append(el("a", source.title, { href: source.url, rel: "noreferrer" }));
    list.append(item);
  }
  part.append(list);
  const stale = isStale(version, today);
  part.append(el("p", t(stale ? "stale" : "checked", { date: day(version.verified_on, language) }), stale ? { class: "message message--error", "data-qa": "stale" } : { class: "small" }));
  return part;
}

function reasonLine(answer, code) {
  if (code === "size_unclear") return t("reason_size_unclear", { n: answer.version.eligibility.min_employees });
  if (code === "paid_after_service") return t("reason_paid_after_service", { span: spanText(answer.paidAfter) });
  return t(`reason_${code}`);
}

// Fill `body` with everything the answer says.
export function renderAnswer(body, answer, { language, today }) {
  body.replaceChildren();
  const version = answer.version;
  if (version?.leave_name) body.append(el("p", `${pick(version.leave_name, language)} (${citation(version)})`, { "data-qa": "answer-law" }));
  for (const code of answer.reasons) body.append(el("p", reasonLine(answer, code), { "data-qa": `reason-${code}` }));
  if (answer.needed) body.append(el("p", t("needed", { span: spanText(answer.needed) })));
  if (version?.note) body.append(el("p", pick(version.note, language)));
  if (answer.leave) {
    const period = t(`period_${answer.leave.period}`);
    body.append(section(t("how_much"), [...amountLines(answer.leave), period, pick(version.entitlement.note, language)], "answer-amounts"));
    body.append(section(t("notice"), [t(`notice_${version.notice.kind}`), pick(version.notice.emergency, language), pick(version.notice.note, language)], "answer-notice"));
    body.append(section(t("proof"), [...proofLines(version.documentation), pick(version.documentation.note, language)], "answer-proof"));
    body.append(section(t("rights"), rightsLines(version.protection), "answer-rights"));
  }
  if (answer.unconfirmed.length && answer.leave) {
    body.append(el("p", t("unconfirmed_groups", { list: listOf(answer.unconfirmed.map((g) => t(`group_${g}`))) }), { class: "message message--error", "data-qa": "answer-unconfirmed" }));
  }
  if (answer.outcome === "may_be_covered") body.append(el("p", t("may_note"), { class: "small" }));
  if (answer.routes.length) {
    const routes = section(t("routes_title"), answer.routes.map((r) => t(`route_${r}`)), "answer-routes");
    routes.append(el("p", t("routes_note"), { class: "small", "data-qa": "not-advice" }));
    body.append(routes);
  }
  if (version?.sources) body.append(sources(version, today, language));
}

function employees(value) {
  const [min, max] = value.split("-");
  return { min: Number(min), max: max ? Number(max) : null };
}

// The checker's questions (leave/_questions.html) as a form holds them, read the same way
// by the checker and the letter, and what is still missing, as firstMissing() takes it.
// `asked` ({service, size, harm, purpose}, eligibility.js questions()) leaves out those the
// page did not ask: they get answers that change nothing.
export function readQuestions(data, asked) {
  const months = Number.parseInt(data.get("months"), 10);
  const badMonths = Number.isNaN(months) || months < 0 || months > 600;
  return {
    answers: {
      serviceMonths: asked.service ? months : 0,
      employees: asked.size ? employees(data.get("size")) : { min: 0, max: null },
      harm: asked.harm ? data.get("harm") : null,
      purpose: asked.purpose ? data.get("purpose") : null,
    },
    missing: [
      [asked.service && badMonths, "[data-qa=months]", "missing_months"],
      [asked.harm && !data.get("harm"), "[data-qa=harm-harassment]", "missing_harm"],
    ],
  };
}

// The first field `form` still needs, said plainly in `alert` and marked on the field,
// which takes focus (page.markInvalid); whether one was missing. A complete form clears
// both. missing: [[isMissing, selector, message code], ...] in the form's order.
export function firstMissing(form, alert, missing) {
  const found = missing.find(([isMissing]) => isMissing);
  say(alert, found ? t(found[2]) : "", "error");
  markInvalid(form, alert, found ? form.querySelector(found[1]) : null);
  return Boolean(found);
}
