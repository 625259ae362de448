// The public verify page: checks a certificate in this browser against Mend's published key,
// and against the signed list of revoked certificates. The certificate arrives pasted or in
// the URL's fragment (after #), which the browser never sends to a server.
import { fromHex } from "../crypto/bytes.js";
import { status, verifyCertificate, verifyRevocations } from "../crypto/certificates.js";
import { CertificateError } from "../crypto/errors.js";
import { getJson } from "../lib/api.js";
import { $, config, guard, run, say, t } from "../lib/page.js";

const form = $("[data-qa=verify-form]");
const verdict = $("[data-qa=verdict]");
const fields = $("[data-qa=fields]");
const revocationsNote = $("[data-qa=revocations]");
const publicKey = fromHex(config.public_key, 32, "public key");

function day(iso) {
  return new Date(iso).toLocaleDateString(config.language || undefined, { dateStyle: "long", timeZone: "UTC" });
}

function clear() {
  say(verdict, "");
  delete verdict.dataset.verdict;
  fields.hidden = true;
  say(revocationsNote, "");
}

// The published list, verified; null when it cannot be had (the page says so).
async function revocations() {
  try {
    return verifyRevocations(JSON.stringify(await getJson(config.revoked_path)), publicKey);
  } catch (error) {
    console.warn(error);
    return null;
  }
}

function show(certificate) {
  const set = (name, text) => {
    $(`[data-field=${name}]`, fields).textContent = text;
  };
  set("name", certificate.name);
  set("path", certificate.pathTitle);
  set("issued", day(certificate.issuedAt));
  set("expires", day(certificate.expiresAt));
  set("id", certificate.certificateId);
  const list = $("[data-field=modules]", fields);
  list.replaceChildren(
    ...certificate.modules.map(([module, version]) => {
      const item = document.createElement("li");
      item.textContent = t("module_version", { module, version });
      return item;
    }),
  );
  fields.hidden = false;
}

async function check(text) {
  clear();
  if (!text.trim()) return say(verdict, t("certificate_empty"), "error");
  let certificate;
  try {
    certificate = verifyCertificate(text, publicKey);
  } catch (error) {
    if (!(error instanceof CertificateError)) throw error;
    verdict.dataset.verdict = "invalid";
    return say(verdict, t("verdict_invalid"), "error");
  }
  say(verdict, t("checking"));
  const listing = await revocations();
  const found = status(certificate, new Date(), listing?.revoked ?? new Set());
  verdict.dataset.verdict = found;
  say(verdict, t(`verdict_${found}`, { date: day(certificate.expiresAt) }), found === "valid" ? "success" : "error");
  show(certificate);
  if (listing) say(revocationsNote, t("revocations_checked", { date: day(listing.publishedAt) }));
  else say(revocationsNote, t("revocations_unknown"), "error");
}

// The fragment as written (a certificate needs no decoding; a mangled %-escape is left as
// is, so it is reported as not valid rather than as a page error).
function fragment() {
  const raw = window.location.hash.slice(1);
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

async function fromFragment() {
  const text = fragment();
  if (!text) return;
  form.elements.certificate.value = text;
  await check(text);
}

async function main() {
  form.addEventListener(
    "submit",
    guard(async (event) => {
      event.preventDefault();
      await check(form.elements.certificate.value);
    }),
  );
  window.addEventListener("hashchange", guard(fromFragment));
  await fromFragment();
}

run(main);
