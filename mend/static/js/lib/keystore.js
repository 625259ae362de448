// Where the vault key VK lives while the survivor is signed in: this tab's memory and its
// sessionStorage (so that moving between pages of the vault does not ask for the
// passphrase each time). Never localStorage, never a cookie, never the server.
// Wiped on log out, on quick exit (quick-exit.js clears sessionStorage and dispatches
// "mend:wipe-keys"), on idle time-out, and when the server says the session has ended.
//
// Her other tabs: a record opened in a new tab asks the tabs of this browser that hold the
// key for it (a BroadcastChannel, which only pages of this origin in this browser profile
// share), instead of asking for the passphrase again; a wipe in one tab wipes them all.
// Nothing crosses the network. Not protected: a script already running on our origin
// could ask too, but such a script could read this tab's sessionStorage anyway.
import { fromHex, toHex } from "../crypto/bytes.js";

const STORAGE_KEY = "mend-vault-key";
const ASK_MS = 400; // how long a new tab waits for another tab's answer
let current = null;
let heardWipe = false;
const tabs = typeof BroadcastChannel === "function" ? new BroadcastChannel("mend-vault-key") : null;

window.addEventListener("mend:wipe-keys", () => {
  if (current) current.vk.fill(0);
  current = null;
  if (!heardWipe) tabs?.postMessage({ type: "wipe" });
});

tabs?.addEventListener("message", (event) => {
  const message = event.data;
  if (message?.type === "ask" && loadVaultKey()) {
    tabs.postMessage({ type: "key", vaultId: current.vaultId, vk: toHex(current.vk) });
  } else if (message?.type === "wipe") {
    heardWipe = true;
    wipeKeys();
    heardWipe = false;
  }
});

// A tab with no key asks the others, once (session.js, before a page needing the key reads
// it). Resolves when one answers, or after ASK_MS.
export function askOtherTabs() {
  if (!tabs || loadVaultKey()) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (event) => {
      if (event?.data?.type !== "key") return;
      tabs.removeEventListener("message", done);
      try {
        storeLocally(event.data.vaultId, fromHex(event.data.vk, 32, "vk"));
      } catch {
        // A malformed answer is no key: the page asks to log in.
      }
      resolve();
    };
    tabs.addEventListener("message", done);
    tabs.postMessage({ type: "ask" });
    window.setTimeout(() => {
      tabs.removeEventListener("message", done);
      resolve();
    }, ASK_MS);
  });
}

function storeLocally(vaultId, vk) {
  current = { vaultId, vk };
  try {
    window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ vaultId, vk: toHex(vk) }));
  } catch {
    // Storage can be disabled: the key then lives in this page's memory only.
  }
}

// After a log-in: other tabs drop whatever key they held (it may be another account's).
export function storeVaultKey(vaultId, vk) {
  tabs?.postMessage({ type: "wipe" });
  storeLocally(vaultId, vk);
}

// {vaultId, vk} or null when this tab holds no key (then the page asks to log in).
export function loadVaultKey() {
  if (current) return current;
  try {
    const stored = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) || "null");
    if (stored) current = { vaultId: stored.vaultId, vk: fromHex(stored.vk, 32, "vk") };
  } catch {
    current = null;
  }
  return current;
}

export function wipeKeys() {
  try {
    window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing stored.
  }
  window.dispatchEvent(new Event("mend:wipe-keys"));
}

