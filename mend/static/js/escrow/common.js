// What the escrow and workspace page scripts share: configuration and words from the page
// (json_script, never inline code), the CSRF token, JSON calls with stable error codes.

function readJson(id) {
  const element = document.getElementById(id);
  return element ? JSON.parse(element.textContent) : {};
}

export const config = readJson("escrow-config");
const strings = readJson("escrow-strings");

export function t(code, vars = {}) {
  const text = strings[code] ?? strings.error_generic ?? code;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail || code);
    this.status = status;
    this.code = code;
  }
}

function csrf() {
  return document.querySelector("input[name=csrfmiddlewaretoken]")?.value ?? "";
}

export async function api(method, path, body = undefined) {
  let response;
  try {
    response = await fetch(config.api + path, {
      method,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), Accept: "application/json", "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network", "");
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, data.code || `http_${response.status}`, data.detail);
  return data;
}

// A message in a live region (role=status or role=alert); empty text hides it.
export function say(element, text) {
  element.textContent = text;
  element.hidden = !text;
}

// Let the browser paint "please wait" before a long, blocking step (Argon2id, sealing).
export function nextFrame() {
  return new Promise((resolve) => setTimeout(resolve, 30));
}
