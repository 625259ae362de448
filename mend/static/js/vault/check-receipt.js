// Check a receipt file in this browser against Mend's published public key. This page is
// public: anyone holding a receipt can check it here (or offline with verify_receipt).
import { fromHex } from "../crypto/bytes.js";
import { parseReceipt, verifyReceipt } from "../crypto/receipts.js";
import { $, config, guard, run, say, t } from "../lib/page.js";

const form = $("[data-qa=check-form]");
const status = $("[data-qa=status]", form);
const error = $("[data-qa=error]", form);

async function check(event) {
  event.preventDefault();
  say(status, "");
  say(error, "");
  const file = form.elements.receipt.files[0];
  if (!file) return say(error, t("receipt_no_file"), "error");
  try {
    const receipt = parseReceipt(await file.text());
    verifyReceipt(receipt, fromHex(config.public_key, 32, "public key"));
    say(status, t("receipt_valid", { version: receipt.version, date: receipt.receivedAt, id: receipt.objectId }), "success");
  } catch (problem) {
    say(error, t("receipt_invalid", { reason: problem.message }), "error");
  }
}

function main() {
  form.addEventListener("submit", guard(check));
}

run(main);
