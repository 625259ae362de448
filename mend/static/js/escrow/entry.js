// Writing, reading and changing an escrow entry, in the survivor's browser only.
// Identifiers are canonicalised here, shown back to her in plain words, and sent to the
// server only blinded (VOPRF); the entry is encrypted here (protocol.js). The vault key VK,
// which wraps the entry key so that she can open her entry again, stays in this tab.
//
// Nothing she types is lost when her session ends: as the record form does (lib/draft.js,
// in the slot "escrow-entry"), what the form holds is locked with VK into this tab before
// each put-in and at the idle sign-out (if it differs from what the page opened with), and
// comes back in the same page's form after she logs in again, not saved until she says so.
// Nothing of a draft is sent. This script runs the page's idle clock (not lib/idle-page.js).
//
// Saving an edit takes her passphrase again (lib/passphrase-again.js), which the server checks before it
// replaces E: an open session alone must not overwrite what she wrote. A refused passphrase
// leaves the review, the form and the locked draft as they were.
import { canonicalise } from "../crypto/canonical.js";
import { EndorsementError, InvalidIdentifier, VerifyError } from "../crypto/errors.js";
import { ApiError, getJson, postJson, putJson } from "../lib/api.js";
import { forgetDraft, keepDraft, openDraft } from "../lib/draft.js";
import { newKey } from "../lib/keys.js";
import { loadVaultKey } from "../lib/keystore.js";
import { config, guard, nextFrame, run, say, t } from "../lib/page.js";
import { newRecord } from "../lib/records.js";
import { installSession, requireVaultKey } from "../lib/session.js";
import { withPassphraseAgain } from "../lib/passphrase-again.js";
import * as protocol from "./protocol.js";
import { readable } from "./readable.js";

const form = document.getElementById("entry-form");
const review = document.getElementById("review");
const rows = document.getElementById("identifiers");
const rowTemplate = document.getElementById("identifier-row");
const errorBox = document.getElementById("entry-error");
const statusBox = document.getElementById("entry-status");
const confirmForm = document.getElementById("confirm-form");
let rowCount = 0;
let existing = null; // {entry, entryKey, content} when editing
let prepared = null; // {content, identifiers} once reviewed
let opened = null; // the form as the page opened it (readTyped, as JSON): unsaved words differ
let draftLock = null; // how this page's draft is locked (lib/draft.js): kept, so a retry reuses it
let lookedUp = null; // {prepared, publicKey, outputs}: the VOPRF outputs of `prepared`
const SLOT = "escrow-entry";

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
  // Locked into this tab before anything is sent: an entry refused because her session
  // ended (which wipes the keys) loses nothing, and comes back after she logs in.
  keepDraft(held.vk, lockFor(held.vk), readTyped(), SLOT);
  say(errorBox, "");
  say(statusBox, t("working"));
  await nextFrame();
  const setup = await getJson("escrow/config");
  // Nobody could open it: said before anything is looked up (explain).
  if (protocol.sealableKeys(setup).length === 0) throw new ApiError(503, "not_open", "");
  const { identifiers, content } = prepared;
  if (existing) {
    const changed =
      !sameIdentifiers(identifiers, existing.content.identifiers) ||
      existing.content.tagging !== protocol.TAGGING;
    const outputs = changed ? await lookUp(identifiers, setup) : null;
    say(statusBox, "");
    // Her passphrase again: the server checks it before it replaces E. A wrong one is said
    // on its field; the review, the form and the draft stay as they are.
    const save = (authKey) =>
      putJson(`escrow/entries/${existing.entry.id}`, protocol.buildEdit(existing.entry, existing.entryKey, content, outputs, setup, authKey));
    if (!(await withPassphraseAgain(confirmForm, config.username, save))) return;
  } else {
    const outputs = await lookUp(identifiers, setup);
    await postJson("escrow/entries", protocol.buildEntry(crypto.randomUUID(), content, outputs, setup, held.vk));
  }
  forgetDraft(SLOT);
  say(statusBox, t("saved"));
  window.location.assign(`${config.urls.home}?saved=1`);
}

// The VOPRF outputs of what she reviewed, looked up once: pressing the button again (after a
// wrong passphrase, or changed counselor keys) costs no second look-up of her daily limit.
async function lookUp(identifiers, setup) {
  if (lookedUp?.prepared !== prepared || lookedUp.publicKey !== setup.oprf_public_key) {
    const send = (blinded) => postJson("escrow/evaluate", { blinded });
    const outputs = await protocol.evaluate(protocol.tagInputs(identifiers), setup, send);
    lookedUp = { prepared, publicKey: setup.oprf_public_key, outputs };
  }
  return lookedUp.outputs;
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

// The form as she typed it, identifiers not canonicalised (a half-typed address is kept
// too): what a draft holds.
function readTyped() {
  return {
    identifiers: [...rows.children].map((row) => ({
      kind: field(row, "kind").value,
      value: field(row, "value").value,
      platform: field(row, "platform").value,
      region: field(row, "region").value,
    })),
    label: document.getElementById("entry-label").value,
    what: document.getElementById("entry-what").value,
    contact: form.querySelector("input[name=contact]:checked").value,
    detail: document.getElementById("contact-detail").value,
    record: document.getElementById("entry-record").value,
  };
}

function fillTyped(typed) {
  rows.replaceChildren();
  for (const id of typed.identifiers ?? []) {
    const row = addRow(id.kind, id.value);
    if (id.platform) field(row, "platform").value = id.platform;
    if (id.region) field(row, "region").value = id.region;
  }
  if (rows.children.length === 0) addRow();
  document.getElementById("entry-label").value = typed.label ?? "";
  document.getElementById("entry-what").value = typed.what ?? "";
  const method = form.querySelector(`input[name=contact][value="${typed.contact}"]`);
  if (method) method.checked = true;
  document.getElementById("contact-detail").value = typed.detail ?? "";
  if (typed.record) document.getElementById("entry-record").value = typed.record;
}

// Her saved entry, as the form shows it.
function fill(content) {
  fillTyped({
    identifiers: content.identifiers.map((id) => {
      const [kind, ...rest] = id.split(":");
      if (kind === "social") return { kind, platform: rest[0], value: rest.slice(1).join(":") };
      return { kind, value: rest.join(":") };
    }),
    label: content.label,
    what: content.what,
    contact: content.contact?.method ?? "in_app",
    detail: content.contact?.detail,
    record: content.vault_record,
  });
}

// The lock of this page's draft: a new entry's is a new record's (version 0); an edit's is
// named by the entry's id at its version, so openDraft never puts one where the other is.
function lockFor(vk) {
  if (!draftLock) {
    draftLock = config.entry_id
      ? { id: config.entry_id, key: newKey(), version: existing.entry.version }
      : newRecord(vk);
  }
  return draftLock;
}

// At the idle time-out: lock words that were not saved into this tab (draft.js).
function keepUnsaved(vk) {
  if (opened === null) return; // the form is not open yet: nothing of hers is in it
  const typed = readTyped();
  if (JSON.stringify(typed) !== opened) keepDraft(vk, lockFor(vk), typed, SLOT);
}

// Words kept at an earlier time-out on this same page come back into the form, and she is
// told so. Any other page's draft (another entry's, a new entry's) is left waiting.
function restoreDraft(vk) {
  const draft = openDraft(vk, config.entry_id || null, SLOT);
  if (!draft) return;
  draftLock = draft.record;
  fillTyped(draft.fields);
  say(statusBox, t("entry_draft_back"), "success");
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
  opened = JSON.stringify(readTyped());
  restoreDraft(held.vk);
  form.hidden = false;
}

function goBack() {
  review.hidden = true;
  form.hidden = false;
  rows.querySelector("input")?.focus();
}

async function main() {
  installSession({ keepUnsaved });
  document.getElementById("add-identifier").addEventListener("click", () => field(addRow(), "value").focus());
  form.addEventListener("submit", guard(toReview));
  document.getElementById("back").addEventListener("click", goBack);
  confirmForm.addEventListener(
    "submit",
    guard((event) => {
      event.preventDefault();
      return submit().catch(explain);
    }),
  );
  await start().catch(explain);
}

run(main);
