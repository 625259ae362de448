// What every page script (survivor, account, escrow, counselor workspace) needs from the
// page: configuration and translated words (both passed by the server with json_script as
// "mend-config" and "mend-strings", never inline code), the CSRF token, small helpers for
// plain-language status messages, and run()/guard(), so that no failure is silent.
// The rules every page script keeps: docs/frontend.md.

function readJson(id) {
  const element = document.getElementById(id);
  return element ? JSON.parse(element.textContent) : {};
}

export const config = readJson("mend-config");
const strings = readJson("mend-strings");

// A translated message; {name} placeholders are filled from `vars`.
export function t(code, vars = {}) {
  const text = strings[code] ?? strings.error_generic ?? code;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

let csrfToken = document.querySelector("input[name=csrfmiddlewaretoken]")?.value ?? "";

export function csrf() {
  return csrfToken;
}

// Signing in rotates Django's CSRF token; the API returns the new one.
export function setCsrf(token) {
  if (token) csrfToken = token;
}

// Show a message in a live region (role=status or role=alert in the template).
export function say(element, text, kind = "info") {
  if (!element) return;
  element.textContent = text;
  element.dataset.kind = kind;
  element.hidden = !text;
}

// Let the browser paint a "please wait" message before a long, blocking step (Argon2id).
export function nextFrame() {
  return new Promise((resolve) => setTimeout(resolve, 30));
}

// Marks `field` as the one `alert`'s message is about: aria-invalid, and aria-describedby
// naming the message before any hint, so that a screen reader says what went wrong on the
// field itself (WCAG 3.3.1, 4.1.2); then focus moves there. The marks an earlier message left
// in `form` are taken back first: markInvalid(form, alert) alone clears them, for a new
// attempt or a message about no one field.
export function markInvalid(form, alert, field = null) {
  for (const marked of form.querySelectorAll("[aria-invalid]")) {
    marked.removeAttribute("aria-invalid");
    const rest = describedBy(marked).filter((id) => id !== alert.id);
    if (rest.length) marked.setAttribute("aria-describedby", rest.join(" "));
    else marked.removeAttribute("aria-describedby");
  }
  if (!field) return;
  // A message the template gave no id (the account forms, the dialogue's join form) gets one.
  alert.id ||= `${field.id || field.name}-error`;
  field.setAttribute("aria-invalid", "true");
  const hints = describedBy(field).filter((id) => id !== alert.id);
  field.setAttribute("aria-describedby", [alert.id, ...hints].join(" "));
  field.focus();
}

function describedBy(element) {
  return (element.getAttribute("aria-describedby") ?? "").split(/\s+/).filter(Boolean);
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

// A local, readable date and time in the page's language.
export function when(iso) {
  const date = new Date(iso);
  return date.toLocaleString(config.language || undefined, { dateStyle: "long", timeStyle: "short" });
}

// Only paths on this site are followed after signing in (see next.js for what is refused).
import { sameOriginPath } from "./next.js";

export function safeNext(fallback) {
  const next = new URLSearchParams(window.location.search).get("next");
  return sameOriginPath(next, window.location.origin) ?? fallback;
}

// Every page script's entry point runs through here, so that nothing fails silently: an
// error it did not handle itself is told to the person in the page's alert region
// (data-page-alert in the template, or one made at the top of <main>) and logged.
export function run(main) {
  return tell(main);
}

// The same for handlers a page attaches itself (clicks, submits): wrap them with `guard`.
// The handler starts at once, not a tick later, so its event.preventDefault() still counts.
export function guard(handler) {
  return (...args) => {
    tell(() => handler(...args));
  };
}

function tell(call) {
  let outcome;
  try {
    outcome = Promise.resolve(call());
  } catch (error) {
    outcome = Promise.reject(error);
  }
  outcome.catch(showFailure);
  return outcome;
}

// Failures with words of their own in every page's strings (mend/lib/runtime.py); any
// other is "Something went wrong", never a developer's message.
const TOLD = new Set(["network", "session_ended"]);

export function showFailure(error) {
  console.error(error);
  let region = document.querySelector("[data-page-alert]");
  if (!region) {
    region = document.createElement("p");
    region.setAttribute("role", "alert");
    region.dataset.pageAlert = "";
    region.className = "message message--error";
    (document.querySelector("main") ?? document.body).prepend(region);
  }
  say(region, t(TOLD.has(error?.code) ? error.code : "error_generic"), "error");
  // Said where she can see it too, not only to a screen reader: the page may be scrolled
  // down to the button that failed.
  region.scrollIntoView?.({ block: "nearest" });
}
