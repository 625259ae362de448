// The list of records: opened in this browser (one request, then each latest version is
// unlocked here). Marks itself ready for tests and the benchmark.
import { $, config, guard, run, say, t, when } from "../lib/page.js";
import { withPassphraseAgain } from "../lib/passphrase-again.js";
import { deleteAllRecords, listRecords, titleOf } from "../lib/records.js";
import { installSession, requireVaultKey } from "../lib/session.js";
import { element } from "./show.js";

async function main() {
  const vault = await requireVaultKey();
  if (!vault) return;
  installSession();
  const list = $("[data-qa=record-list]");
  const status = $("[data-qa=status]");
  let records;
  try {
    records = await listRecords(vault.vk);
  } catch (error) {
    say(status, t(error.code === "session_ended" ? "session_ended" : "open_failed"), "error");
    return;
  }
  list.replaceChildren(
    ...records.map((r) => {
      const item = element("li", "", { class: "card", "data-qa": "record" });
      const name = titleOf(r.content, t("record_from", { date: when(r.createdAt) }));
      const link = element("a", name, { href: config.urls.record.replace("{id}", r.id) });
      item.append(element("h3", "", {}), element("p", t("last_saved", { date: when(r.updatedAt), version: r.version }), { class: "small" }));
      item.firstChild.append(link);
      return item;
    }),
  );
  say(status, records.length ? t("records_count", { n: records.length }) : "");
  $("[data-qa=empty]").hidden = records.length > 0;
  list.dataset.state = "ready";
  performance.mark("mend:list-ready");
  const deleting = $("[data-qa=delete-all-form]");
  deleting.addEventListener(
    "submit",
    guard(async (event) => {
      event.preventDefault();
      if (await withPassphraseAgain(deleting, config.username, deleteAllRecords)) window.location.reload();
    }),
  );
}

run(main);
