// Her passphrase again before saving an edit of an escrow entry or withdrawing one
// (mend/static/js/escrow/again.js, over lib/passphrase-again.js), on a stand-in form
// (escrow/entry.html's confirm form) and server: the server refuses a wrong one, and
// too many tries (429, counted as signing in is), on the passphrase's own field; nothing is
// saved or withdrawn, and the page keeps what she typed.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";

const WORDS = {
  error_generic: "Something went wrong. Nothing was changed. Please try again.",
  passphrase_needed: "Write your passphrase first.",
  checking_passphrase: "Checking your passphrase…",
  wrong_passphrase: "That passphrase is not right.",
  passphrase_rate_limited: "Too many attempts. Please wait a while and try again.",
};
const RIGHT = "the passphrase she chose";

class FakeElement {
  constructor(attributes = {}) {
    this.attributes = { ...attributes };
    this.id = attributes.id ?? "";
    this.dataset = {};
    this.hidden = true;
    this.textContent = "";
    this.value = "";
    this.children = [];
  }

  getAttribute(name) {
    return this.attributes[name] ?? null;
  }

  setAttribute(name, value) {
    this.attributes[name] = String(value);
  }

  removeAttribute(name) {
    delete this.attributes[name];
  }

  focus() {
    focused = this;
  }

  // Only the selectors the modules use, by their last [name] or [name=value].
  matches(selector) {
    const [, name, value] = selector.match(/\[([\w-]+)(?:=([\w-]+))?\]$/);
    return name in this.attributes && (value === undefined || this.attributes[name] === value);
  }

  querySelectorAll(selector) {
    return this.children.filter((child) => child.matches(selector));
  }

  querySelector(selector) {
    return this.querySelectorAll(selector)[0] ?? null;
  }
}

let focused = null;
let form, field, alert;

globalThis.BroadcastChannel = undefined; // no other tabs here
globalThis.window = { addEventListener() {}, sessionStorage: { getItem: () => null, setItem() {}, removeItem() {} } };
globalThis.document = {
  getElementById(id) {
    if (id === "mend-strings") return { textContent: JSON.stringify(WORDS) };
    if (id === "mend-config") return { textContent: JSON.stringify({ api: "/api/v1/", username: "sam" }) };
    return null;
  },
  querySelector: () => null,
};

const kdf = await import("../../mend/static/js/crypto/kdf.js");
const keys = await import("../../mend/static/js/lib/keys.js");
const { ApiError } = await import("../../mend/static/js/lib/api.js");
const { withHerPassphrase } = await import("../../mend/static/js/escrow/again.js");

// The server's half: her account's KDF parameters, her auth key, and the sign-in limit.
const PARAMS = kdf.paramsToDict(kdf.newParams());
const AUTH_KEY = keys.toHex(keys.deriveKeys(RIGHT, PARAMS).authKey);
const asked = [];
globalThis.fetch = async (url, init) => {
  asked.push(JSON.parse(init.body).username);
  return new Response(JSON.stringify({ params: PARAMS }), { status: 200 });
};
let triesLeft;
const saved = [];
async function save(authKey) {
  if (triesLeft-- <= 0) throw new ApiError(429, "rate_limited", "");
  if (authKey !== AUTH_KEY) throw new ApiError(401, "wrong_passphrase", "");
  saved.push(authKey);
}

beforeEach(() => {
  field = new FakeElement({ id: "save-passphrase", type: "password" });
  alert = new FakeElement({ id: "save-error", role: "alert" });
  form = new FakeElement();
  form.children = [field, alert, new FakeElement({ role: "status" })];
  focused = null;
  saved.length = 0;
  asked.length = 0;
  triesLeft = 3;
});

function assertSaidOnTheField(message) {
  assert.equal(alert.textContent, message);
  assert.equal(alert.hidden, false);
  assert.equal(field.getAttribute("aria-invalid"), "true");
  assert.equal(field.getAttribute("aria-describedby"), "save-error");
  assert.equal(focused, field);
}

test("a wrong passphrase saves nothing and is said on its field; the right one then saves", async () => {
  field.value = "not my passphrase at all";
  assert.equal(await withHerPassphrase(form, save), false);
  assertSaidOnTheField(WORDS.wrong_passphrase);
  assert.deepEqual(saved, []);
  assert.equal(field.value, "not my passphrase at all"); // what she typed stays for her to fix
  field.value = RIGHT;
  assert.equal(await withHerPassphrase(form, save), true);
  assert.deepEqual(saved, [AUTH_KEY]);
  assert.equal(alert.hidden, true);
  assert.deepEqual(asked, ["sam", "sam"]); // her own account's parameters, from the page
});

test("too many passphrases tried is said on its field, not as something that went wrong", async () => {
  triesLeft = 0;
  field.value = RIGHT;
  assert.equal(await withHerPassphrase(form, save), false);
  assertSaidOnTheField(WORDS.passphrase_rate_limited);
  assert.deepEqual(saved, []);
});

test("any other failure goes on to the page, which says it in its own words", async () => {
  field.value = RIGHT;
  const conflict = new ApiError(409, "conflict", "");
  await assert.rejects(
    withHerPassphrase(form, async () => {
      throw conflict;
    }),
    conflict,
  );
  assert.equal(field.getAttribute("aria-invalid"), null);
});
