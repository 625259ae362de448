// Small DOM helpers for her case page: every word goes in as text, never as HTML.
export function el(tag, text = "", attrs = {}) {
  const node = document.createElement(tag);
  if (text) node.textContent = text;
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}

export function button(text, qa, onClick, kind = "") {
  const node = el("button", text, { type: "button", "data-qa": qa });
  if (kind) node.className = kind;
  node.addEventListener("click", onClick);
  return node;
}

// The item's words behind a "show" button (content warning first: she decides). The button
// says what it does and whether the words are shown (aria-expanded).
export function revealable(item, { showLabel, hideLabel, onFirstShow }) {
  const region = el("div", "", { "data-qa": "item-text", id: `text-${item.id}` });
  region.hidden = true;
  let shown = false;
  const toggle = el("button", showLabel, { type: "button", "data-qa": "show", "aria-expanded": "false", "aria-controls": region.id });
  toggle.className = "secondary";
  toggle.addEventListener("click", () => {
    const open = region.hidden;
    if (open && !region.textContent) region.append(...paragraphs(item.text));
    region.hidden = !open;
    toggle.textContent = open ? hideLabel : showLabel;
    toggle.setAttribute("aria-expanded", String(open));
    if (open && !shown) {
      shown = true;
      onFirstShow?.();
    }
  });
  return [toggle, region];
}

export function paragraphs(text) {
  return text.split(/\n{2,}/).map((part) => el("p", part, { class: "letter-paragraph" }));
}
