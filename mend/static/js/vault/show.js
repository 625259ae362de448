// Showing an opened record as plain, readable HTML (text only: never innerHTML).
import { day } from "../lib/format.js";
import { config, t, when } from "../lib/page.js";

export function element(tag, text = "", attributes = {}) {
  const node = document.createElement(tag);
  if (text) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

// The filled fields as <dt>/<dd> pairs, in the order of the guided form.
export function fieldList(content, list) {
  const pairs = [];
  for (const field of config.fields) {
    const value = (content.fields?.[field.name] || "").trim();
    if (!value) continue;
    const shown = field.kind === "date" ? day(value, config.language) : value;
    pairs.push(element("dt", field.label), element("dd", shown, { class: "field-value" }));
  }
  if (!pairs.length) pairs.push(element("dd", t("nothing_written"), { class: "hint" }));
  list.replaceChildren(...pairs);
}

export function sizeText(bytes) {
  if (bytes < 1024) return t("size_bytes", { n: bytes });
  if (bytes < 1024 * 1024) return t("size_kb", { n: Math.round(bytes / 1024) });
  return t("size_mb", { n: (bytes / 1024 / 1024).toFixed(1) });
}

export { when };
