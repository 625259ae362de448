// Her copy of "Find others, safely": the text of the file her browser makes from her
// entries (opened with her vault key, as her home page opens them), her notices, and her
// matches: what her counselor recorded about her there and their messages (home.js offers
// it, after she confirms what a copy can mean). Pure: no page, no server, so node tests
// run it as it is.
import { readable } from "./readable.js";

// The file's text: her entries, oldest first, her notices, then each match: its state, the
// decision her counselor recorded (in the words of her thread page) and its messages.
// `words(code, values)` and `at(iso)` give the page's words and dates (t and when), so that
// a test makes the text the same way. entries: [{createdAt, matched, content}]; unopened:
// how many of hers this browser could not open; notices: [{createdAt, kind}]; threads:
// [{joinedAt, groupState, decision, decidedAt (or null), messages: [{createdAt,
// fromCounselor, text}]}].
export function copyText({ entries, unopened = 0, notices = [], threads }, { words, at, today }) {
  const lines = [words("copy_title", { date: today }), words("copy_note"), ""];
  if (unopened) lines.push(words("copy_unopened", { count: unopened }), "");
  const oldest = (a, b) => a.createdAt.localeCompare(b.createdAt);
  for (const entry of [...entries].sort(oldest)) {
    const { content } = entry;
    const state = words(entry.matched ? "copy_matched" : "copy_waiting");
    lines.push(`${words("copy_entry", { date: at(entry.createdAt) })} · ${state}`);
    if (content.label) lines.push(words("copy_label", { label: content.label }));
    const names = (content.identifiers ?? []).map((id) => readable(id, words));
    lines.push(words("names", { list: names.join(", ") }));
    const contact = content.contact ?? { method: "in_app", detail: "" };
    const how = words(`copy_contact_${contact.method}`);
    lines.push(contact.detail ? `${how}: ${contact.detail}` : how);
    if (content.what) lines.push("", content.what);
    lines.push("");
  }
  if (notices.length) {
    lines.push(words("copy_notices"));
    for (const notice of [...notices].sort(oldest)) {
      lines.push(`${at(notice.createdAt)} · ${words(`notice_${notice.kind}`)}`);
    }
    lines.push("");
  }
  for (const thread of threads) {
    lines.push(words("copy_thread", { date: at(thread.joinedAt) }));
    lines.push(words(`state_${thread.groupState}`), decisionLine(thread, words, at), "");
    for (const message of [...thread.messages].sort(oldest)) {
      const who = words(message.fromCounselor ? "copy_counselor" : "copy_you");
      lines.push(`${at(message.createdAt)} · ${who}`, message.text, "");
    }
  }
  return lines.join("\n");
}

// What her counselor recorded about her, and on which day (mend.escrow.views.decision_line
// says it so on her thread page).
function decisionLine(thread, words, at) {
  const decision = words(`decision_${thread.decision}`);
  return thread.decidedAt ? words("copy_decided", { date: at(thread.decidedAt), decision }) : decision;
}
