// The guided form: every field optional; "Save" at any point makes a new version with a
// signed receipt. Files are read and locked here; above the size limit they are refused
// with a clear message and never sent.
import { ApiError } from "../lib/api.js";
import { $, config, guard, nextFrame, run, say, t, when } from "../lib/page.js";
import { forgetDraft, keepDraft, openDraft } from "../lib/draft.js";
import { emptyContent, loadRecord, newRecord, saveVersion } from "../lib/records.js";
import { installSession, requireVaultKey } from "../lib/session.js";
import { element, sizeText } from "./show.js";

const form = $("[data-qa=record-form]");
const status = $("[data-qa=status]", form);
const error = $("[data-qa=error]", form);
let record = null;
let attachments = [];
let savedFields = "{}"; // the fields as last saved (or opened), to tell unsaved words apart
let vaultKey = null; // her vault key VK, held while this page is open

function fillForm(content) {
  for (const field of config.fields) form.elements[field.name].value = content.fields?.[field.name] || "";
  attachments = [...(content.attachments || [])];
  showAttachments();
}

function showAttachments() {
  $("[data-qa=attachments]", form).replaceChildren(
    ...attachments.map((a) => element("li", `${a.name} (${sizeText(a.size)})`)),
  );
}

function readFields() {
  const fields = {};
  for (const field of config.fields) {
    const value = form.elements[field.name].value;
    if (value.trim()) fields[field.name] = value;
  }
  return fields;
}

// The chosen files, read into memory; refuses (and names) any file above the limit.
async function readFiles() {
  const chosen = [...form.elements.files.files];
  const tooBig = chosen.find((file) => file.size > config.max_attachment_bytes);
  if (tooBig) {
    throw new ApiError(413, "file_too_large", "", { name: tooBig.name });
  }
  if (chosen.length > config.max_attachments_per_save) {
    throw new ApiError(400, "too_many_files", "");
  }
  return Promise.all(
    chosen.map(async (file) => ({
      id: crypto.randomUUID(),
      bytes: new Uint8Array(await file.arrayBuffer()),
      meta: { name: file.name, type: file.type, size: file.size },
    })),
  );
}

async function save(event) {
  event.preventDefault();
  say(error, "");
  say(status, t("saving"));
  await nextFrame();
  let answer;
  try {
    const files = await readFiles();
    const version = record.version + 1;
    const added = files.map((f) => ({ id: f.id, version, ...f.meta }));
    const content = { ...emptyContent(), fields: readFields(), attachments: [...attachments, ...added] };
    // Locked into this tab before it is sent: a save refused because her session ended
    // (which wipes the keys) loses nothing, and the words come back after she signs in.
    keepDraft(vaultKey, record, content.fields);
    answer = await saveVersion(record, content, files);
    attachments = content.attachments;
    savedFields = JSON.stringify(content.fields);
    forgetDraft();
  } catch (problem) {
    say(status, "");
    const limit = sizeText(config.max_attachment_bytes);
    say(error, t(problem.code || "error_generic", { name: problem.data?.name || "", limit }), "error");
    return;
  }
  form.elements.files.value = "";
  showAttachments();
  if (record.version === 1) {
    window.history.replaceState(null, "", `${config.urls.record.replace("{id}", record.id)}edit/`);
  }
  say(status, t("saved", { version: answer.version, date: when(answer.received_at) }), "success");
  showHistoryLink();
}

// Once a version is saved, its history and receipts are one click away.
function showHistoryLink() {
  const box = document.querySelector("[data-qa=history-link]");
  box.querySelector("a").href = config.urls.record.replace("{id}", record.id);
  box.hidden = false;
}

// At the idle time-out: lock words that were not saved into this tab (draft.js).
function keepUnsaved(vk) {
  if (!record) return;
  const fields = readFields();
  if (JSON.stringify(fields) !== savedFields) keepDraft(vk, record, fields);
}

// Words kept at an earlier time-out come back into the form, and she is told so.
function restoreDraft(vk) {
  const draft = openDraft(vk, config.record_id || null);
  if (!draft) return;
  if (!config.record_id) record = draft.record;
  for (const field of config.fields) form.elements[field.name].value = draft.fields[field.name] || "";
  say(status, t("draft_restored"), "success");
}

async function main() {
  const vault = await requireVaultKey();
  if (!vault) return;
  vaultKey = vault.vk;
  installSession({ keepUnsaved });
  if (config.record_id) {
    say(status, t("opening"));
    const loaded = await loadRecord(vault.vk, config.record_id);
    record = { id: loaded.id, key: loaded.key, version: loaded.version };
    fillForm(loaded.versions.at(-1).content);
    say(status, "");
    showHistoryLink();
  } else {
    record = newRecord(vault.vk);
  }
  savedFields = JSON.stringify(readFields());
  restoreDraft(vault.vk);
  form.addEventListener("submit", guard(save));
  form.dataset.state = "ready";
}

run(main);
