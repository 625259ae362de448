// Building the case page's lists from an opened case (dialogue/case.js openCase). Every word
// a party or a facilitator wrote goes in as textContent, never as markup.
import { config, t, when } from "../../lib/page.js";
import { checkParty, fingerprint, isFacilitator, noteOn } from "../case.js";

// One element: el("p", {class: "x", dataset: {qa: "y"}}, "text", child, …).
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "dataset") Object.assign(node.dataset, value);
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

const roleName = (role) => t(`role_${role}`);
const SCREENED = new Set(["acknowledgment", "message", "letter"]);

// --- People and keys -----------------------------------------------------------------------

export function parties(ctx) {
  return ctx.parties.map((party) => partyRow(ctx, party));
}

function partyRow(ctx, party) {
  const mine = party.id === ctx.me.id;
  const row = el("li", { class: "card stack", dataset: { qa: `party-${party.role}` } });
  row.append(el("h3", { text: mine ? t("party_you", { role: roleName(party.role) }) : roleName(party.role) }));
  if (!party.boxKey) {
    row.append(el("p", { text: t("party_no_key"), dataset: { qa: "no-key" } }));
    return row;
  }
  const shown = fingerprint(party);
  row.append(el("p", {}, t("party_fingerprint"), " ", el("code", { text: shown, dataset: { qa: "fingerprint" } })));
  const trusted = checkParty(ctx, party);
  if (party.role === "former") {
    row.append(el("p", { text: t("party_former"), dataset: { qa: "former" } }));
  } else if (mine || party.role === "lead") {
    row.append(el("p", { text: t(mine ? "party_your_key" : "party_lead_key") }));
  } else if (trusted) {
    row.append(el("p", { text: t("party_vouched"), dataset: { qa: "vouched" } }));
    if (isFacilitator(party) && ctx.me.role === "lead" && ctx.items.length) {
      row.append(el("p", { text: t("party_share_help") }),
        el("button", { type: "button", class: "secondary", dataset: { share: party.id, qa: "share" }, text: t("party_share") }));
    }
  } else if (ctx.me.role === "lead") {
    const box = `compare-${party.id}`;
    row.append(
      el("p", { text: t("party_not_vouched") }),
      el("p", {}, el("input", { type: "checkbox", id: box, dataset: { qa: "compared" } }), " ",
        el("label", { for: box, text: t("party_compared") })),
      el("button", { type: "button", dataset: { vouch: party.id, fingerprint: shown, qa: "vouch" }, text: t("party_vouch") }),
    );
  } else {
    row.append(el("p", { text: t("party_waits_for_lead") }));
  }
  return row;
}

// --- Assessments ---------------------------------------------------------------------------

function parsed(text) {
  try {
    const value = JSON.parse(text);
    return value && typeof value === "object" ? value : null;
  } catch {
    return null;
  }
}

export function assessments(ctx) {
  return ctx.items.filter((i) => i.kind === "assessment").map((item) => {
    const row = el("li", { class: "card stack", dataset: { qa: "assessment-record" } });
    row.append(el("p", { text: t("written_on", { date: when(item.createdAt) }) }));
    if (item.refused) return row.append(el("p", { text: t(`refused_${item.refused}`) })), row;
    const record = parsed(item.text);
    if (!record) return row.append(el("p", { text: item.text })), row;
    row.append(el("p", { dataset: { qa: "assessment-decision" }, text: t("assessment_summary", {
      subject: roleName(record.subject), decision: t(`decision_${record.decision}`),
    }) }));
    if (record.rule) row.append(el("p", { text: t("assessment_rule", { rule: config.stop_rules[record.rule] ?? record.rule }) }));
    const answers = el("dl");
    for (const [code, answer] of Object.entries(record.answers ?? {})) {
      if (answer) answers.append(el("dt", { text: config.questions[code] ?? code }), el("dd", { text: answer }));
    }
    const ticked = (record.checks ?? []).map((code) => config.questions[code] ?? code);
    if (ticked.length) answers.append(el("dt", { text: t("assessment_checks") }), el("dd", { text: ticked.join("; ") }));
    if (record.note) answers.append(el("dt", { text: t("assessment_note") }), el("dd", { text: record.note }));
    row.append(el("details", {}, el("summary", { text: t("show_answers") }), answers));
    return row;
  });
}

// --- Screening -----------------------------------------------------------------------------

// The revisions before this one, newest first (each names the one it replaces).
function history(ctx, item) {
  const byId = new Map(ctx.items.map((i) => [i.id, i]));
  const earlier = [];
  for (let at = byId.get(item.replaces); at; at = byId.get(at.replaces)) earlier.push(at);
  return earlier;
}

function textBlock(item) {
  if (item.refused) return el("p", { class: "message message--error", text: t(`refused_${item.refused}`) });
  const text = el("p", { class: "item-text", text: item.text, dataset: { qa: "item-text" } });
  if (!item.warning) return text;
  return el("div", { class: "stack" },
    el("p", { dataset: { qa: "content-warning" }, text: t("content_warning", { warning: item.warning }) }),
    el("details", {}, el("summary", { text: t("show_text") }), text));
}

function heading(item) {
  return t("item_heading", {
    kind: t(`kind_${item.kind}`), author: roleName(item.authorRole ?? "survivor"), revision: item.revision,
  });
}

export function queue(ctx) {
  return ctx.items.filter((i) => SCREENED.has(i.kind) && i.screening === "pending").map((item) => {
    const row = el("li", { class: "card stack", dataset: { qa: "pending-item", item: item.id } });
    row.append(el("h3", { text: heading(item) }), el("p", { text: t("written_on", { date: when(item.createdAt) }) }));
    row.append(textBlock(item));
    const earlier = history(ctx, item);
    if (earlier.length) {
      const list = el("ol", { class: "stack" });
      for (const old of earlier) {
        list.append(el("li", {},
          el("p", { text: t("earlier_revision", { revision: old.revision, reason: config.reasons[old.returnReason] ?? "" }) }),
          textBlock(old)));
      }
      row.append(el("details", { dataset: { qa: "history" } }, el("summary", { text: t("show_history", { count: earlier.length }) }), list));
    }
    row.append(screeningControls(item));
    return row;
  });
}

function screeningControls(item) {
  const select = `reason-${item.id}`;
  const options = Object.entries(config.reasons).map(([code, label]) => el("option", { value: code, text: label }));
  return el("div", { class: "stack" },
    el("button", { type: "button", dataset: { screen: "approved", item: item.id, qa: "approve" }, disabled: Boolean(item.refused), text: t("approve") }),
    el("label", { for: select, text: t("return_reason") }),
    el("select", { id: select, dataset: { qa: "return-reason" } }, options),
    el("label", { for: `note-${item.id}`, text: t("return_note") }),
    el("textarea", { id: `note-${item.id}`, rows: "3", maxlength: "2000", dataset: { qa: "return-note" } }),
    el("button", { type: "button", class: "secondary", dataset: { screen: "returned", item: item.id, qa: "return" }, text: t("return") }),
    el("button", { type: "button", class: "secondary", dataset: { screen: "rejected", item: item.id, qa: "reject" }, text: t("reject") }));
}

export function screened(ctx) {
  return ctx.items.filter((i) => SCREENED.has(i.kind) && i.screening !== "pending").map((item) => {
    const decision = item.screening === "returned"
      ? t("screened_returned", { reason: config.reasons[item.returnReason] ?? "" })
      : t(`screened_${item.screening}`);
    const note = noteOn(ctx, item);
    return el("li", { dataset: { qa: `screened-${item.screening}` } },
      el("p", { text: `${heading(item)}: ${decision}` }),
      note && el("p", { dataset: { qa: "screened-note" }, text: t("screened_note", { text: note }) }),
      el("details", {}, el("summary", { text: t("show_text") }), textBlock({ ...item, warning: "" })));
  });
}

// --- Plan ----------------------------------------------------------------------------------

export function plan(ctx) {
  const monitoring = ctx.case.stage === 7 && ctx.case.state === "active";
  return ctx.plan.map((entry) => {
    const row = el("li", { class: "card stack", dataset: { qa: "plan-entry", plan: entry.id } });
    row.append(el("h3", { text: config.plan_kinds[entry.kind] ?? entry.kind }));
    row.append(entry.refused
      ? el("p", { text: t(`refused_${entry.refused}`) })
      : el("p", { class: "item-text", text: entry.text, dataset: { qa: "plan-text" } }));
    row.append(el("p", { text: t("plan_due", { date: entry.dueOn }) }));
    row.append(el("p", { dataset: { qa: "plan-state" }, text: t("plan_state", {
      answer: t(`answer_${entry.answer}`), outcome: t(`outcome_${entry.outcome ?? "open"}`),
    }) }));
    if (monitoring && entry.answer === "accepted" && entry.outcome === "open") {
      row.append(el("p", {},
        el("button", { type: "button", dataset: { outcome: "completed", plan: entry.id, qa: "completed" }, text: t("record_completed") }), " ",
        el("button", { type: "button", class: "secondary", dataset: { outcome: "missed", plan: entry.id, qa: "missed" }, text: t("record_missed") })));
    }
    return row;
  });
}

// What monitoring asks of the team now (the server's reminders for facilitators).
export function reminders(ctx) {
  const until = ctx.case.monitoring_ends_on;
  return (ctx.case.reminders ?? []).map((r) => el("li", {
    class: "message", dataset: { qa: `reminder-${r.kind}` },
    text: r.kind === "to_verify" ? t("reminder_to_verify", { date: r.due_on }) : t("reminder_monitoring_over", { date: until ?? "" }),
  }));
}
