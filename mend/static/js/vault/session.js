// A signed-in vault page: it needs the vault key in this tab, ends the session after
// VAULT_IDLE_SECONDS without activity (wiping the keys first), keeps the server session
// open while the survivor is active, and wipes the keys before logging out.
import { config, csrf } from "./page.js";
import { loadVaultKey, wipeKeys } from "./keystore.js";

const PING_EVERY_MS = 60_000;

function toLogin(query = "") {
  window.location.replace(`${config.urls.login}${query}`);
}

// {vaultId, vk}; or null, when this tab holds no key (a new tab, after a time-out), and the
// page is on its way to log in.
export function requireVaultKey() {
  const held = loadVaultKey();
  if (!held) toLogin(`?next=${encodeURIComponent(window.location.pathname)}`);
  return held;
}

// Wipe the keys first, then end the server session, then leave for `destination`.
export async function endSession(destination) {
  wipeKeys();
  try {
    await fetch(config.urls.logout, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": csrf() },
    });
  } finally {
    window.location.replace(destination);
  }
}

export function installSession() {
  let lastActivity = Date.now();
  let lastPing = Date.now();
  const active = () => {
    lastActivity = Date.now();
    if (lastActivity - lastPing > PING_EVERY_MS) {
      lastPing = lastActivity;
      fetch(`${config.api}accounts/alive`, { credentials: "same-origin" }).catch(() => {});
    }
  };
  for (const type of ["keydown", "pointerdown", "input", "scroll", "touchstart"]) {
    document.addEventListener(type, active, { capture: true, passive: true });
  }
  const idleMs = config.idle_seconds * 1000;
  const check = () => {
    if (Date.now() - lastActivity >= idleMs) endSession(`${config.urls.login}?timeout=1`);
  };
  window.setInterval(check, Math.max(250, Math.min(15_000, idleMs / 4)));
  document.addEventListener("visibilitychange", check);
  // Log out with fetch, not a form navigation: with Referrer-Policy no-referrer, Chromium
  // sends "Origin: null" on form posts, which Django's CSRF check rightly refuses.
  for (const form of document.querySelectorAll("form[data-logout]")) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      endSession(config.urls.signed_out);
    });
  }
}
