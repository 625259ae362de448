// Writing, reading and changing an escrow entry, in the survivor's browser only.
// Identifiers are canonicalised here, shown back to her in plain words, and sent to the
// server only blinded (VOPRF); the entry is encrypted here (protocol.js). The vault key VK,
// which wraps the entry key so that she can open her entry again, stays in this tab.
import { canonicalise } from "../crypto/canonical.js";
import { EndorsementError, InvalidIdentifier, VerifyError } from "../crypto/errors.js";
import { ApiError, getJson, postJson, putJson } from "../lib/api.js";
import { loadVaultKey } from "../lib/keystore.js";
import { config, guard, nextFrame, run, say, t } from "../lib/page.js";
import { requireVaultKey } from "../lib/session.js";
import * as protocol from "./protocol.js";
import { readable } from "./readable.js";

const form = document.getElementById("entry-form");
const review = document.getElementById("review");
const rows = document.getElementById("identifiers");
const rowTemplate = document.getElementById("identifier-row");
const errorBox = document.getElementById("entry-error");
const statusBox = document.getElementById("entry-status");
let rowCount = 0;
let existing = null; // {entry, entryKey, content} when editing
let prepared = null; // {content, identifiers} once reviewed

const ERROR_STRINGS = {
  kind: "id_kind",
  empty: "id_empty",
  too_long: "id_too_long",
  social_platform_needed: "id_social_platform",
  social_platform: "id_social_platform",
  social_site: "id_social_platform",
  social_not_profile: "id_social_not_profile",
  social_youtube_legacy: "id_youtube_legacy",
};

function errorText(code) {
  if (ERROR_STRINGS[code]) return t(ERROR_STRINGS[code]);
  if (code.startsWith("email")) return t("id_email");
  if (code.startsWith("phone")) return t("id_phone");
  return t("id_social");
}

function field(row, name) {
  return row.querySelector(`[data-field="${name}"]`);
}

function showKind(row) {
  const kind = field(row, "kind").value;
  for (const element of row.querySelectorAll("[data-show]")) element.hidden = element.dataset.show !== kind;
}

function relabel() {
  [...rows.children].forEach((row, i) => {
    field(row, "legend").textContent = t("identifier_n", { n: i + 1 });
    field(row, "remove").hidden = rows.children.length === 1;
  });
  document.getElementById("add-identifier").hidden = rows.children.length >= config.max_identifiers;
}

function addRow(kind = "email", value = "") {
  const row = rowTemplate.content.firstElementChild.cloneNode(true);
  const n = ++rowCount;
  for (const label of row.querySelectorAll("label[data-for]")) {
    const target = field(row, label.dataset.for);
    target.id = `identifier-${n}-${label.dataset.for}`;
    label.htmlFor = target.id;
  }
  const error = field(row, "error");
  error.id = `identifier-${n}-error`;
  field(row, "value").setAttribute("aria-describedby", error.id);
  field(row, "kind").value = kind;
  field(row, "value").value = value;
  field(row, "kind").addEventListener("change", () => showKind(row));
  field(row, "remove").addEventListener("click", () => {
    row.remove();
    relabel();
  });
  rows.append(row);
  showKind(row);
  relabel();
  return row;
}

// Canonical identifiers from the rows, or null after marking the rows that are wrong.
function readIdentifiers() {
  const found = [];
  let ok = true;
  for (const row of rows.children) {
    const input = field(row, "value");
    const error = field(row, "error");
    try {
      // Kept as typed (no email provider rules): both the canonical form and this one are
      // tagged (protocol.tagInputs), and she sees back the address she typed.
      const id = canonicalise(field(row, "kind").value, input.value, {
        region: field(row, "region").value,
        platform: field(row, "platform").value,
        providerRules: false,
      });
      if (!found.includes(id)) found.push(id);
      say(error, "");
      input.removeAttribute("aria-invalid");
    } catch (problem) {
      if (!(problem instanceof InvalidIdentifier)) throw problem;
      ok = false;
      say(error, errorText(problem.code));
      input.setAttribute("aria-invalid", "true");
    }
  }
  return ok ? found : null;
}

function readContent(identifiers) {
  const method = form.querySelector("input[name=contact]:checked").value;
  return {
    identifiers,
    tagging: protocol.TAGGING,
    label: document.getElementById("entry-label").value.trim(),
    what: document.getElementById("entry-what").value,
    contact: { method, detail: method === "in_app" ? "" : document.getElementById("contact-detail").value },
    vault_record: document.getElementById("entry-record").value || null,
  };
}


function toReview(event) {
  event.preventDefault();
  say(errorBox, "");
  const identifiers = readIdentifiers();
  if (!identifiers) {
    rows.querySelector("[aria-invalid=true]")?.focus();
    return;
  }
  if (identifiers.length === 0) return say(errorBox, t("need_identifier"));
  prepared = { identifiers, content: readContent(identifiers) };
  const list = document.getElementById("review-identifiers");
  list.replaceChildren(...identifiers.map((id) => Object.assign(document.createElement("li"), { textContent: readable(id, t) })));
  form.hidden = true;
  review.hidden = false;
  document.getElementById("understood").checked = false;
  // Her review starts at its top, below the exit bar, even when the panel is taller than a
  // phone's screen (focus alone would scroll it to its middle).
  review.scrollIntoView({ block: "start" });
  review.focus({ preventScroll: true });
}

function sameIdentifiers(a, b) {
  return a.length === b.length && a.every((id) => b.includes(id));
}

async function submit() {
  if (!document.getElementById("understood").checked) {
    document.getElementById("understood").focus();
    return say(errorBox, t("review_heading"));
  }
  const held = loadVaultKey();
  if (!held) return say(errorBox, t("locked"));
  say(errorBox, "");
  say(statusBox, t("working"));
  await nextFrame();
  const setup = await getJson("escrow/config");
  if (protocol.sealableKeys(setup).length === 0) {
    // Nobody could open it: say so before looking anything up.
    say(statusBox, "");
    return say(errorBox, t("not_open"));
  }
  const send = (blinded) => postJson("escrow/evaluate", { blinded });
  const { identifiers, content } = prepared;
  if (existing) {
    const changed =
      !sameIdentifiers(identifiers, existing.content.identifiers) ||
      existing.content.tagging !== protocol.TAGGING;
    const outputs = changed ? await protocol.evaluate(protocol.tagInputs(identifiers), setup, send) : null;
    const body = protocol.buildEdit(existing.entry, existing.entryKey, content, outputs, setup);
    await putJson(`escrow/entries/${existing.entry.id}`, body);
  } else {
    const outputs = await protocol.evaluate(protocol.tagInputs(identifiers), setup, send);
    await postJson("escrow/entries", protocol.buildEntry(crypto.randomUUID(), content, outputs, setup, held.vk));
  }
  say(statusBox, t("saved"));
  window.location.assign(`${config.urls.home}?saved=1`);
}

// What went wrong, in her words; anything else goes on to the page runtime, which says
// "Something went wrong" in the same place (errorBox is the page's alert region).
function explain(problem) {
  say(statusBox, "");
  if (problem instanceof VerifyError) return say(errorBox, t("proof"));
  if (problem instanceof EndorsementError) return say(errorBox, t("unendorsed_key"));
  if (problem instanceof ApiError) return say(errorBox, t(problem.code));
  throw problem;
}

async function loadRecords() {
  try {
    const data = await getJson("vault/records");
    const select = document.getElementById("entry-record");
    for (const record of data.records ?? []) {
      const date = new Date(record.created_at).toLocaleDateString(document.documentElement.lang || undefined, { dateStyle: "long" });
      select.append(new Option(date, record.id));
    }
  } catch {
    // No record list (or no vault): the link stays optional and empty.
  }
}

function fill(content) {
  rows.replaceChildren();
  for (const id of content.identifiers) {
    const [kind, ...rest] = id.split(":");
    addRow(kind === "social" ? "social" : kind, kind === "social" ? `${rest[0]}` : rest.join(":"));
    if (kind === "social") {
      const row = rows.lastElementChild;
      field(row, "platform").value = rest[0];
      field(row, "value").value = rest.slice(1).join(":");
    }
  }
  document.getElementById("entry-label").value = content.label ?? "";
  document.getElementById("entry-what").value = content.what ?? "";
  const method = content.contact?.method ?? "in_app";
  form.querySelector(`input[name=contact][value="${method}"]`).checked = true;
  document.getElementById("contact-detail").value = content.contact?.detail ?? "";
  if (content.vault_record) document.getElementById("entry-record").value = content.vault_record;
}

async function start() {
  const held = await requireVaultKey();
  if (!held) return say(errorBox, t("locked"));
  await loadRecords();
  if (config.entry_id) {
    const entry = await getJson(`escrow/entries/${config.entry_id}`);
    existing = { entry, ...protocol.openOwn(entry, held.vk) };
    fill(existing.content);
  } else if (!config.open_for_entries) {
    return say(errorBox, t("not_open"));
  } else {
    addRow();
  }
  form.hidden = false;
}

function goBack() {
  review.hidden = true;
  form.hidden = false;
  rows.querySelector("input")?.focus();
}

async function main() {
  document.getElementById("add-identifier").addEventListener("click", () => field(addRow(), "value").focus());
  form.addEventListener("submit", guard(toReview));
  document.getElementById("back").addEventListener("click", goBack);
  document.getElementById("confirm").addEventListener("click", guard(() => submit().catch(explain)));
  await start().catch(explain);
}

run(main);
