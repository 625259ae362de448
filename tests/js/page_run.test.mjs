// run() and guard() (mend/static/js/lib/page.js): nothing a page script does fails silently.
// A small stand-in for the page's DOM: the "mend-strings" element, an alert region and <main>.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";

const WORDS = {
  error_generic: "Something went wrong. Nothing was changed. Please try again.",
  network: "Mend could not be reached. Check your connection and try again.",
};

class FakeElement {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.attributes = {};
    this.dataset = {};
    this.children = [];
    this.hidden = false;
    this.textContent = "";
  }

  setAttribute(name, value) {
    this.attributes[name] = value;
  }

  prepend(child) {
    this.children.unshift(child);
  }
}

const page = { alert: null, main: new FakeElement("main") };
globalThis.document = {
  getElementById: (id) => (id === "mend-strings" ? { textContent: JSON.stringify(WORDS) } : null),
  querySelector(selector) {
    if (selector === "[data-page-alert]") return page.alert;
    if (selector === "main") return page.main;
    return null;
  },
  createElement: (tag) => new FakeElement(tag),
};
const { guard, run } = await import("../../mend/static/js/lib/page.js");

const logged = [];
console.error = (error) => logged.push(error); // what the runtime logs, kept for the asserts

beforeEach(() => {
  page.alert = Object.assign(new FakeElement("p"), { hidden: true });
  page.main = new FakeElement("main");
  logged.length = 0;
});

// Let the runtime's promise handlers run.
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

test("an entry point that throws shows the generic failure in the page's alert region", async () => {
  const broken = new TypeError("cannot read properties of null");
  await assert.rejects(
    run(() => {
      throw broken;
    }),
  );
  await settled();
  assert.equal(page.alert.textContent, WORDS.error_generic);
  assert.equal(page.alert.hidden, false);
  assert.equal(page.alert.dataset.kind, "error");
  assert.deepEqual(logged, [broken]);
});

test("an entry point that fails later, after an await, is told as well", async () => {
  run(async () => {
    await settled();
    throw new Error("later");
  });
  await settled();
  await settled();
  assert.equal(page.alert.textContent, WORDS.error_generic);
});

test("a lost connection is told in its own words, never a developer's message", async () => {
  run(async () => {
    throw Object.assign(new Error("TypeError: Failed to fetch"), { code: "network" });
  });
  await settled();
  assert.equal(page.alert.textContent, WORDS.network);
});

test("an entry point that works says nothing and gives back what it returned", async () => {
  assert.equal(await run(async () => "ready"), "ready");
  assert.equal(page.alert.textContent, "");
  assert.equal(page.alert.hidden, true);
  assert.deepEqual(logged, []);
});

test("a page without an alert region gets one, first in <main>, that screen readers announce", async () => {
  page.alert = null;
  run(() => {
    throw new Error("no region");
  });
  await settled();
  const [made] = page.main.children;
  assert.equal(made.tagName, "P");
  assert.equal(made.attributes.role, "alert");
  assert.equal(made.dataset.pageAlert, "");
  assert.equal(made.textContent, WORDS.error_generic);
});

test("a guarded handler runs at once, so its event.preventDefault() still stops the form", () => {
  const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
  guard(async (e) => {
    e.preventDefault();
  })(event);
  assert.equal(event.defaultPrevented, true);
});

test("a guarded handler that fails, at once or later, is told", async () => {
  guard(() => {
    throw new Error("at once");
  })();
  await settled();
  assert.equal(page.alert.textContent, WORDS.error_generic);
  page.alert.textContent = "";
  guard(async () => {
    await settled();
    throw new Error("later");
  })();
  await settled();
  await settled();
  assert.equal(page.alert.textContent, WORDS.error_generic);
  assert.equal(logged.length, 2);
});
