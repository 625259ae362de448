// A signed-in page (vault, account, escrow, counselor workspace): a page that needs the
// vault key asks for it (requireVaultKey); every one keeps the server session open while she
// is active, warns her before the idle sign-out (with "Stay signed in" and "Sign out now"),
// and at the time-out wipes the keys and ends the session (installSession). A page with
// unsaved words passes `keepUnsaved`, called before the keys go (see draft.js).
import { $, config, csrf } from "./page.js";
import { askOtherTabs, loadVaultKey, wipeKeys } from "./keystore.js";

const PING_EVERY_MS = 60_000;
const ACTIVITY = ["keydown", "pointerdown", "input", "scroll", "touchstart"];

function toLogin(query = "") {
  window.location.replace(`${config.urls.login}${query}`);
}

// {vaultId, vk}; or null, when this tab holds no key (a new tab, after a time-out), and the
// page is on its way to log in. A page that needs the key, opened in a new tab: her other
// tabs may hold it, so it asks them first (up to ASK_MS). Asked here, when a page's main()
// needs the key, and not at the top of this module: a top-level await would hold up every
// page that imports it (the escrow and workspace pages run the idle clock without the key).
export async function requireVaultKey() {
  const held = await findVaultKey();
  if (!held) toLogin(`?next=${encodeURIComponent(window.location.pathname)}`);
  return held;
}

// The key if this tab or another of hers holds it, else null (and the page stays put).
export async function findVaultKey() {
  await askOtherTabs();
  return loadVaultKey();
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

// The idle clock. The deadline is the earlier of "idle time after her last activity" and
// what the server last said it keeps the session for: the warning never promises minutes
// that the server has already taken away.
function idleClock() {
  const idleMs = config.idle_seconds * 1000;
  const started = Date.now();
  const clock = {
    lastActivity: started,
    lastPing: started,
    serverDeadline: started + (config.session_seconds_left ?? config.idle_seconds) * 1000,
    deadline: () => Math.min(clock.lastActivity + idleMs, clock.serverDeadline),
    // The server restarts its clock on this call, so until its answer arrives the
    // deadline is a whole idle time from now: the old one, minutes from its end when she
    // pressed "Stay signed in", would otherwise sign her out while the answer is on its way.
    // No answer (offline, a server error): the old deadline stands.
    async ping() {
      const sent = Date.now();
      const before = clock.serverDeadline;
      clock.lastPing = sent;
      clock.serverDeadline = sent + idleMs;
      try {
        const response = await fetch(`${config.api}accounts/alive`, { credentials: "same-origin" });
        if (response.status === 401) clock.serverDeadline = sent;
        else if (!response.ok) clock.serverDeadline = before;
        else clock.serverDeadline = sent + (await response.json()).seconds_left * 1000;
      } catch (error) {
        clock.serverDeadline = before;
        throw error;
      }
    },
  };
  return clock;
}

// The warning dialog (accounts/_idle_warning.html, with its words translated there): an
// alertdialog that takes focus. A page without it still signs out, unwarned.
function warningDialog() {
  const dialog = $("[data-qa=idle-warning]");
  return {
    get open() {
      return Boolean(dialog?.open);
    },
    show(msLeft) {
      if (!dialog) return;
      const minutes = Math.max(1, Math.ceil(msLeft / 60_000));
      const when = $("[data-qa=idle-warning-when]", dialog);
      when.textContent = minutes > 1 ? when.dataset.minutes.replace("{minutes}", minutes) : when.dataset.minute;
      if (dialog.open) return;
      dialog.showModal();
      $("[data-qa=stay-signed-in]", dialog).focus();
    },
    close() {
      if (dialog?.open) dialog.close();
    },
    on(qa, handler) {
      $(`[data-qa=${qa}]`, dialog)?.addEventListener("click", handler);
      // Escape closes a modal dialog: she is there, so it means "stay".
      if (qa === "stay-signed-in") dialog?.addEventListener("cancel", handler);
    },
  };
}

// Leave, keeping any unsaved words locked in this tab first; back to this page after login.
// `keepUnsaved` may be async (a page that loads its crypto only when needed: the leave
// letter); the keys are wiped only after it is done. If it fails, she is signed out all
// the same: her safety comes before her words.
async function leave(keepUnsaved, query) {
  const vault = loadVaultKey();
  try {
    if (vault) await keepUnsaved(vault.vk);
  } catch (error) {
    console.error(error);
  }
  const next = encodeURIComponent(window.location.pathname);
  await endSession(`${config.urls.login}?${query}next=${next}`);
}

export function installSession({ keepUnsaved = () => {} } = {}) {
  const clock = idleClock();
  const warning = warningDialog();
  const warnMs = Math.min(config.idle_warning_seconds * 1000, (config.idle_seconds * 1000) / 2);
  let ended = false;
  const end = (query) => {
    if (ended) return;
    ended = true;
    warning.close();
    leave(keepUnsaved, query).catch(() => {}); // endSession leaves the page whatever happens
  };
  const stay = () => {
    clock.lastActivity = Date.now();
    warning.close();
    clock.ping().catch(() => {});
  };
  warning.on("stay-signed-in", stay);
  warning.on("sign-out-now", () => end(""));
  const active = () => {
    // While the warning is open, only its buttons answer it (the page behind is inert).
    if (warning.open || ended) return;
    clock.lastActivity = Date.now();
    if (clock.lastActivity - clock.lastPing > PING_EVERY_MS) clock.ping().catch(() => {});
  };
  for (const type of ACTIVITY) {
    document.addEventListener(type, active, { capture: true, passive: true });
  }
  const check = () => {
    const left = clock.deadline() - Date.now();
    if (left <= 0) end("timeout=1&");
    else if (left <= warnMs) warning.show(left);
  };
  window.setInterval(check, Math.max(250, Math.min(15_000, warnMs / 8)));
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
