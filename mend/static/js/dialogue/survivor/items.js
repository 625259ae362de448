// Her case page's lists: his acknowledgment, his messages and letters (content warning
// first, then "show"), her own messages with their screening state, and the plan. Only
// items case.js opened and checked are shown; a refused one says so and shows nothing.
import { config, guard, t, when } from "../../lib/page.js";
import { day } from "../../lib/format.js";
import * as kase from "../case.js";
import { button, el, paragraphs, revealable } from "./dom.js";

function warningLine(item) {
  return el("p", item.warning ? t("warning_label", { warning: item.warning }) : t("no_warning"), { "data-qa": "item-warning" });
}

function refusedCard(item) {
  return el("p", t("refused_item"), { class: "message message--error", "data-qa": "item-refused" });
}

// One item from him: heading, content warning, then the words only when she asks.
// Headings follow the page's outline: his acknowledgment sits right under "From him" (h2).
function fromHim(ctx, item, heading, showLabel) {
  const card = el("li", "", { class: "card", "data-qa": `incoming-${item.kind}`, "data-item": item.id });
  card.append(el(item.kind === "acknowledgment" ? "h3" : "h4", heading));
  if (item.refused) {
    card.append(refusedCard(item));
    return card;
  }
  const markRead = () => {
    if (item.read === false) kase.markRead(ctx, item).catch(() => {}); // only a record for her
  };
  card.append(warningLine(item), ...revealable(item, { showLabel, hideLabel: t("hide"), onFirstShow: markRead }));
  return card;
}

export function renderFromHim(ctx, root) {
  const his = ctx.items.filter((i) => i.authorRole === "responsible");
  const place = (qa, kind, heading, label) => {
    const list = root.querySelector(`[data-qa=${qa}]`);
    if (!list) return;
    const items = his.filter((i) => i.kind === kind);
    list.replaceChildren(...items.map((i) => fromHim(ctx, i, heading(i), label)));
    if (!items.length && qa !== "acknowledgment-list") list.append(el("li", t("nothing_yet"), { class: "small" }));
  };
  place("acknowledgment-list", "acknowledgment", (i) => t("acknowledgment", { date: when(i.createdAt) }), t("show"));
  place("incoming-list", "message", (i) => t("written_on", { date: when(i.createdAt) }), t("show"));
  place("letter-list", "letter", (i) => t("letter_from", { date: when(i.createdAt) }), t("show_letter"));
}

function mineCard(item, replaced, onRevise, note) {
  const card = el("li", "", { class: "card", "data-qa": "my-message", "data-screening": item.screening });
  card.append(el("h3", `${t("revision", { n: item.revision })} · ${t("written_on", { date: when(item.createdAt) })}`));
  card.append(el("p", t(`state_${item.screening}`), { "data-qa": "screening", class: "small" }));
  if (item.screening === "returned") {
    const reason = t(`reason_${item.returnReason || "other"}`);
    card.append(el("p", t("returned_because", { reason }), { "data-qa": "return-reason" }));
    if (note) card.append(el("p", t("return_note", { text: note }), { "data-qa": "return-note" }));
  }
  if (item.read !== null && item.read !== undefined && item.screening === "approved") {
    card.append(el("p", t(item.read ? "read_yes" : "read_no"), { class: "small", "data-qa": "read-flag" }));
  }
  if (item.refused) {
    card.append(refusedCard(item));
    return card;
  }
  if (item.warning) card.append(el("p", t("warning_label", { warning: item.warning }), { class: "small" }));
  const words = el("div", "", { "data-qa": "item-text" });
  words.append(...paragraphs(item.text));
  card.append(words);
  if (item.screening === "returned" && !replaced && onRevise) {
    card.append(button(t("revise"), "revise", () => onRevise(item)));
  }
  return card;
}

export function renderMine(ctx, root, onRevise) {
  const list = root.querySelector("[data-qa=my-messages]");
  if (!list) return;
  const mine = ctx.items.filter((i) => i.author === ctx.me.id && i.kind === "message");
  const replaced = new Set(mine.map((i) => i.replaces).filter(Boolean));
  list.replaceChildren(...mine.map((i) => mineCard(i, replaced.has(i.id), onRevise, kase.noteOn(ctx, i))));
  if (!mine.length) list.append(el("li", t("nothing_yet"), { class: "small" }));
}

function outcomeText(entry) {
  if (entry.outcome === null || entry.outcome === undefined) return t("outcome_hidden");
  return t(`outcome_${entry.outcome}`);
}

function planCard(ctx, entry, refresh) {
  const card = el("li", "", { class: "card", "data-qa": "plan-item", "data-answer": entry.answer });
  card.append(el("h3", t(`kind_${entry.kind}`)), el("p", t("plan_due", { date: day(entry.dueOn, config.language) }), { class: "small" }));
  if (entry.refused) card.append(refusedCard(entry));
  else card.append(...paragraphs(entry.text));
  if (entry.answer === "pending") {
    const answer = (accept) => guard(async () => {
      await kase.answerPlan(ctx, entry.id, accept);
      await refresh(accept ? "plan_accepted" : "plan_declined");
    });
    const row = el("p");
    row.append(button(t("plan_accept"), "plan-accept", answer(true)), " ", button(t("plan_decline"), "plan-decline", answer(false), "secondary"));
    card.append(row);
  } else {
    card.append(el("p", t(entry.answer === "accepted" ? "plan_accepted" : "plan_declined"), { "data-qa": "plan-answer" }));
    if (entry.answer === "accepted") card.append(el("p", outcomeText(entry), { "data-qa": "plan-outcome" }));
  }
  return card;
}

export function renderPlan(ctx, root, refresh) {
  const list = root.querySelector("[data-qa=plan-list]");
  if (!list) return;
  list.replaceChildren(...ctx.plan.map((entry) => planCard(ctx, entry, refresh)));
  if (!ctx.plan.length) list.append(el("li", t("nothing_yet"), { class: "small" }));
}

// What the server reminds her of (mend.dialogue.monitoring): an outcome recorded in the last
// month, unless she chose not to be told. Each names the commitment by its kind and date.
export function renderNews(ctx, root) {
  const list = root.querySelector("[data-qa=news]");
  if (!list) return;
  const kinds = new Map(ctx.plan.map((entry) => [entry.id, entry.kind]));
  const news = (ctx.case.reminders ?? []).filter((r) => r.kind === "outcome" && r.outcome !== "open");
  list.replaceChildren(
    ...news.map((r) => {
      const vars = { kind: t(`kind_${kinds.get(r.plan_item) ?? "apology"}`), date: day(r.due_on, config.language) };
      return el("li", t(`news_${r.outcome}`, vars), { "data-qa": "news-item", "data-outcome": r.outcome });
    }),
  );
  list.hidden = news.length === 0;
}
