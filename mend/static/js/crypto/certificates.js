// Verifying Mend's training certificates and its signed list of revoked ones in the browser.
// Twin of the verifying half of mend/crypto/certificates.py (the formats are described there).
import sodium from "./sodium.js";
import { CERTIFICATE_DOMAIN, REVOCATIONS_DOMAIN } from "./labels.js";
import { concat, equal, fromHex, i2osp, isRealUtcTime, lp, toHex, utf8 } from "./bytes.js";
import { CertificateError, CryptoError } from "./errors.js";

const SIGNATURE_BYTES = 64;
const MAX_TEXT_BYTES = 200;
const MAX_MODULES = 64;
const TIME = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z$/;
const ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
// Python's str.isprintable, but for the zero-width non-joiner and joiner inside a text
// (Persian surnames, scripts of India): certificates.text_problem.
const UNPRINTABLE = /[\p{C}--[\u200c\u200d]]|[\p{Z}--[ ]]/v;
const JOINER_AT_END = /^[\u200c\u200d]|[\u200c\u200d]$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LIST_FIELDS = ["public_key", "published_at", "revoked", "signature", "type"];
const B64 = sodium.base64_variants.URLSAFE_NO_PADDING;
const strict = new TextDecoder("utf-8", { fatal: true });

// The certificate in `compact`, if `publicKey` signed exactly it; else CertificateError.
// {certificateId, name, pathId, pathTitle, modules: [[id, version]], issuedAt, expiresAt}
// with times as the canonical text. Says nothing about expiry or revocation: see status().
export function verifyCertificate(compact, publicKey) {
  const data = unb64(String(compact).trim());
  if (data.length <= SIGNATURE_BYTES) throw new CertificateError("the text is too short to be a certificate");
  const message = data.subarray(0, data.length - SIGNATURE_BYTES);
  verify(message, data.subarray(data.length - SIGNATURE_BYTES), publicKey);
  return parsePayload(message);
}

export function parsePayload(message) {
  const r = reader(message);
  if (!equal(r.field(), utf8(CERTIFICATE_DOMAIN))) throw new CertificateError("this is not a mend-certificate-v1");
  const certificateId = uuidText(r.take(16));
  const name = r.text();
  const pathId = r.ascii();
  const pathTitle = r.text();
  const count = r.integer(2);
  const modules = [];
  for (let i = 0; i < count; i++) modules.push([r.ascii(), r.integer(4)]);
  const issuedAt = checkTime(r.ascii());
  const expiresAt = checkTime(r.ascii());
  r.end();
  const certificate = { certificateId, name, pathId, pathTitle, modules, issuedAt, expiresAt };
  check(certificate);
  return certificate;
}

// The exact bytes that are signed (twin of certificates.payload, for the vector test).
export function payload(c) {
  check(c);
  return concat(
    lp(utf8(CERTIFICATE_DOMAIN)),
    fromHex(c.certificateId.replaceAll("-", ""), 16, "certificate id"),
    lp(utf8(c.name)),
    lp(utf8(c.pathId)),
    lp(utf8(c.pathTitle)),
    i2osp(c.modules.length, 2),
    ...c.modules.map(([id, version]) => concat(lp(utf8(id)), i2osp(version, 4))),
    lp(utf8(checkTime(c.issuedAt))),
    lp(utf8(checkTime(c.expiresAt))),
  );
}

// "revoked", "expired" or "valid" at `now` (a Date); revoked wins over expired.
export function status(certificate, now, revoked) {
  if (revoked.has(certificate.certificateId)) return "revoked";
  if (now.getTime() >= Date.parse(certificate.expiresAt)) return "expired";
  return "valid";
}

// The published list, if `publicKey` signed it: {publishedAt, revoked: Set of ids}.
export function verifyRevocations(text, publicKey) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CertificateError(`the list is not valid JSON: ${error.message}`);
  }
  if (data === null || typeof data !== "object" || Object.keys(data).sort().join(",") !== LIST_FIELDS.join(",")) {
    throw new CertificateError(`a list has exactly these fields: ${LIST_FIELDS.join(", ")}`);
  }
  if (data.type !== REVOCATIONS_DOMAIN) throw new CertificateError(`unknown list type ${data.type}`);
  if (!Array.isArray(data.revoked) || !data.revoked.every((i) => typeof i === "string" && UUID.test(i))) {
    throw new CertificateError("revoked must be a list of certificate ids");
  }
  let listed, signature;
  try {
    listed = fromHex(data.public_key, 32, "public_key");
    signature = fromHex(data.signature, SIGNATURE_BYTES, "signature");
  } catch (error) {
    if (error instanceof CryptoError) throw new CertificateError(error.message);
    throw error;
  }
  if (!equal(listed, publicKey)) throw new CertificateError("the list names a different public key");
  const ids = [...new Set(data.revoked)].sort();
  const message = concat(
    lp(utf8(REVOCATIONS_DOMAIN)),
    lp(utf8(checkTime(data.published_at))),
    i2osp(ids.length, 4),
    ...ids.map((i) => fromHex(i.replaceAll("-", ""), 16)),
  );
  verify(message, signature, publicKey);
  return { publishedAt: data.published_at, revoked: new Set(ids) };
}

function verify(message, signature, publicKey) {
  if (publicKey.length !== 32) throw new CertificateError("public key must be 32 bytes");
  if (!sodium.crypto_sign_verify_detached(signature, message, publicKey)) {
    throw new CertificateError("the signature does not match: changed, or not Mend's");
  }
}

// Canonical unpadded base64url only: any other spelling of the same bytes is refused.
function unb64(text) {
  if (!/^[A-Za-z0-9_-]+$/.test(text) || text.length % 4 === 1) {
    throw new CertificateError("a certificate is one line of letters, digits, - and _");
  }
  let data;
  try {
    data = sodium.from_base64(text, B64);
  } catch {
    throw new CertificateError("the certificate text was changed");
  }
  if (sodium.to_base64(data, B64) !== text) throw new CertificateError("the certificate text was changed");
  return data;
}

function reader(data) {
  let at = 0;
  const r = {
    take(count) {
      if (at + count > data.length) throw new CertificateError("the certificate ends too early");
      at += count;
      return data.subarray(at - count, at);
    },
    integer(size) {
      return r.take(size).reduce((n, b) => n * 256 + b, 0);
    },
    field() {
      return r.take(r.integer(2));
    },
    text() {
      try {
        return strict.decode(r.field());
      } catch (error) {
        if (error instanceof CryptoError) throw error;
        throw new CertificateError("a text field is not UTF-8");
      }
    },
    ascii() {
      const bytes = r.field();
      if (bytes.some((b) => b > 0x7f)) throw new CertificateError("an id or time is not ASCII");
      return String.fromCharCode(...bytes);
    },
    end() {
      if (at !== data.length) throw new CertificateError("unexpected bytes after the certificate");
    },
  };
  return r;
}

function check(c) {
  for (const [what, text] of [["name", c.name], ["path title", c.pathTitle]]) {
    const size = utf8(text).length;
    if (size < 1 || size > MAX_TEXT_BYTES || text !== text.trim() || UNPRINTABLE.test(text) || JOINER_AT_END.test(text)) {
      throw new CertificateError(`the ${what} must be 1 to ${MAX_TEXT_BYTES} bytes of text`);
    }
  }
  if (![c.pathId, ...c.modules.map(([m]) => m)].every((i) => ID.test(i))) {
    throw new CertificateError("path and module ids are lower-case letters, digits, . _ -");
  }
  if (c.modules.length < 1 || c.modules.length > MAX_MODULES) {
    throw new CertificateError(`a certificate names 1 to ${MAX_MODULES} modules`);
  }
  if (new Set(c.modules.map(([m]) => m)).size !== c.modules.length) throw new CertificateError("a module is named twice");
  if (Date.parse(c.expiresAt) <= Date.parse(c.issuedAt)) {
    throw new CertificateError("a certificate must expire after it is issued");
  }
}

function checkTime(text) {
  const m = typeof text === "string" ? TIME.exec(text) : null;
  if (!m) throw new CertificateError("times must look like 2026-11-24T17:30:00Z");
  if (!isRealUtcTime(...m.slice(1).map(Number))) throw new CertificateError("not a real time");
  return text;
}

function uuidText(bytes) {
  const hex = toHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
