// The employer's policy page: print, or a PDF written in this browser from the policy's
// own text (the same small writer as the letter; the policy is not sensitive).
import { $, guard, run } from "../lib/page.js";
import { downloadPdf, makePdf } from "../lib/pdf.js";

function blocksOf(root) {
  const blocks = [];
  for (const node of root.querySelectorAll("h2, h3, p:not(.no-print), li")) {
    if (node.closest(".no-print") || (node.tagName === "LI" && node.querySelector("li, h3, p"))) continue;
    const text = node.textContent.replace(/\s+/g, " ").trim();
    const heading = /^H[23]$/.test(node.tagName);
    if (text) blocks.push({ text: node.tagName === "LI" ? `• ${text}` : text, bold: heading, size: node.tagName === "H2" ? 14 : 11, gap: heading ? 4 : 6 });
  }
  return blocks;
}

async function main() {
  const policy = $("[data-qa=policy]");
  if (!policy) return;
  $("[data-qa=pdf]").addEventListener("click", guard(() => downloadPdf(makePdf(blocksOf(policy)), "leave-policy.pdf")));
  $("[data-qa=print]").addEventListener("click", () => window.print());
  // Rendered disabled: a click before this script listens would do nothing at all.
  for (const button of [$("[data-qa=pdf]"), $("[data-qa=print]")]) button.disabled = false;
}

run(main);
