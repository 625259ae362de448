// Her copy of the dialogue: a text file made in this browser from what it has opened and
// checked. Nothing more is asked of the server, and the words never pass through it. Her
// own messages always; his words only if she ticks it, each after its content warning; the
// plan's commitments; the team's notes on messages of hers they returned. She first
// confirms that she understands what a copy can mean (a copy can be asked for in court,
// or found on this device: the research's "legal exposure", docs/dialogue.md).
import { wireCopyForm } from "../../lib/copy-form.js";
import { $, t, when } from "../../lib/page.js";

const HIS = new Set(["acknowledgment", "message", "letter"]);

// The file's text, oldest first. `words(code, values)` and `at(iso)` give the page's words
// and dates (t and when), so that the text is made the same way in a test.
export function copyText(ctx, { includeHis, words, at, today }) {
  const mine = (i) => i.author === ctx.me.id && i.kind === "message";
  const his = (i) => includeHis && i.authorRole === "responsible" && HIS.has(i.kind);
  const team = (i) => i.kind === "plan-item" || i.kind === "return-note";
  const kept = ctx.items
    .filter((i) => !i.refused && i.text !== undefined && (mine(i) || his(i) || team(i)))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const lines = [words("copy_title", { date: today }), words("copy_note"), ""];
  for (const item of kept) {
    const who = mine(item) ? words("copy_you") : team(item) ? words("copy_team") : words("copy_him");
    lines.push(`${at(item.createdAt)} · ${who} · ${words(`copy_kind_${item.kind.replace("-", "_")}`)}`);
    if (his(item) && item.warning) lines.push(words("warning_label", { warning: item.warning }));
    lines.push(item.text, "");
  }
  return lines.join("\n");
}

// The form on her page; `current()` gives the case as this page last opened it.
export function wireCopy(current) {
  const form = $("[data-qa=copy-form]");
  wireCopyForm(form, (today) => {
    const ctx = current();
    if (!ctx) return null;
    const includeHis = $("[data-qa=copy-his]", form).checked;
    const text = copyText(ctx, { includeHis, words: t, at: when, today });
    return { text, filename: `mend-dialogue-${today}.txt` };
  });
}
