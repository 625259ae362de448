// Her passphrase asked again before deleting (mend/static/js/lib/passphrase-again.js), on a
// stand-in form (vault/_passphrase_again.html) and server: a missing or wrong passphrase is
// said on the field itself, for a screen reader (aria-invalid, aria-describedby naming the
// message, focus), and a new attempt takes that back.
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

  // Only the selectors the module uses, by their last [name] or [name=value] ("input" is
  // taken for granted: the one [type=password] here is the input).
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
    if (id === "mend-config") return { textContent: JSON.stringify({ api: "/api/v1/" }) };
    return null;
  },
  querySelector: () => null,
};

const kdf = await import("../../mend/static/js/crypto/kdf.js");
const keys = await import("../../mend/static/js/lib/keys.js");
const { ApiError } = await import("../../mend/static/js/lib/api.js");
const { withPassphraseAgain } = await import("../../mend/static/js/lib/passphrase-again.js");

// The server's half: her account's KDF parameters, and an auth key that it knows.
const PARAMS = kdf.paramsToDict(kdf.newParams());
const AUTH_KEY = keys.toHex(keys.deriveKeys(RIGHT, PARAMS).authKey);
globalThis.fetch = async () => new Response(JSON.stringify({ params: PARAMS }), { status: 200 });
const deleted = [];
async function deleteAll(authKey) {
  if (authKey !== AUTH_KEY) throw new ApiError(401, "wrong_passphrase", "");
  deleted.push(authKey);
}

beforeEach(() => {
  field = new FakeElement({ id: "delete-all-passphrase", type: "password" });
  alert = new FakeElement({ id: "delete-all-error", role: "alert" });
  form = new FakeElement();
  form.children = [field, alert, new FakeElement({ role: "status" })];
  focused = null;
  deleted.length = 0;
});

function assertMarked(message) {
  assert.equal(alert.textContent, message);
  assert.equal(alert.hidden, false);
  assert.equal(field.getAttribute("aria-invalid"), "true");
  assert.equal(field.getAttribute("aria-describedby"), "delete-all-error");
  assert.equal(focused, field);
}

test("a wrong passphrase is said on the field: invalid, described by the message, focused", async () => {
  field.value = "not my passphrase at all";
  assert.equal(await withPassphraseAgain(form, "sam", deleteAll), false);
  assertMarked(WORDS.wrong_passphrase);
  assert.deepEqual(deleted, []);
});

test("no passphrase at all is said on the field the same way", async () => {
  assert.equal(await withPassphraseAgain(form, "sam", deleteAll), false);
  assertMarked(WORDS.passphrase_needed);
});

test("the right passphrase next takes the marks back, and keeps the field's own hint", async () => {
  field.setAttribute("aria-describedby", "passphrase-hint");
  field.value = "not my passphrase at all";
  await withPassphraseAgain(form, "sam", deleteAll);
  assert.equal(field.getAttribute("aria-describedby"), "delete-all-error passphrase-hint");
  field.value = RIGHT;
  assert.equal(await withPassphraseAgain(form, "sam", deleteAll), true);
  assert.deepEqual(deleted, [AUTH_KEY]);
  assert.equal(field.getAttribute("aria-invalid"), null);
  assert.equal(field.getAttribute("aria-describedby"), "passphrase-hint");
  assert.equal(alert.hidden, true);
});

test("too many passphrases tried is said on its field, not as something that went wrong", async () => {
  field.value = RIGHT;
  const limited = async () => {
    throw new ApiError(429, "rate_limited", "");
  };
  assert.equal(await withPassphraseAgain(form, "sam", limited), false);
  assertMarked(WORDS.passphrase_rate_limited);
  assert.equal(field.value, RIGHT); // what she typed stays for her to try later
});

test("any other failure goes on to the page runtime, with nothing left marked on the field", async () => {
  field.value = "not my passphrase at all";
  await withPassphraseAgain(form, "sam", deleteAll);
  field.value = RIGHT;
  const broken = new ApiError(500, "server_error", "");
  await assert.rejects(
    withPassphraseAgain(form, "sam", async () => {
      throw broken;
    }),
    broken,
  );
  assert.equal(field.getAttribute("aria-invalid"), null);
  assert.equal(field.getAttribute("aria-describedby"), null);
});
