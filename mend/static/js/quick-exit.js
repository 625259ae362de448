// Quick exit (ARCHITECTURE section 6): the "Exit this page" control, and Shift pressed
// three times within five seconds. A Shift used as a modifier (Shift+A, Shift+click)
// does not count. On exit: wipe key material, blank the page at once, end the session on
// the server with a beacon, then replace this history entry with a neutral site so that
// Back does not return here. Without JavaScript the control is a plain link.

const PRESSES_NEEDED = 3;
const WINDOW_MS = 5000;

// Everything Mend keeps in this tab goes: the vault key, an unsaved draft (locked, but
// still a trace), anything a later feature stores. Both storages belong to our origin only.
export function wipeKeyMaterial() {
  for (const name of ["sessionStorage", "localStorage"]) {
    try {
      window[name].clear();
    } catch {
      // Storage can be disabled; there is then nothing to wipe.
    }
  }
  // Modules holding keys in memory listen for this and drop them.
  window.dispatchEvent(new Event("mend:wipe-keys"));
}

// Ask the server to end the session. A beacon (or a keepalive fetch, where beacons are
// missing) outlives the page, so the exit never waits for the answer. It carries no
// CSRF token: the endpoint checks that it comes from our own page instead (ADR 0008).
export function endServerSession(url) {
  if (!url) return;
  try {
    if (navigator.sendBeacon && navigator.sendBeacon(url)) return;
  } catch {
    // Fall through to fetch.
  }
  fetch(url, { method: "POST", keepalive: true, credentials: "same-origin" }).catch(() => {});
}

export function quickExit(url, sessionUrl) {
  wipeKeyMaterial();
  document.title = "";
  document.documentElement.style.background = "#fff";
  document.body.replaceChildren();
  endServerSession(sessionUrl);
  window.location.replace(url);
}

// Counts lone Shift presses; any other key or a click while Shift is held cancels that
// press, and any other key resets the count.
export function createShiftCounter(onTriggered, now = () => Date.now()) {
  let presses = [];
  let shiftDown = false;
  let usedAsModifier = false;
  return {
    keydown(event) {
      if (event.key === "Shift") {
        if (!event.repeat) {
          shiftDown = true;
          usedAsModifier = false;
        }
        return;
      }
      if (shiftDown) usedAsModifier = true;
      presses = [];
    },
    keyup(event) {
      if (event.key !== "Shift") return;
      const counts = shiftDown && !usedAsModifier;
      shiftDown = false;
      if (!counts) return;
      const t = now();
      presses = presses.filter((p) => t - p <= WINDOW_MS);
      presses.push(t);
      if (presses.length >= PRESSES_NEEDED) {
        presses = [];
        onTriggered();
      }
    },
    pointerdown() {
      if (shiftDown) usedAsModifier = true;
    },
  };
}

function install() {
  // The bar's link first; a dialog that makes the page inert carries another one.
  const links = [...document.querySelectorAll("[data-quick-exit]")];
  if (!links.length) return;
  const [main] = links;
  const exit = () => quickExit(main.href, main.dataset.exitSession);
  for (const link of links) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      exit();
    });
  }
  const counter = createShiftCounter(exit);
  document.addEventListener("keydown", (e) => counter.keydown(e), true);
  document.addEventListener("keyup", (e) => counter.keyup(e), true);
  document.addEventListener("pointerdown", () => counter.pointerdown(), true);
}

if (typeof document !== "undefined") install();
