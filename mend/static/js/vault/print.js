// The print view: one record or all of them, in plain words, for "print" or "save as PDF".
import { $, config, run, say, t, when } from "../lib/page.js";
import { listRecords, loadRecord, titleOf } from "../lib/records.js";
import { installSession, requireVaultKey } from "../lib/session.js";
import { element, fieldList } from "./show.js";

function section(id, content, version, createdAt, updatedAt) {
  const part = element("article", "", { class: "print-record" });
  part.append(element("h2", titleOf(content, t("record_from", { date: when(createdAt) }))));
  part.append(element("p", t("print_meta", { version, date: when(updatedAt), id }), { class: "small" }));
  const list = element("dl", "", { class: "record-fields" });
  fieldList(content, list);
  part.append(list);
  const files = content.attachments || [];
  if (files.length) part.append(element("p", t("print_files", { names: files.map((f) => f.name).join(", ") })));
  return part;
}

async function main() {
  const vault = await requireVaultKey();
  if (!vault) return;
  installSession();
  const view = $("[data-qa=print-view]");
  let parts;
  if (config.record_id) {
    const r = await loadRecord(vault.vk, config.record_id);
    const latest = r.versions.at(-1);
    parts = [section(r.id, latest.content, r.version, r.createdAt, latest.receivedAt)];
  } else {
    const records = await listRecords(vault.vk);
    parts = records.map((r) => section(r.id, r.content, r.version, r.createdAt, r.updatedAt));
  }
  view.replaceChildren(element("p", t("print_heading", { date: when(new Date().toISOString()) })), ...parts);
  say($("[data-qa=status]"), "");
  $("[data-qa=print-now]").addEventListener("click", () => window.print());
  view.dataset.state = "ready";
}

run(main);
