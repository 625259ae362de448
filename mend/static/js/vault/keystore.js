// Where the vault key VK lives while the survivor is signed in: this tab's memory and its
// sessionStorage (so that moving between pages of the vault does not ask for the
// passphrase each time). Never localStorage, never a cookie, never the server.
// Wiped on log out, on quick exit (quick-exit.js clears sessionStorage and dispatches
// "mend:wipe-keys"), on idle time-out, and when the server says the session has ended.
import { fromHex, toHex } from "../crypto/bytes.js";

const STORAGE_KEY = "mend-vault-key";
let current = null;

window.addEventListener("mend:wipe-keys", () => {
  if (current) current.vk.fill(0);
  current = null;
});

export function storeVaultKey(vaultId, vk) {
  current = { vaultId, vk };
  try {
    window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ vaultId, vk: toHex(vk) }));
  } catch {
    // Storage can be disabled: the key then lives in this page's memory only.
  }
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
