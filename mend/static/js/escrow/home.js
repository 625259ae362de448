// Her escrow home page: each entry card says what it holds, opened in this browser with her
// vault key (the server sent the same cards with a date only). Without the key in this tab
// the page stays as the server wrote it.
import { getJson } from "../lib/api.js";
import { run, t } from "../lib/page.js";
import { findVaultKey } from "../lib/session.js";
import * as protocol from "./protocol.js";
import { readable } from "./readable.js";

const ENTRY_GROUPS = JSON.parse(document.getElementById("entry-groups")?.textContent || "{}");

async function main() {
  const held = await findVaultKey();
  if (!held) return;
  const entries = await getJson("escrow/entries");
  const described = new Map();
  for (const entry of entries) {
    const card = document.querySelector(`[data-qa=entry][data-entry-id="${entry.id}"]`);
    if (!card) continue;
    let content;
    try {
      ({ content } = protocol.openOwn(entry, held.vk));
    } catch {
      continue; // one that does not open keeps the server's words
    }
    const names = (content.identifiers ?? []).map((id) => readable(id, t));
    if (content.label) card.querySelector("[data-qa=entry-label]").textContent = content.label;
    card.querySelector("[data-qa=entry-holds]").textContent = t("names", { list: names.join(", ") });
    described.set(entry.id, content.label || names[0] || "");
  }
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

run(main);
