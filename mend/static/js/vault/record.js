// One record: the latest version (or any earlier one) in plain words, its files, and its
// history with a downloadable, checkable receipt for every version.
import { $, config, guard, run, say, t, when } from "../lib/page.js";
import { withPassphraseAgain } from "../lib/passphrase-again.js";
import { deleteRecord, loadRecord, openAttachment, receiptUrl, titleOf } from "../lib/records.js";
import { installSession, requireVaultKey } from "../lib/session.js";
import { element, fieldList, sizeText } from "./show.js";

let record;

function show(version) {
  const shown = record.versions.find((v) => v.version === version);
  const latest = version === record.version;
  $("[data-qa=shown-version]").textContent = latest
    ? t("latest_version", { version })
    : t("earlier_version", { version, date: when(shown.receivedAt) });
  fieldList(shown.content, $("[data-qa=record-content]"));
  const files = (shown.content.attachments || []).map((a) => {
    const item = element("li", "");
    const button = element("button", t("download_file", { name: a.name }), { type: "button", class: "secondary" });
    button.addEventListener("click", guard(() => download(a)));
    item.append(button, " ", element("span", sizeText(a.size), { class: "small" }));
    return item;
  });
  $("[data-qa=attachments]").replaceChildren(...(files.length ? files : [element("li", t("no_files"))]));
}

async function download(attachment) {
  const bytes = await openAttachment(record, attachment);
  const url = URL.createObjectURL(new Blob([bytes], { type: attachment.type || "application/octet-stream" }));
  const link = element("a", "", { href: url, download: attachment.name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function history() {
  const items = [...record.versions].reverse().map((v) => {
    const item = element("li", "", { "data-qa": "version" });
    item.append(element("span", t("version_saved", { version: v.version, date: when(v.receivedAt) })), " ");
    const showButton = element("button", t("show_version"), { type: "button", class: "secondary" });
    showButton.addEventListener("click", () => {
      show(v.version);
      $("[data-qa=shown-version]").focus();
    });
    const receipt = element("a", t("download_receipt", { version: v.version }), {
      href: receiptUrl(record.id, v.version),
      download: "",
      "data-qa": `receipt-${v.version}`,
    });
    item.append(showButton, " ", receipt);
    if (!v.signedHere) item.append(" ", element("span", t("signed_elsewhere"), { class: "small" }));
    return item;
  });
  $("[data-qa=history]").replaceChildren(...items);
}

async function main() {
  const vault = await requireVaultKey();
  if (!vault) return;
  installSession();
  const status = $("[data-qa=status]");
  try {
    record = await loadRecord(vault.vk, config.record_id);
  } catch (error) {
    say(status, t(error.code === "session_ended" ? "session_ended" : "open_failed"), "error");
    return;
  }
  const latest = record.versions.at(-1);
  const title = titleOf(latest.content, t("record_from", { date: when(record.createdAt) }));
  $("[data-qa=record-title]").textContent = title;
  document.title = `${title} · Mend`;
  $("[data-qa=shown-version]").setAttribute("tabindex", "-1");
  show(record.version);
  history();
  say(status, "");
  const deleting = $("[data-qa=delete-record-form]");
  deleting.addEventListener(
    "submit",
    guard(async (event) => {
      event.preventDefault();
      const gone = await withPassphraseAgain(deleting, config.username, (key) => deleteRecord(record.id, key));
      if (gone) window.location.replace(config.urls.records);
    }),
  );
  document.body.dataset.state = "ready";
}

run(main);
