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
