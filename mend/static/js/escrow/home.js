// Her escrow home page: each entry card says what it holds, opened in this browser with her
// vault key (the server sent the same cards with a date only). Without the key in this tab
// the page stays as the server wrote it.
import { getJson } from "../lib/api.js";
import { wireCopyForm } from "../lib/copy-form.js";
import { run, t, when } from "../lib/page.js";
import { findVaultKey } from "../lib/session.js";
import { copyText } from "./copy.js";
import * as protocol from "./protocol.js";
import { readable } from "./readable.js";

const ENTRY_GROUPS = JSON.parse(document.getElementById("entry-groups")?.textContent || "{}");

async function main() {
  let opened = null; // {entries, unopened}: her entries as this page opened them (her copy)
  wireCopy(() => opened);
  const held = await findVaultKey();
  if (!held) return;
  const entries = await getJson("escrow/entries");
  const described = new Map();
  const mine = [];
  let unopened = 0;
  for (const entry of entries) {
    let content;
    try {
      ({ content } = protocol.openOwn(entry, held.vk));
    } catch {
      unopened += 1;
      continue; // one that does not open keeps the server's words
    }
    mine.push({ createdAt: entry.created_at, matched: entry.state === "matched", content });
    const card = document.querySelector(`[data-qa=entry][data-entry-id="${entry.id}"]`);
    if (!card) continue;
    const names = (content.identifiers ?? []).map((id) => readable(id, t));
    if (content.label) card.querySelector("[data-qa=entry-label]").textContent = content.label;
    card.querySelector("[data-qa=entry-holds]").textContent = t("names", { list: names.join(", ") });
    described.set(entry.id, content.label || names[0] || "");
  }
  opened = { entries: mine, unopened };
  nameWhatNoticesAreAbout(described);
  document.querySelector("[data-qa=entries]")?.setAttribute("data-state", "described");
}

// A notice or a thread of a match group says which of her entries it is about.
function nameWhatNoticesAreAbout(described) {
  for (const item of document.querySelectorAll("[data-group-id]")) {
    const group = item.dataset.groupId;
    const about = [...described]
      .filter(([id, name]) => name && (ENTRY_GROUPS[id] ?? "").split(" ").includes(group))
      .map(([, name]) => name);
    if (about.length === 0) continue;
    const note = document.createElement("span");
    note.className = "small";
    note.dataset.qa = "about-entry";
    note.textContent = ` · ${t("about_entry", { names: about.join(", ") })}`;
    item.append(note);
  }
}

// --- Her copy: the file is made here, and never passes through the server -----------------
// She first confirms that she understands what a copy can mean: it names the person she
// named, and anyone with the file or this device can read it. Besides her entries it holds
// what the server recorded about her: her notices, and in each match its state, the
// decision her counselor recorded and the messages.

async function threadsWithMessages() {
  const threads = await getJson("escrow/threads");
  const read = [];
  for (const thread of threads) {
    const messages = await getJson(`escrow/threads/${thread.id}/messages`);
    read.push({
      joinedAt: thread.joined_at,
      groupState: thread.group_state,
      decision: thread.decision,
      decidedAt: thread.decided_at,
      messages: messages.map((m) => ({
        createdAt: m.created_at,
        fromCounselor: m.from_counselor,
        text: m.text,
      })),
    });
  }
  return read;
}

// The form on her home page; `opened()` gives {entries, unopened} as the page opened
// them, or null when her key is not in this tab.
function wireCopy(opened) {
  wireCopyForm(document.querySelector("[data-qa=copy-form]"), async (today) => {
    const mine = opened();
    if (!mine) return "locked";
    const threads = await threadsWithMessages();
    const notices = (await getJson("escrow/notices")).map((n) => ({ createdAt: n.created_at, kind: n.kind }));
    const text = copyText({ ...mine, notices, threads }, { words: t, at: when, today });
    return { text, filename: `mend-find-others-${today}.txt` };
  });
}

run(main);
