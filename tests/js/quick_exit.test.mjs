// The Shift-three-times rule of the quick exit, without a browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createShiftCounter } from "../../mend/static/js/quick-exit.js";

function press(counter, key, extra = {}) {
  counter.keydown({ key, repeat: false, ...extra });
  counter.keyup({ key });
}

function clockAt(times) {
  let i = 0;
  return () => times[Math.min(i++, times.length - 1)];
}

test("it triggers on three lone Shift presses within five seconds", () => {
  let exits = 0;
  const counter = createShiftCounter(() => exits++, clockAt([0, 1000, 2000]));
  press(counter, "Shift");
  press(counter, "Shift");
  assert.equal(exits, 0);
  press(counter, "Shift");
  assert.equal(exits, 1);
});

test("it does not trigger when the presses are spread over more than five seconds", () => {
  let exits = 0;
  const counter = createShiftCounter(() => exits++, clockAt([0, 3000, 6000]));
  for (let i = 0; i < 3; i++) press(counter, "Shift");
  assert.equal(exits, 0);
});

test("it ignores a Shift used as a modifier", () => {
  let exits = 0;
  const counter = createShiftCounter(() => exits++, clockAt([0, 1, 2, 3, 4, 5]));
  for (let i = 0; i < 3; i++) {
    counter.keydown({ key: "Shift", repeat: false });
    counter.keydown({ key: "A", repeat: false });
    counter.keyup({ key: "A" });
    counter.keyup({ key: "Shift" });
  }
  assert.equal(exits, 0);
});

test("it ignores a Shift held for a click", () => {
  let exits = 0;
  const counter = createShiftCounter(() => exits++, clockAt([0, 1, 2]));
  for (let i = 0; i < 3; i++) {
    counter.keydown({ key: "Shift", repeat: false });
    counter.pointerdown();
    counter.keyup({ key: "Shift" });
  }
  assert.equal(exits, 0);
});

test("it starts counting again after another key", () => {
  let exits = 0;
  const counter = createShiftCounter(() => exits++, clockAt([0, 1, 2, 3, 4]));
  press(counter, "Shift");
  press(counter, "Shift");
  press(counter, "x");
  press(counter, "Shift");
  assert.equal(exits, 0);
  press(counter, "Shift");
  press(counter, "Shift");
  assert.equal(exits, 1);
});

test("it counts a held-down Shift (auto-repeat) once", () => {
  let exits = 0;
  const counter = createShiftCounter(() => exits++, clockAt([0, 1, 2]));
  counter.keydown({ key: "Shift", repeat: false });
  counter.keydown({ key: "Shift", repeat: true });
  counter.keydown({ key: "Shift", repeat: true });
  counter.keyup({ key: "Shift" });
  assert.equal(exits, 0);
});

// The beacon that ends the server session (ADR 0008), with the browser's pieces stubbed.
function withBrowser(navigatorValue, run) {
  const calls = [];
  const saved = Object.getOwnPropertyDescriptor(globalThis, "navigator");
  const savedFetch = globalThis.fetch;
  Object.defineProperty(globalThis, "navigator", { value: navigatorValue(calls), configurable: true });
  globalThis.fetch = (url, init) => {
    calls.push(["fetch", url, init]);
    return Promise.resolve();
  };
  try {
    run();
  } finally {
    if (saved) Object.defineProperty(globalThis, "navigator", saved);
    else delete globalThis.navigator;
    globalThis.fetch = savedFetch;
  }
  return calls;
}

test("it ends the session with a beacon to the given address", async () => {
  const { endServerSession } = await import("../../mend/static/js/quick-exit.js");
  const calls = withBrowser(
    (log) => ({ sendBeacon: (url) => log.push(["beacon", url]) > 0 }),
    () => endServerSession("/account/exit/"),
  );
  assert.deepEqual(calls, [["beacon", "/account/exit/"]]);
});

test("it falls back to a keepalive POST when the beacon is refused or missing", async () => {
  const { endServerSession } = await import("../../mend/static/js/quick-exit.js");
  for (const browser of [() => ({ sendBeacon: () => false }), () => ({})]) {
    const calls = withBrowser(browser, () => endServerSession("/es/account/exit/"));
    assert.deepEqual(calls, [
      ["fetch", "/es/account/exit/", { method: "POST", keepalive: true, credentials: "same-origin" }],
    ]);
  }
});
