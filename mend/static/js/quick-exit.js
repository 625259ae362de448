// Quick exit (ARCHITECTURE section 6): the "Exit this page" control, and Shift pressed
// three times within five seconds. A Shift used as a modifier (Shift+A, Shift+click)
// does not count. On exit: wipe key material, blank the page at once, then replace
// this history entry with a neutral site so that Back does not return here.

const PRESSES_NEEDED = 3;
const WINDOW_MS = 5000;

export function wipeKeyMaterial() {
  try {
    window.sessionStorage.clear();
  } catch {
    // Storage can be disabled; there is then nothing to wipe.
  }
  // Modules holding keys in memory listen for this and drop them.
  window.dispatchEvent(new Event("mend:wipe-keys"));
}

export function quickExit(url) {
  wipeKeyMaterial();
  document.title = "";
  document.documentElement.style.background = "#fff";
  document.body.replaceChildren();
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
  const link = document.querySelector("[data-quick-exit]");
  if (!link) return;
  const exit = () => quickExit(link.href);
  link.addEventListener("click", (event) => {
    event.preventDefault();
    exit();
  });
  const counter = createShiftCounter(exit);
  document.addEventListener("keydown", (e) => counter.keydown(e), true);
  document.addEventListener("keyup", (e) => counter.keyup(e), true);
  document.addEventListener("pointerdown", () => counter.pointerdown(), true);
}

if (typeof document !== "undefined") install();
