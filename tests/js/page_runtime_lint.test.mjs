// One browser page runtime (mend/static/js/lib/, docs/frontend.md): read from the source, as
// Zulip's lint rules read theirs. Page scripts get configuration, words, fetch with errors
// and run()/guard() from lib/ only; none grows its own again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const JS = join(ROOT, "mend/static/js");

// Scripts that may call fetch() themselves, and why.
const MAY_FETCH = new Map([
  // The quick exit ends the session with a keepalive POST as she leaves: it must neither
  // wait for an answer nor send her to sign in, whatever the server says.
  ["quick-exit.js", "keepalive log-out on the way out"],
  // The results map fetches the state boundaries: a static file of our own origin, not the API.
  ["directory/map.js", "same-origin static map boundaries"],
]);

// Imports from another page folder, and why: the workspace is the other half of the escrow.
const MAY_IMPORT = new Map([
  ["counselor/home.js -> escrow/protocol.js", "re-sealing shares uses the protocol's contexts and checks"],
  ["counselor/open.js -> escrow/protocol.js", "opening a group uses the protocol's contexts"],
  ["counselor/group.js -> escrow/readable.js", "the counselor reads identifiers as the survivor wrote them"],
  ["accounts/signed-out.js -> quick-exit.js", "signing out wipes the keys exactly as the quick exit does"],
  ["dialogue/responsible/join.js -> accounts/common.js", "his sign-up makes keys exactly as the survivor sign-up does"],
  ["dialogue/staff/key.js -> counselor/keys.js", "a facilitator's case key is her staff key, made and unlocked as a counselor's"],
]);

// Modules with a top-level await, and why: every page that imports them waits for it.
const MAY_AWAIT_AT_TOP = new Map([
  // libsodium's WebAssembly must be ready before any crypto call; only pages that lock or
  // unlock something import the crypto modules.
  ["crypto/sodium.js", "libsodium ready, for key-needing pages only"],
]);

function scripts(dir = JS) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "vendor" ? [] : scripts(path);
    return entry.name.endsWith(".js") ? [relative(JS, path)] : [];
  });
}

const SOURCES = new Map(scripts().map((name) => [name, readFileSync(join(JS, name), "utf8")]));
const OUTSIDE_LIB = [...SOURCES.keys()].filter((name) => !name.startsWith("lib/"));
// Folders that hold no page scripts, and why; every other folder (accounts, vault, escrow,
// counselor, leave, certificates, and any part added later) is a folder of page scripts.
const NOT_PAGES = new Map([
  ["lib", "the runtime itself"],
  ["crypto", "pure cryptography, no page"],
  // Public pages' progressive enhancements: they work without configuration or API.
  ["directory", "Find help's enhancements (map, locate, print)"],
]);
const PAGES = { test: (name) => name.includes("/") && !NOT_PAGES.has(name.split("/")[0]) };

// Comments say why, and may name what they forbid: the rules read code only.
function code(source) {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

// What one script does that only lib/ may do; [] when it keeps the rules.
function problems(name, source) {
  const text = code(source);
  const found = [];
  if (/\bclass\s+ApiError\b/.test(text)) found.push("defines its own ApiError (use lib/api.js)");
  if (/\bfetch\s*\(/.test(text) && !MAY_FETCH.has(name)) found.push("calls fetch( (use lib/api.js)");
  if (/getElementById\(\s*["'`][\w-]*-(config|strings)["'`]/.test(text)) {
    found.push('reads a config or strings element itself (use config and t() from lib/page.js)');
  }
  if (/^\s*main\(\)/m.test(text)) found.push("calls main() itself (use run(main) from lib/page.js)");
  if (/^[\w$]+\([^)]*\)\.catch\(/m.test(text)) found.push("starts with .catch() (use run(main))");
  if (/^(?:(?:const|let|var)\s+[^=]+=\s*)?await\s/m.test(text) && !MAY_AWAIT_AT_TOP.has(name)) {
    found.push("awaits at the top level (it would hold up every page that imports it)");
  }
  for (const handler of unguardedAsyncHandlers(text)) {
    found.push(`attaches async ${handler} without guard() (a failure would be silent)`);
  }
  for (const target of PAGES.test(name) ? imports(name, text) : []) {
    const [folder] = target.split("/");
    const own = name.split("/")[0];
    if (["lib", "crypto", own].includes(folder) || MAY_IMPORT.has(`${name} -> ${target}`)) continue;
    found.push(`imports ${target} (a page folder imports only lib/, crypto/ and its own modules)`);
  }
  return found;
}

// Async handlers given to addEventListener bare: inline (`async (e) => …`) or by the name of
// an async function of this script. guard() is what tells the person when one fails.
function unguardedAsyncHandlers(text) {
  const asyncNames = new Set([...text.matchAll(/\basync\s+function\s+([\w$]+)/g)].map((m) => m[1]));
  const attached = /addEventListener\(\s*["'`][\w:-]+["'`]\s*,\s*(async\b|[\w$]+)\s*[,)(=]/g;
  return [...text.matchAll(attached)]
    .map((m) => m[1])
    .filter((handler) => handler === "async" || asyncNames.has(handler))
    .map((handler) => (handler === "async" ? "an inline handler" : handler));
}

// The scripts under mend/static/js that `name` imports by a relative path.
function imports(name, text) {
  // Static imports and dynamic ones (import("./x.js"), a module loaded only when needed).
  const found = text.matchAll(/(?:from\s+|import\(\s*)["'](\.{1,2}\/[^"']+)["']/g);
  return [...found].map((m) => relative(JS, join(JS, name, "..", m[1])));
}

// The page scripts: every script of the survivor and workspace pages that no other script
// imports (those are its modules) is loaded by a page, so it is an entry point and must
// start through run(). Public pages' progressive enhancements (directory, quick exit, time
// zone) are not page scripts of the runtime.
function entryPoints() {
  const imported = new Set([...SOURCES].flatMap(([name, source]) => imports(name, source)));
  return OUTSIDE_LIB.filter((name) => PAGES.test(name) && !imported.has(name)).sort();
}

test("the rules catch each thing they forbid", () => {
  const planted = [
    "export class ApiError extends Error {}",
    "fetch('/api/v1/x').then(show);",
    'const c = JSON.parse(document.getElementById("escrow-config").textContent);',
    "main();",
    "start().catch(explain);",
    "await askOtherTabs();",
    'import { installSession } from "../vault/session.js";',
    'import { readable } from "../escrow/readable.js";',
    'import { day } from "../vault/format.js";',
    'button.addEventListener("click", async () => { await remove("/x"); });',
    'async function save() {}\nform.addEventListener("submit", save);',
  ];
  for (const line of planted) {
    assert.equal(problems("leave/planted.js", `// a page\n${line}\n`).length, 1, line);
  }
  // guard() around an async handler, and a plain (synchronous) one, are fine.
  const guarded = 'async function save() {}\nform.addEventListener("submit", guard(save));\n';
  assert.deepEqual(problems("leave/planted.js", `${guarded}b.addEventListener("click", () => print());\n`), []);
  assert.deepEqual(problems("accounts/planted.js", "// main(); fetch( in a comment\nrun(main);\n"), []);
});

test("no page script outside lib/ has its own ApiError, fetch, config reader, main(), top-level await or sideways import", () => {
  assert.ok(OUTSIDE_LIB.length > 30, "the scripts were found");
  const found = OUTSIDE_LIB.flatMap((name) => problems(name, SOURCES.get(name)).map((p) => `${name}: ${p}`));
  assert.deepEqual(found, []);
});

test("lib/ waits for nothing at the top level, so no page is held up by the runtime", () => {
  for (const name of [...SOURCES.keys()].filter((n) => n.startsWith("lib/"))) {
    assert.doesNotMatch(code(SOURCES.get(name)), /^(?:(?:const|let|var)\s+[^=]+=\s*)?await\s/m, name);
  }
});

test("every page script (one that no other script imports) starts through run()", () => {
  const entries = entryPoints();
  const expectedEntries = [
    ["accounts/login.js", "vault/list.js", "vault/check-receipt.js", "escrow/entry.js"],
    ["counselor/group.js", "leave/checker.js", "leave/letter.js", "leave/policy.js", "certificates/verify.js"],
  ].flat();
  for (const expected of expectedEntries) {
    assert.ok(entries.includes(expected), `${expected} is found as an entry point`);
  }
  const missing = entries.filter((name) => !/^run\(\w+\);?$/m.test(code(SOURCES.get(name))));
  assert.deepEqual(missing, []);
});

test("the allow-lists name only scripts that exist and still need them", () => {
  for (const name of MAY_FETCH.keys()) assert.match(code(SOURCES.get(name) ?? ""), /\bfetch\s*\(/, name);
  for (const pair of MAY_IMPORT.keys()) {
    const [name, target] = pair.split(" -> ");
    assert.ok(imports(name, code(SOURCES.get(name) ?? "")).includes(target), pair);
  }
  for (const name of MAY_AWAIT_AT_TOP.keys()) assert.match(code(SOURCES.get(name) ?? ""), /^await\s/m, name);
});
