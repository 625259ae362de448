// What the responsible person's case page shows (dialogue/responsible/view.js): his
// acknowledgment form, what was passed on to him, his plan and its reminders.
import { test } from "node:test";
import assert from "node:assert/strict";
import { acknowledgmentForm, composeDraft, incoming, mine, planView } from "../../mend/static/js/dialogue/responsible/view.js";
import { survivorName } from "../../mend/static/js/dialogue/case-core.js";

const ME = "ross";
const item = (fields) => ({ author: ME, kind: "acknowledgment", revision: 1, replaces: null, createdAt: "2026-11-24T10:00:00Z", screening: "pending", returnReason: "", ...fields });

test("with no acknowledgment yet he is asked to write one", () => {
  assert.deepEqual(acknowledgmentForm([], ME), { mode: "write" });
});

test("a returned acknowledgment is revised once, with its reason and his words", () => {
  const returned = item({ id: "a1", screening: "returned", returnReason: "excuses", text: "I did it, but" });
  assert.deepEqual(acknowledgmentForm([returned], ME), {
    mode: "revise",
    replaces: "a1",
    revision: 2,
    reason: "excuses",
    text: "I did it, but",
  });
  const revised = item({ id: "a2", revision: 2, replaces: "a1", createdAt: "2026-11-25T10:00:00Z" });
  assert.deepEqual(acknowledgmentForm([returned, revised], ME), { mode: "none" });
});

test("a pending, accepted or refused acknowledgment leaves nothing to write", () => {
  for (const screening of ["pending", "approved", "rejected"]) {
    assert.equal(acknowledgmentForm([item({ id: "a", screening })], ME).mode, "none", screening);
  }
});

test("his own items are his only, oldest first, and a revised one is marked", () => {
  const first = item({ id: "m1", kind: "message", screening: "returned" });
  const second = item({ id: "m2", kind: "message", replaces: "m1", revision: 2, createdAt: "2026-11-26T00:00:00Z" });
  const hers = item({ id: "h1", kind: "message", author: "alice" });
  const list = mine([second, hers, first], ME, ["message"]);
  assert.deepEqual(list.map((i) => [i.id, i.revised]), [["m1", true], ["m2", false]]);
});

test("only her messages reach his reading list, newest first", () => {
  const items = [
    item({ id: "m", kind: "message" }),
    { ...item({ id: "h1", kind: "message", author: "alice" }), authorRole: "survivor" },
    { ...item({ id: "h2", kind: "message", author: "alice", createdAt: "2026-11-30T00:00:00Z" }), authorRole: "survivor" },
    { ...item({ id: "p", kind: "plan-item", author: "frank" }), authorRole: "lead" },
  ];
  assert.deepEqual(incoming(items, ME).map((i) => i.id), ["h2", "h1"]);
});

test("his plan leaves out what she declined and carries the server's reminders", () => {
  const plan = [
    { id: 1, kind: "apology", dueOn: "2026-12-20", answer: "accepted", outcome: "open" },
    { id: 2, kind: "treatment", dueOn: "2026-12-01", answer: "declined", outcome: "open" },
    { id: 3, kind: "no_contact", dueOn: "2026-12-05", answer: "pending", outcome: "open" },
  ];
  const reminders = [
    { kind: "due_soon", plan_item: 1, due_on: "2026-12-20", outcome: null },
    { kind: "outcome", plan_item: 1, due_on: "2026-12-20", outcome: "completed" },
    { kind: "overdue", plan_item: 99, due_on: "2026-11-01", outcome: null },
  ];
  const view = planView(plan, reminders);
  assert.deepEqual(view.items.map((p) => p.id), [3, 1]);
  assert.deepEqual(view.reminders.map((r) => [r.kind, r.entry.id]), [["due_soon", 1]]);
});

test("an empty compose box keeps no draft", () => {
  assert.equal(composeDraft("ack", { text: "  " }), null);
  assert.deepEqual(composeDraft("ack", { text: "words" }), { form: "ack", text: "words" });
});

test("her name for the case comes only from her messages that opened, the latest first", () => {
  const hers = (fields) => ({ ...item({ kind: "message", author: "alice" }), authorRole: "survivor", ...fields });
  assert.equal(survivorName({ items: [] }), "");
  assert.equal(survivorName({ items: [hers({ name: "Robin" }), hers({ name: "R." }), hers({ name: "Nope", refused: "bad_signature" })] }), "R.");
  assert.equal(survivorName({ items: [{ ...item({ kind: "message", name: "Tom" }), authorRole: "responsible" }] }), "");
});
