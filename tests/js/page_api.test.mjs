// The one fetch wrapper (mend/static/js/lib/api.js) against a stand-in page and server:
// refusals in the one JSON shape, a lost connection, and the 401 rule (keys wiped, off to
// the sign-in this page's config names: the counselor's on a workspace page).
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";

const CONFIG = { api: "/api/v1/", urls: { login: "/counselor/login/" } };
const page = { left: [], wiped: 0, sent: [], answers: [] };

globalThis.BroadcastChannel = undefined; // no other tabs here
globalThis.location = { pathname: "/counselor/groups/7/" };
globalThis.window = {
  addEventListener() {},
  dispatchEvent(event) {
    if (event.type === "mend:wipe-keys") page.wiped += 1;
  },
  sessionStorage: { getItem: () => null, setItem() {}, removeItem() {} },
  location: { replace: (url) => page.left.push(url) },
};
globalThis.document = {
  getElementById: (id) => (id === "mend-config" ? { textContent: JSON.stringify(CONFIG) } : null),
  querySelector: (selector) => (selector === "input[name=csrfmiddlewaretoken]" ? { value: "token-1" } : null),
};
globalThis.fetch = async (url, init) => {
  page.sent.push({ url, ...init });
  const answer = page.answers.shift();
  if (answer instanceof Error) throw answer;
  return answer;
};
const { ApiError, getBytes, getJson, postJson, putJson } = await import("../../mend/static/js/lib/api.js");

function answer(status, body) {
  return new Response(body === undefined ? null : JSON.stringify(body), { status });
}

beforeEach(() => {
  Object.assign(page, { left: [], wiped: 0, sent: [], answers: [] });
});

test("a refusal carries the one shape's code and detail", async () => {
  page.answers.push(answer(409, { code: "conflict", detail: "changed elsewhere", retry_after: null }));
  const error = await putJson("escrow/entries/1", { a: 1 }).catch((e) => e);
  assert.ok(error instanceof ApiError);
  assert.deepEqual([error.status, error.code, error.message], [409, "conflict", "changed elsewhere"]);
  const [sent] = page.sent;
  assert.equal(sent.url, "/api/v1/escrow/entries/1");
  assert.equal(sent.method, "PUT");
  assert.equal(sent.body, '{"a":1}');
  assert.equal(sent.headers["X-CSRFToken"], "token-1");
});

test("a 401 wipes the keys and sends her to this page's sign-in, back here after", async () => {
  page.answers.push(answer(401, { code: "signed_out", detail: "", retry_after: null }));
  const error = await getJson("counselor/key").catch((e) => e);
  assert.equal(error.code, "session_ended");
  assert.equal(page.wiped, 1);
  assert.deepEqual(page.left, ["/counselor/login/?next=%2Fcounselor%2Fgroups%2F7%2F"]);
});

test("a 401 while downloading a file is the same ended session", async () => {
  page.answers.push(answer(401, { code: "signed_out", detail: "", retry_after: null }));
  await assert.rejects(getBytes("vault/records/1/attachments/2"), { code: "session_ended" });
  assert.equal(page.left.length, 1);
});

test("a 401 from the sign-in itself is a refusal to show, not a sign-out", async () => {
  page.answers.push(answer(401, { code: "wrong_credentials", detail: "", retry_after: null }));
  await assert.rejects(postJson("accounts/login", {}), { code: "wrong_credentials", status: 401 });
  assert.deepEqual([page.wiped, page.left], [0, []]);
});

test("no connection is the network failure, which every page has words for", async () => {
  page.answers.push(new TypeError("Failed to fetch"));
  await assert.rejects(getJson("vault/records"), { code: "network", status: 0 });
});

test("an answer with nothing in it is null, and a plain one is its JSON", async () => {
  page.answers.push(answer(204), answer(200, { records: [] }));
  assert.equal(await postJson("vault/records/1/delete", {}), null);
  assert.deepEqual(await getJson("vault/records"), { records: [] });
});
