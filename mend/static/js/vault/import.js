// Import an export file: open its vault key with that account's passphrase (or recovery
// key), move each record's key under this account's vault key, and send the records one
// by one. Ciphertexts and receipts travel unchanged.
import { postMultipart } from "../lib/api.js";
import { fromBase64, toBase64 } from "../lib/base64.js";
import * as keys from "../lib/keys.js";
import { $, guard, nextFrame, run, say, t } from "../lib/page.js";
import { installSession, requireVaultKey } from "../lib/session.js";
import { RecoveryWordsError, wordsToKey } from "../lib/words.js";

const form = $("[data-qa=import-form]");
const status = $("[data-qa=status]", form);
const error = $("[data-qa=error]", form);

function fail(code, vars = {}) {
  say(status, "");
  say(error, t(code, vars), "error");
  form.querySelector("button").disabled = false;
}

function oldVaultKey(bundle) {
  const vault = bundle.vault;
  const words = form.elements.words.value.trim();
  if (words) {
    const recoveryKey = wordsToKey(words);
    return keys.unwrapWithRecovery(recoveryKey, fromBase64(vault.recovery_wrapped_vk), vault.vault_id);
  }
  const derived = keys.deriveKeys(form.elements.passphrase.value, vault.params);
  return keys.unwrapVaultKey(derived.encKey, fromBase64(vault.wrapped_vk), vault.vault_id);
}

async function importBundle(event, vk) {
  event.preventDefault();
  const file = form.elements.bundle.files[0];
  if (!file) return fail("import_no_file");
  say(error, "");
  say(status, t("import_opening"));
  form.querySelector("button").disabled = true;
  await nextFrame();
  let bundle;
  let oldVk;
  try {
    bundle = JSON.parse(await file.text());
    if (bundle.type !== "mend-vault-export-v1" || !bundle.vault) return fail("import_not_bundle");
    oldVk = oldVaultKey(bundle);
  } catch (problem) {
    if (problem instanceof RecoveryWordsError) return fail(problem.code, problem.detail);
    return fail(problem instanceof SyntaxError ? "import_not_bundle" : "import_wrong_key");
  }
  let imported = 0;
  let skipped = 0;
  for (const record of bundle.records) {
    const key = keys.unwrapRecordKey(oldVk, fromBase64(record.wrapped_key), record.id);
    const moved = { ...record, wrapped_key: toBase64(keys.wrapRecordKey(vk, key, record.id)) };
    const bytes = new TextEncoder().encode(JSON.stringify(moved));
    try {
      await postMultipart("vault/import", [{ name: "record", filename: "record.json", bytes }]);
      imported += 1;
    } catch (problem) {
      if (problem.code !== "already_exists") return fail(problem.code || "error_generic");
      skipped += 1;
    }
    say(status, t("import_progress", { done: imported + skipped, total: bundle.records.length }));
  }
  oldVk.fill(0);
  form.querySelector("button").disabled = false;
  say(status, t("import_done", { imported, skipped }), "success");
}

async function main() {
  const vault = await requireVaultKey();
  if (!vault) return;
  installSession();
  form.addEventListener("submit", guard((event) => importBundle(event, vault.vk)));
}

run(main);
