// Her copy of "Find others, safely": the text of the file her browser makes from her
// entries (opened with her vault key, as her home page opens them) and her messages with
// counselors (home.js offers it, after she confirms what a copy can mean). Pure: no page,
// no server, so node tests run it as it is.
import { readable } from "./readable.js";

// The file's text: her entries, oldest first, then each match's messages. `words(code,
// values)` and `at(iso)` give the page's words and dates (t and when), so that a test
// makes the text the same way. entries: [{createdAt, matched, content}]; unopened: how
// many of hers this browser could not open; threads: [{joinedAt, messages: [{createdAt,
// fromCounselor, text}]}].
export function copyText({ entries, unopened = 0, threads }, { words, at, today }) {
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
  for (const thread of threads) {
    lines.push(words("copy_thread", { date: at(thread.joinedAt) }), "");
    for (const message of [...thread.messages].sort(oldest)) {
      const who = words(message.fromCounselor ? "copy_counselor" : "copy_you");
      lines.push(`${at(message.createdAt)} · ${who}`, message.text, "");
    }
  }
  return lines.join("\n");
}
