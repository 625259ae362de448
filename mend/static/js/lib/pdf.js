// A small text-only PDF writer (PDF 1.4, the standard Helvetica fonts, WinAnsi encoding so
// Spanish and French accents print). Used for the leave letter and the employer's policy.
// It writes no metadata (no title, author, program or date): the file says only what is
// on the page. Text is hex-encoded, so no character needs escaping.
import { offerDownload } from "./download.js";

const PAGE = { width: 595, height: 842, margin: 56 }; // A4, in points
// WinAnsi code points that differ from Latin-1 (the typographic punctuation we write).
const WIN_ANSI = {
  "€": 0x80, "…": 0x85, "‘": 0x91, "’": 0x92, "“": 0x93, "”": 0x94, "•": 0x95, "–": 0x96, "—": 0x97,
};

export function winAnsi(text) {
  const bytes = [];
  for (const ch of text.normalize("NFC")) {
    const code = ch.codePointAt(0);
    if (WIN_ANSI[ch]) bytes.push(WIN_ANSI[ch]);
    else if ((code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff)) bytes.push(code);
    else bytes.push(0x3f); // "?" for what the standard fonts cannot draw
  }
  return bytes;
}

function hex(text) {
  return `<${winAnsi(text).map((b) => b.toString(16).padStart(2, "0")).join("").toUpperCase()}>`;
}

// Greedy word wrap by character count: Helvetica averages about half an em a character.
export function wrap(text, size) {
  const perLine = Math.floor((PAGE.width - 2 * PAGE.margin) / (size * 0.5));
  const lines = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(" ")) {
      const next = line ? `${line} ${word}` : word;
      if (next.length > perLine && line) {
        lines.push(line);
        line = word;
      } else line = next;
    }
    lines.push(line);
  }
  return lines;
}

// blocks: [{text, size = 11, bold = false, gap = 6}] → pages of positioned lines.
function layout(blocks) {
  const pages = [[]];
  let y = PAGE.height - PAGE.margin;
  for (const block of blocks) {
    const size = block.size ?? 11;
    for (const line of wrap(block.text, size)) {
      if (y - size < PAGE.margin) {
        pages.push([]);
        y = PAGE.height - PAGE.margin;
      }
      y -= size * 1.35;
      pages.at(-1).push({ text: line, size, bold: Boolean(block.bold), y });
    }
    y -= block.gap ?? 6;
  }
  return pages;
}

function contentStream(lines) {
  return lines
    .map((l) => `BT /${l.bold ? "F2" : "F1"} ${l.size} Tf ${PAGE.margin} ${l.y.toFixed(2)} Td ${hex(l.text)} Tj ET`)
    .join("\n");
}

export function makePdf(blocks) {
  const pages = layout(blocks);
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    null, // the page tree, once the page numbers are known
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
  ];
  const kids = [];
  for (const lines of pages) {
    const stream = contentStream(lines);
    objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
    const contents = objects.length;
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE.width} ${PAGE.height}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${contents} 0 R >>`);
    kids.push(`${objects.length} 0 R`);
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.join(" ")}] /Count ${kids.length} >>`;
  // Everything above is ASCII, so string length is byte length and offsets are exact.
  let out = "%PDF-1.4\n";
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("");
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

// Offer the bytes as a PDF file download.
export function downloadPdf(bytes, filename) {
  offerDownload(bytes, filename, "application/pdf");
}
