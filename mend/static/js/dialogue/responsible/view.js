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

function dayOf(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return Date.UTC(y, m - 1, d);
}

// The plan as he sees it: items she did not decline, by due date; and reminders of agreed
// items still open that are due within `soonDays` of `today` ("YYYY-MM-DD") or overdue.
// A declined item is not his to do, and he is not shown her "no".
export function planView(plan, today, soonDays) {
  const now = dayOf(today);
  const shown = plan.filter((p) => p.answer !== "declined").sort((a, b) => a.dueOn.localeCompare(b.dueOn));
  const open = shown.filter((p) => p.answer === "accepted" && (p.outcome === "open" || p.outcome == null));
  const left = (p) => (dayOf(p.dueOn) - now) / DAY_MS;
  return {
    items: shown,
    overdue: open.filter((p) => left(p) < 0),
    dueSoon: open.filter((p) => left(p) >= 0 && left(p) <= soonDays),
  };
}

// Today's date in the browser's own time zone, as "YYYY-MM-DD".
export function localToday(date = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
