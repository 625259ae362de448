import { test } from "node:test";
import assert from "node:assert/strict";
import * as certificates from "../../mend/static/js/crypto/certificates.js";
import { CERTIFICATE_DOMAIN, REVOCATIONS_DOMAIN } from "../../mend/static/js/crypto/labels.js";
import { toHex } from "../../mend/static/js/crypto/bytes.js";
import { CertificateError } from "../../mend/static/js/crypto/errors.js";
import { h, project } from "./vectors.mjs";

const VECTORS = project("certificates.json");
const PUBLIC = h(VECTORS.public_key);

test("it uses the same labels as Python", () => {
  assert.equal(CERTIFICATE_DOMAIN, VECTORS.certificate_domain);
  assert.equal(REVOCATIONS_DOMAIN, VECTORS.revocations_domain);
});

test("it verifies every certificate vector and reads exactly its fields", () => {
  for (const c of VECTORS.certificates) {
    const found = certificates.verifyCertificate(c.compact, PUBLIC);
    assert.deepEqual(found, {
      certificateId: c.certificate_id,
      name: c.name,
      pathId: c.path_id,
      pathTitle: c.path_title,
      modules: c.modules,
      issuedAt: c.issued_at,
      expiresAt: c.expires_at,
    });
    assert.equal(toHex(certificates.payload(found)), c.payload);
  }
});

test("it takes or refuses each text of the vectors exactly as Python does", () => {
  const first = certificates.verifyCertificate(VECTORS.certificates[0].compact, PUBLIC);
  for (const { text, problem } of VECTORS.texts) {
    const signing = () => certificates.payload({ ...first, name: text });
    if (problem === null) signing();
    else assert.throws(signing, CertificateError, JSON.stringify(text));
  }
});

test("it refuses every forged certificate", () => {
  for (const c of VECTORS.forged) {
    assert.throws(() => certificates.verifyCertificate(c.compact, PUBLIC), CertificateError, c.why);
  }
  assert.throws(() => certificates.verifyCertificate(VECTORS.certificates[0].compact, new Uint8Array(32)), CertificateError);
});

test("a changed character anywhere in the text never verifies", () => {
  const compact = VECTORS.certificates[0].compact;
  for (let i = 0; i < compact.length; i++) {
    const other = compact[i] === "A" ? "B" : "A";
    const changed = compact.slice(0, i) + other + compact.slice(i + 1);
    assert.throws(() => certificates.verifyCertificate(changed, PUBLIC), CertificateError, `index ${i}`);
  }
});

test("it tells valid, expired and revoked apart exactly as Python does", () => {
  const listing = certificates.verifyRevocations(VECTORS.revocations.json, PUBLIC);
  for (const c of VECTORS.status) {
    const certificate = certificates.verifyCertificate(VECTORS.certificates[c.certificate].compact, PUBLIC);
    const revoked = c.revoked ? listing.revoked : new Set();
    assert.equal(certificates.status(certificate, new Date(c.now), revoked), c.status, c.now);
  }
});

test("it verifies the signed list of revocations and refuses one with an entry removed", () => {
  const listing = certificates.verifyRevocations(VECTORS.revocations.json, PUBLIC);
  assert.equal(listing.publishedAt, "2026-11-25T08:00:00Z");
  assert.ok(listing.revoked.has(VECTORS.certificates[1].certificate_id));
  assert.throws(() => certificates.verifyRevocations(VECTORS.revocations.forged, PUBLIC), /signature/);
  assert.throws(() => certificates.verifyRevocations("not json", PUBLIC), CertificateError);
  assert.throws(() => certificates.verifyRevocations(VECTORS.revocations.json, new Uint8Array(32)), /different public key/);
});
