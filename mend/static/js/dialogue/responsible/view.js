// What the responsible person's case page shows, decided from the opened case (case.js
// openCase) without touching the page: pure, so node tests run it
// (tests/js/dialogue_responsible.test.mjs).

const DAY_MS = 24 * 60 * 60 * 1000;

// His own items of `kinds`, oldest first; each with `replacedBy` set when he revised it.
export function mine(items, meId, kinds) {
  const own = items.filter((i) => i.author === meId && kinds.includes(i.kind));
  const replaced = new Set(own.map((i) => i.replaces).filter(Boolean));
  return own
    .map((i) => ({ ...i, revised: replaced.has(i.id) }))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.revision - b.revision);
}

// His acknowledgment form: "write" (none yet), "revise" (the newest was returned: its
// reason, the item it replaces and the next revision), or "none" (one is waiting, was
// accepted, or was not accepted: nothing more to write here).
export function acknowledgmentForm(items, meId) {
  const acks = mine(items, meId, ["acknowledgment"]).filter((i) => !i.revised);
  if (acks.length === 0) return { mode: "write" };
  const open = acks.find((i) => i.screening === "returned");
  if (open && !acks.some((i) => i.screening === "pending" || i.screening === "approved")) {
    return { mode: "revise", replaces: open.id, revision: open.revision + 1, reason: open.returnReason, text: open.text ?? "" };
  }
  return { mode: "none" };
}

// What was passed on to him: her items he may load (approved messages sealed to him),
// newest first. Refused ones stay in the list, shown as refused, never their words.
export function incoming(items, meId) {
  return items
    .filter((i) => i.author !== meId && (i.kind === "message" || i.kind === "letter") && i.authorRole === "survivor")
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

// The plan as he sees it: items she did not decline, by due date (a declined item is not
// his to do, and he is not shown her "no"); and the server's reminders for him (due_soon,
// overdue: mend/dialogue/monitoring.py) with the plan entry each is about.
export function planView(plan, reminders = []) {
  const byId = new Map(plan.map((p) => [p.id, p]));
  return {
    items: plan.filter((p) => p.answer !== "declined").sort((a, b) => a.dueOn.localeCompare(b.dueOn)),
    reminders: reminders
      .filter((r) => (r.kind === "due_soon" || r.kind === "overdue") && byId.has(r.plan_item))
      .map((r) => ({ kind: r.kind, dueOn: r.due_on, entry: byId.get(r.plan_item) })),
  };
}

// What is kept of his compose boxes through an idle sign-out (lib/draft.js): the form it
// was in and its fields; null when there is nothing worth keeping.
export function composeDraft(form, fields) {
  if (!fields.text?.trim()) return null;
  return { form, ...fields };
}

