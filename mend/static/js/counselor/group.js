// One match group, opened in the counselor's browser: unlock her key with the key
// passphrase, fetch this group's sealed shares and ciphertexts, recover and open (open.js),
// and show the entries and every share that was not trusted. Nothing goes back to the server.
import { DecryptionError } from "../crypto/errors.js";
import { ApiError, getJson } from "../lib/api.js";
import { config, guard, nextFrame, run, say, t } from "../lib/page.js";
import { unlockKey } from "./keys.js";
import { openGroup } from "./open.js";
import { entryLabels, readable } from "../escrow/readable.js";

const errorBox = document.getElementById("group-error");
const statusBox = document.getElementById("group-status");
const list = document.getElementById("entries");
const warnings = document.getElementById("share-warnings");

function explain(problem) {
  say(statusBox, "");
  if (problem instanceof DecryptionError) return say(errorBox, t("wrong_passphrase"));
  if (problem instanceof ApiError) return say(errorBox, t(problem.code));
  throw problem; // the page runtime says "Something went wrong" (errorBox is its alert region)
}

function element(tag, text, attributes = {}) {
  return Object.assign(document.createElement(tag), { textContent: text }, attributes);
}

function contactText(contact) {
  const how = t(`contact_${contact?.method ?? "in_app"}`);
  return contact?.detail ? `${how}: ${contact.detail}` : how;
}

function renderEntry(entry, label, content) {
  const section = element("section", "", { className: "card opened-entry" });
  section.dataset.qa = "opened-entry";
  section.dataset.entryId = entry.id;
  const heading = element("h3", label);
  const when = new Date(entry.created_at).toLocaleString(document.documentElement.lang || undefined);
  const received = element("p", t("received", { date: when }), { className: "small" });
  const facts = document.createElement("dl");
  const add = (term, value) => facts.append(element("dt", term), element("dd", value));
  add(t("identifiers"), content.identifiers.map((id) => readable(id, t)).join("\n"));
  add(t("what"), content.what || "—");
  add(t("contact"), contactText(content.contact));
  if (content.vault_record) facts.append(element("dd", t("record_link")));
  section.append(heading, received, facts);
  return section;
}

async function open(event) {
  event.preventDefault();
  say(errorBox, "");
  say(statusBox, t("opening"));
  await nextFrame();
  const { key } = await getJson("counselor/key");
  if (!key) return say(errorBox, t("no_key"));
  const keypair = unlockKey(key, document.getElementById("open-passphrase").value);
  const group = await getJson(`counselor/groups/${config.group_id}`);
  const result = openGroup(group, keypair);
  const labels = entryLabels(group, t);
  const opened = group.entries.filter((e) => e.id in result.entries);
  list.replaceChildren(...opened.map((e) => renderEntry(e, labels.get(e.id), result.entries[e.id])));
  const notes = [
    ...result.rejected.map((id) => ["share_rejected", id]),
    ...result.unchecked.map((id) => ["share_unchecked", id]),
    ...result.unopened.map((id) => ["entry_unopened", id]),
  ].map(([code, id]) => {
    const item = element("li", t(code, { entry: labels.get(id) ?? "?" }));
    item.dataset.entryId = id;
    item.dataset.qa = code;
    return item;
  });
  warnings.replaceChildren(...notes);
  warnings.hidden = notes.length === 0;
  say(statusBox, t("opened", { count: Object.keys(result.entries).length }));
  list.dataset.state = "opened";
  document.getElementById("open-passphrase").value = "";
}

function main() {
  document.getElementById("open-group").addEventListener("submit", guard((e) => open(e).catch(explain)));
}

run(main);
