// The text-only PDF writer: a well-formed file, exact cross-references, accents in WinAnsi.
import { test } from "node:test";
import assert from "node:assert/strict";
import { makePdf, winAnsi, wrap } from "../../mend/static/js/lib/pdf.js";

const text = (bytes) => new TextDecoder("latin1").decode(bytes);

test("a letter becomes a PDF 1.4 file that ends with its trailer", () => {
  const pdf = text(makePdf([{ text: "Solicitud de permiso", bold: true, size: 14 }, { text: "Hola." }]));
  assert.ok(pdf.startsWith("%PDF-1.4\n"));
  assert.ok(pdf.endsWith("%%EOF\n"));
  assert.match(pdf, /\/BaseFont \/Helvetica-Bold \/Encoding \/WinAnsiEncoding/);
});

test("every cross-reference points at the start of its object", () => {
  const pdf = text(makePdf([{ text: "One" }, { text: "Two" }]));
  const start = Number(pdf.match(/startxref\n(\d+)\n/)[1]);
  assert.ok(pdf.slice(start).startsWith("xref\n"));
  const offsets = [...pdf.slice(start).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
  offsets.forEach((offset, i) => assert.ok(pdf.slice(offset).startsWith(`${i + 1} 0 obj\n`), `object ${i + 1}`));
});

test("Spanish accents and typographic quotes are written in WinAnsi", () => {
  assert.deepEqual(winAnsi("ñá“€"), [0xf1, 0xe1, 0x93, 0x80]);
  const pdf = text(makePdf([{ text: "Señora, pido días" }]));
  assert.ok(pdf.includes("<5365F16F72612C207069646F2064ED6173>"));
});

test("a character the standard fonts lack becomes a question mark, never dropped", () => {
  assert.deepEqual(winAnsi("a漢b"), [0x61, 0x3f, 0x62]);
});

test("long text wraps and a long letter flows onto a second page", () => {
  const lines = wrap("word ".repeat(100).trim(), 11);
  assert.ok(lines.length > 4);
  assert.ok(lines.every((l) => l.length <= 87));
  const pdf = text(makePdf(Array.from({ length: 40 }, (_, i) => ({ text: `Line ${i}` }))));
  assert.match(pdf, /\/Count 2 >>/);
});

test("the file carries no metadata", () => {
  const pdf = text(makePdf([{ text: "x" }]));
  assert.doesNotMatch(pdf, /\/Info|\/Producer|\/CreationDate|\/Author/);
});
