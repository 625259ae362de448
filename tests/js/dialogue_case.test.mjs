// The shared case module (mend/static/js/dialogue/case.js and case-core.js): case keys,
// opening a case, sending, vouching and approving, against a stand-in server that keeps
// the real API's rules on who may read what; and, with the Python twin (dialogue_twin.py),
// a message sealed here opens in mend.crypto.dialogue.open_item and the reverse.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import sodium from "../../mend/static/js/crypto/sodium.js";
import * as dialogue from "../../mend/static/js/crypto/dialogue.js";
import * as endorsement from "../../mend/static/js/crypto/endorsement.js";
import * as envelope from "../../mend/static/js/crypto/envelope.js";
import { toHex } from "../../mend/static/js/crypto/bytes.js";
import { fromBase64, toBase64 } from "../../mend/static/js/lib/base64.js";
import * as core from "../../mend/static/js/dialogue/case-core.js";
import { flip, h, project } from "./vectors.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const V = project("dialogue.json");
const CASE = V.items[0].ref.case_id;
const ID = Object.fromEntries(Object.entries(V.participants).map(([name, p]) => [name, p.id]));
const pairOf = (name) => ({
  publicKey: h(V.participants[name].box_public_key),
  secretKey: h(V.participants[name].box_secret_key),
});
// The lead's case key IS her staff key pair: it signs with the staff signing key.
const LEAD_STAFF = pairOf("lead");
const VK = { survivor: h("11".repeat(32)), responsible: h("22".repeat(32)) };
const unlockOf = (name) => (name === "lead" ? core.staffUnlock(LEAD_STAFF) : core.vaultUnlock(VK[name]));

// --- A stand-in page and server --------------------------------------------------------------

const server = { as: null, parties: [], wrapped: new Map(), items: [], sent: [], staff: new Map() };

globalThis.BroadcastChannel = undefined;
globalThis.location = { pathname: "/dialogue/cases/x/" };
globalThis.window = {
  addEventListener() {},
  dispatchEvent() {},
  sessionStorage: { getItem: () => null, setItem() {}, removeItem() {} },
  location: { replace() {} },
};
globalThis.document = {
  getElementById: (id) => (id === "mend-config" ? { textContent: '{"api": "/api/v1/", "urls": {}}' } : null),
  querySelector: () => ({ value: "token" }),
};
globalThis.fetch = async (url, init) => {
  const body = init.body ? JSON.parse(init.body) : null;
  server.sent.push({ url, method: init.method, body });
  const path = url.replace(`/api/v1/dialogue/cases/${CASE}`, "");
  const [status, data] = route(init.method, path, body);
  return new Response(data === null ? null : JSON.stringify(data), { status });
};
const kase = await import("../../mend/static/js/dialogue/case.js");

const me = () => server.parties.find((p) => p.id === server.as);
const isTeam = (p) => ["lead", "co", "specialist"].includes(p.role);

function caseOut() {
  return { id: CASE, stage: 5, state: "open", me: server.as, my_role: me().role, parties: server.parties };
}

function itemOut(item) {
  const sealed = item.reader_keys[server.as] ?? null;
  const team = server.parties.filter((p) => isTeam(p) && p.box_public_key).map((p) => p.id);
  const lacking = item.author === server.as ? team.filter((id) => !item.reader_keys[id]) : [];
  return { ...item, reader_keys: undefined, sealed_key: sealed, screening: item.screening, read: null, lacking };
}

// The real API's rules, shortly: one key per party; an item sealed to exactly the author and
// the team; a party reads what is sealed to him (her); approval adds the recipient's key.
function route(method, path, body) {
  if (method === "GET" && path === "") return [200, caseOut()];
  if (path === "/key") return keyRoute(method, body);
  if (method === "GET" && path === "/items") {
    const mine = server.items.filter((i) => isTeam(me()) || i.reader_keys[server.as]);
    return [200, mine.map(itemOut)];
  }
  if (method === "GET" && path === "/plan") return [200, []];
  if (method === "PUT" && path === "/choices") return [200, { ...body }];
  if (method === "POST" && /^\/items\/[\w-]+\/check-failed$/.test(path)) return [204, null];
  if (method === "POST" && path === "/items") return submit(body);
  const screening = path.match(/^\/items\/([\w-]+)\/screening$/);
  if (method === "POST" && screening) return screen(screening[1], body);
  const shared = path.match(/^\/parties\/([\w-]+)\/shared-keys$/);
  if (method === "POST" && shared) return share(shared[1], body);
  const statement = path.match(/^\/parties\/([\w-]+)\/statement$/);
  if (method === "POST" && statement) {
    server.parties.find((p) => p.id === statement[1]).key_statement = body.signature;
    return [204, null];
  }
  return [404, { code: "not_found" }];
}

// A facilitator's case key is replaced only by her active, vouched staff key (server.staff:
// a participant id to the base64 public key of it), when the registered one is another.
function keyRoute(method, body) {
  if (method === "GET") return [200, { wrapped_secret_key: server.wrapped.get(server.as) ?? null }];
  const staff = server.staff.get(server.as);
  const replacing = staff && staff !== me().box_public_key && body.box_public_key === staff;
  if (server.wrapped.has(server.as) && !replacing) return [409, { code: "key_registered" }];
  if (replacing) {
    const { box_public_key, signing_public_key } = me();
    me().earlier_keys = [...(me().earlier_keys ?? []), { box_public_key, signing_public_key }];
    for (const item of server.items) delete item.reader_keys[server.as];
    for (const p of server.parties) if (me().role === "lead" || p === me()) p.key_statement = null;
  }
  server.wrapped.set(server.as, body.wrapped_secret_key);
  Object.assign(me(), { box_public_key: body.box_public_key, signing_public_key: body.signing_public_key });
  return [204, null];
}

function submit(body) {
  const about = body.about ? server.items.find((i) => i.id === body.about) : null;
  const readers = server.parties.filter(
    (p) =>
      p.box_public_key &&
      !server.retired?.has(p.id) &&
      (p.id === server.as || isTeam(p) || p.id === about?.author || (body.kind === "plan-item" && p.role !== "former")),
  );
  const expected = readers.map((p) => p.id).sort();
  if (JSON.stringify(Object.keys(body.reader_keys).sort()) !== JSON.stringify(expected)) {
    return [400, { code: "wrong_readers" }];
  }
  const item = { ...body, author: server.as, screening: "pending", return_reason: "", created_at: "t", size: 1 };
  server.items.push(item);
  return [201, itemOut(item)];
}

function screen(itemId, body) {
  const item = server.items.find((i) => i.id === itemId);
  const author = server.parties.find((p) => p.id === item.author);
  const recipient = server.parties.find((p) => p.role === (author.role === "survivor" ? "responsible" : "survivor"));
  item.screening = body.decision;
  if (body.decision === "approved") item.reader_keys[recipient.id] = body.recipient_key;
  if (body.decision === "returned") item.return_reason = body.return_reason;
  if (body.note) {
    const [status, out] = submit(body.note);
    if (status !== 201) return [status, out];
  }
  return [200, itemOut(item)];
}

// The lead shares with the co-facilitator; a party shares her own items with a facilitator;
// a key the reader holds already is kept.
function share(coId, body) {
  if (isTeam(me()) && me().role !== "lead") return [404, { code: "not_found" }];
  const reader = server.parties.find((p) => p.id === coId);
  if (me().role === "lead" && (!isTeam(reader) || reader.role === "lead")) return [400, { code: "not_co_facilitator" }];
  if (!isTeam(me())) {
    if (!isTeam(reader)) return [400, { code: "not_team" }];
    const theirs = Object.keys(body.keys).some((id) => server.items.find((i) => i.id === id).author !== server.as);
    if (theirs) return [400, { code: "not_author" }];
  }
  let added = 0;
  for (const [itemId, sealed] of Object.entries(body.keys)) {
    const item = server.items.find((i) => i.id === itemId);
    if (!item.reader_keys[coId]) (item.reader_keys[coId] = sealed), added++;
  }
  return [200, { added }];
}

const party = (name, role) => ({ id: ID[name], role, box_public_key: null, signing_public_key: null, key_statement: null });

function freshServer() {
  server.parties = [party("survivor", "survivor"), party("lead", "lead"), party("responsible", "responsible")];
  Object.assign(server, { as: null, wrapped: new Map(), items: [], sent: [], staff: new Map(), retired: new Set() });
}

beforeEach(freshServer);

async function keyOf(name) {
  server.as = ID[name];
  return kase.ensureCaseKey(CASE, unlockOf(name));
}

// Everyone registers a key; the lead compares fingerprints and vouches for both parties.
async function vouchedCase() {
  const keys = {};
  for (const name of ["lead", "survivor", "responsible"]) keys[name] = await keyOf(name);
  server.as = ID.lead;
  const ctx = await kase.openCase(CASE, keys.lead, { trustStaff: honestTeam() });
  for (const p of ctx.parties.filter((p) => p.role !== "lead")) {
    await kase.vouchFor(ctx, p, kase.fingerprint(p));
  }
  return keys;
}

async function caseAs(name, keys) {
  server.as = ID[name];
  return kase.openCase(CASE, keys[name], { trustStaff: honestTeam() });
}

function twin(request) {
  const env = { ...process.env, PYTHONPATH: ROOT };
  const python = `${ROOT}.venv/bin/python`;
  const out = execFileSync(python, ["tests/js/dialogue_twin.py"], { cwd: ROOT, env, input: JSON.stringify(request) });
  return JSON.parse(out.toString());
}

// --- Keys --------------------------------------------------------------------------------------

test("a survivor's case key is made once, registered wrapped by her vault key, and loaded again", async () => {
  const made = await keyOf("survivor");
  const [put] = server.sent.filter((s) => s.method === "PUT");
  assert.equal(put.body.box_public_key, toBase64(made.publicKey));
  assert.equal(toHex(made.signing.publicKey), toHex(dialogue.signingKeypair(made.secretKey).publicKey));
  assert.ok(!JSON.stringify(put.body).includes(toBase64(made.secretKey)), "the secret travels only wrapped");
  const loaded = await keyOf("survivor");
  assert.equal(toHex(loaded.secretKey), toHex(made.secretKey));
  assert.equal(server.sent.filter((s) => s.method === "PUT").length, 1);
});

test("a wrapped key does not open with another vault key, and a listing of other keys is refused", async () => {
  await keyOf("survivor");
  const wrapped = server.wrapped.get(ID.survivor);
  const stranger = core.decodeParty(server.parties[0]);
  assert.throws(() => core.loadCaseKey(core.vaultUnlock(VK.responsible), stranger, wrapped), { code: "key_does_not_open" });
  const swapped = { ...stranger, signingKey: h(V.participants.responsible.signing_public_key) };
  assert.throws(() => core.loadCaseKey(core.vaultUnlock(VK.survivor), swapped, wrapped), { code: "key_mismatch" });
});

test("a facilitator's case key is her staff key pair, signing with the key the staff chain endorses", async () => {
  const keys = await keyOf("lead");
  assert.equal(toHex(keys.publicKey), toHex(LEAD_STAFF.publicKey));
  assert.equal(toHex(keys.signing.publicKey), toHex(endorsement.signingKeypair(LEAD_STAFF.secretKey).publicKey));
  const lead = core.decodeParty(server.parties[1]);
  assert.equal(kase.fingerprint(lead), endorsement.fingerprint(LEAD_STAFF.publicKey, keys.signing.publicKey));
  const otherStaff = core.staffUnlock(envelope.boxKeypair(h("33".repeat(32))));
  assert.throws(() => core.loadCaseKey(otherStaff, lead, server.wrapped.get(ID.lead)), { code: "key_does_not_open" });
});

// --- Vouching ------------------------------------------------------------------------------------

test("the lead vouches only for the fingerprint she compared, and the statement verifies as Python's does", async () => {
  const keys = {};
  for (const name of ["lead", "survivor"]) keys[name] = await keyOf(name);
  server.as = ID.lead;
  const ctx = await kase.openCase(CASE, keys.lead, { trustStaff: honestTeam() });
  const survivor = ctx.parties.find((p) => p.role === "survivor");
  assert.equal(kase.checkParty(ctx, survivor), false);
  assert.throws(() => kase.vouchFor(ctx, survivor, "0000 0000 0000 0000 0000 0000 0000 0000"), { code: "fingerprint_differs" });
  await kase.vouchFor(ctx, survivor, kase.fingerprint(survivor));
  const signature = fromBase64(server.parties[0].key_statement);
  dialogue.verifyKeyStatement(signature, keys.lead.signing.publicKey, CASE, ID.survivor, "survivor", keys.survivor.publicKey, keys.survivor.signing.publicKey);
  const again = await kase.openCase(CASE, keys.lead, { trustStaff: honestTeam() });
  assert.equal(kase.checkParty(again, again.parties.find((p) => p.role === "survivor")), true);
});

test("only the lead vouches", async () => {
  const keys = await vouchedCase();
  const ctx = await caseAs("survivor", keys);
  assert.throws(() => kase.vouchFor(ctx, ctx.parties[2], kase.fingerprint(ctx.parties[2])), { code: "not_lead" });
});

// --- A message from her to him -----------------------------------------------------------------

test("her message is sealed to her and the team only; approved, he reads her words, her warning and her name for the case", async () => {
  const keys = await vouchedCase();
  const survivor = await caseAs("survivor", keys);
  const stored = await kase.send(survivor, { kind: "message", text: "You hurt me.", warning: "It names what he did", name: "Ana" });
  assert.deepEqual(Object.keys(server.items[0].reader_keys).sort(), [ID.survivor, ID.lead].sort());
  let him = await caseAs("responsible", keys);
  assert.equal(him.items.length, 0, "he cannot load it before approval");
  const lead = await caseAs("lead", keys);
  const [pending] = lead.items;
  assert.equal(pending.text, "You hurt me.");
  await kase.approve(lead, pending);
  him = await caseAs("responsible", keys);
  assert.deepEqual([him.items[0].id, him.items[0].text, him.items[0].warning], [stored.id, "You hurt me.", "It names what he did"]);
  assert.equal(kase.survivorName(him), "Ana", "he sees her only under the name she chose");
  const mine = await caseAs("survivor", keys);
  assert.equal(mine.items[0].text, "You hurt me.");
});

test("a returned message is rewritten as the next revision naming the one it replaces", async () => {
  const keys = await vouchedCase();
  const survivor = await caseAs("survivor", keys);
  const first = await kase.send(survivor, { kind: "message", text: "first words" });
  const lead = await caseAs("lead", keys);
  await kase.returnItem(lead, lead.items[0], "identifying");
  const again = await caseAs("survivor", keys);
  assert.deepEqual([again.items[0].screening, again.items[0].returnReason], ["returned", "identifying"]);
  await kase.revise(again, again.items[0], { text: "second words" });
  const posted = server.sent.at(-1).body;
  assert.deepEqual([posted.replaces, posted.revision, posted.kind], [first.id, 2, "message"]);
  const opened = (await caseAs("lead", keys)).items[1];
  assert.deepEqual([opened.text, opened.revision], ["second words", 2]);
});

test("a return's note is sealed to the author and the team only, and a note the server moves is refused", async () => {
  const keys = await vouchedCase();
  const survivor = await caseAs("survivor", keys);
  const returned = await kase.send(survivor, { kind: "message", text: "first words" });
  const other = await kase.send(survivor, { kind: "message", text: "other words" });
  const lead = await caseAs("lead", keys);
  const item = lead.items.find((i) => i.id === returned.id);
  await kase.returnItem(lead, item, "other", "  Leave out where he works.  ");
  const note = server.items.find((i) => i.kind === "return-note");
  assert.equal(server.sent.at(-1).body.note.id, note.id, "sent with the return, in one request");
  assert.deepEqual(Object.keys(note.reader_keys).sort(), [ID.survivor, ID.lead].sort());
  assert.equal(note.about, returned.id);
  const her = await caseAs("survivor", keys);
  const byId = (ctx, id) => ctx.items.find((i) => i.id === id);
  assert.equal(kase.noteOn(her, byId(her, returned.id)), "Leave out where he works.");
  assert.equal(kase.noteOn(her, byId(her, other.id)), "");
  assert.equal((await caseAs("responsible", keys)).items.length, 0, "he reads neither");
  await kase.returnItem(await caseAs("lead", keys), byId(lead, other.id), "excuses", "   ");
  assert.equal(server.sent.at(-1).body.note, undefined, "no words, no note");

  note.about = other.id; // the server moves the note to her other message
  const moved = await caseAs("survivor", keys);
  assert.equal(byId(moved, note.id).refused, "malformed");
  assert.equal(kase.noteOn(moved, byId(moved, other.id)), "");
});

test("nothing is sealed to a team key the case does not vouch for, nor sent before the team has a key", async () => {
  const survivorKey = await keyOf("survivor");
  const ctx = await kase.openCase(CASE, survivorKey, { trustStaff: honestTeam() });
  assert.throws(() => core.sealForCase(ctx, { kind: "message", text: "x" }), { code: "no_team_key" });
  const keys = await vouchedCase();
  server.parties.push({ ...party("survivor", "co"), id: "0d6f1b7e-8a4e-4b43-9d5f-2a1f6a3c9e10", box_public_key: toBase64(h("44".repeat(32))), signing_public_key: toBase64(h("55".repeat(32))) });
  const withCo = await caseAs("survivor", keys);
  assert.throws(() => core.sealForCase(withCo, { kind: "message", text: "x" }), { code: "unvouched_reader" });
});

test("a facilitator approves only to a recipient the lead vouched for", async () => {
  const keys = {};
  for (const name of ["lead", "survivor", "responsible"]) keys[name] = await keyOf(name);
  server.as = ID.lead;
  let lead = await kase.openCase(CASE, keys.lead, { trustStaff: honestTeam() });
  await kase.vouchFor(lead, lead.parties[0], kase.fingerprint(lead.parties[0]));
  await kase.send(await caseAs("survivor", keys), { kind: "message", text: "to him" });
  lead = await caseAs("lead", keys);
  assert.throws(() => core.approvalFor(lead, lead.items[0]), { code: "unvouched_reader" });
});

test("a co-facilitator who joins late opens earlier items once the lead, having vouched for her, shares them", async () => {
  const keys = await vouchedCase();
  await kase.send(await caseAs("survivor", keys), { kind: "message", text: "before she came" });
  const CO = "0d6f1b7e-8a4e-4b43-9d5f-2a1f6a3c9e10";
  server.parties.push({ id: CO, role: "co", box_public_key: null, signing_public_key: null, key_statement: null });
  server.as = CO;
  const coKey = await kase.ensureCaseKey(CASE, core.staffUnlock(envelope.boxKeypair(h("66".repeat(32)))));
  assert.equal((await kase.openCase(CASE, coKey, { trustStaff: honestTeam() })).items[0].text, undefined, "not hers to open yet");
  let lead = await caseAs("lead", keys);
  const co = () => lead.parties.find((p) => p.role === "co");
  assert.throws(() => core.sharesFor(lead, co(), lead.items), { code: "unvouched_reader" });
  assert.throws(() => core.sharesFor(lead, lead.parties[0], lead.items), { code: "not_co_facilitator" });
  await kase.vouchFor(lead, co(), kase.fingerprint(co()));
  lead = await caseAs("lead", keys);
  assert.equal(await kase.shareEarlierItems(lead, co()), 1);
  server.as = CO;
  assert.equal((await kase.openCase(CASE, coKey, { trustStaff: honestTeam() })).items[0].text, "before she came");
  const survivor = await caseAs("survivor", keys);
  assert.throws(() => core.sharesFor(survivor, co(), survivor.items), { code: "not_lead" });
});

test("a survivor specialist joins the team: the lead vouches for her key and shares what came before", async () => {
  const keys = await vouchedCase();
  await kase.send(await caseAs("survivor", keys), { kind: "message", text: "before the specialist" });
  const SPECIALIST = "2c4e6a8b-0d1f-4a3b-8c5d-7e9f1a2b3c4d";
  server.parties.push({ id: SPECIALIST, role: "specialist", box_public_key: null, signing_public_key: null, key_statement: null });
  server.as = SPECIALIST;
  const own = await kase.ensureCaseKey(CASE, core.staffUnlock(envelope.boxKeypair(h("99".repeat(32)))));
  let lead = await caseAs("lead", keys);
  const specialist = () => lead.parties.find((p) => p.role === "specialist");
  assert.throws(() => core.sharesFor(lead, lead.parties.find((p) => p.role === "lead"), lead.items), { code: "not_co_facilitator" });
  await kase.vouchFor(lead, specialist(), kase.fingerprint(specialist()));
  lead = await caseAs("lead", keys);
  assert.equal(await kase.shareEarlierItems(lead, specialist()), 1);
  server.as = SPECIALIST;
  assert.equal((await kase.openCase(CASE, own, { trustStaff: honestTeam() })).items[0].text, "before the specialist");
  const hers = await caseAs("survivor", keys);
  assert.ok(core.initialReaders(hers, "message").some((p) => p.role === "specialist"), "sealed to her from now on");
});

// --- The lead's key: an endorsed staff key, its chain checked here -----------------------------

function teamKeysFor(staffPair, signer, endorsedBy = null, keyId = "7b1d2c3e-4f50-4a61-8b72-9c83d4e5f607", ownerId = FRANK) {
  const key = {
    keyId,
    ownerId,
    publicKey: staffPair.publicKey,
    signingPublicKey: endorsement.signingKeypair(staffPair.secretKey).publicKey,
  };
  const record = {
    id: key.keyId,
    counselor_id: key.ownerId,
    public_key: toBase64(key.publicKey),
    signing_public_key: toBase64(key.signingPublicKey),
    endorsed_by: endorsedBy,
    endorsement: toBase64(endorsement.signEndorsement(signer.privateKey, key)),
    sealable: true,  // an active staff key of the case's team
  };
  return { operator_public_key: toBase64(OPERATOR.publicKey), keys: [record] };
}

const OPERATOR = sodium.crypto_sign_seed_keypair(new Uint8Array(32).fill(9));
const FRANK = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";

test("the lead's key is trusted only as an endorsed staff key whose chain reaches the operator", async () => {
  const keys = await vouchedCase();
  const good = core.staffTrustFrom(teamKeysFor(LEAD_STAFF, OPERATOR));
  server.as = ID.survivor;
  const trusted = await kase.openCase(CASE, keys.survivor, { trustStaff: good });
  const lead = trusted.parties.find((p) => p.role === "lead");
  assert.equal(kase.checkParty(trusted, lead), true);
  await kase.send(trusted, { kind: "message", text: "sealed to an endorsed lead" });
  const stranger = sodium.crypto_sign_seed_keypair(new Uint8Array(32).fill(7));
  for (const teamKeys of [teamKeysFor(LEAD_STAFF, stranger), { operator_public_key: toBase64(OPERATOR.publicKey), keys: [] }]) {
    const ctx = await kase.openCase(CASE, keys.survivor, { trustStaff: core.staffTrustFrom(teamKeys) });
    assert.equal(kase.checkParty(ctx, lead), false);
    assert.throws(() => core.sealForCase(ctx, { kind: "message", text: "x" }), { code: "unvouched_reader" });
  }
  const swapped = core.staffTrustFrom(teamKeysFor(envelope.boxKeypair(h("77".repeat(32))), OPERATOR));
  const ctx = await kase.openCase(CASE, keys.survivor, { trustStaff: swapped });
  assert.equal(kase.checkParty(ctx, lead), false, "an endorsed key that is not the listed lead's");
});

test("a facilitator taken off the case: what she wrote is still checked by her staff key, and nothing more is sealed to her", async () => {
  const keys = await vouchedCase();
  const lead = await caseAs("lead", keys);
  await kase.send(lead, { kind: "plan-item", text: "A written apology.", planKind: "apology", dueOn: "2027-03-01" });
  server.parties.find((p) => p.role === "lead").role = "former";  // a supervisor took her off
  server.as = ID.survivor;
  const trustStaff = core.staffTrustFrom(teamKeysFor(LEAD_STAFF, OPERATOR));
  const hers = await kase.openCase(CASE, keys.survivor, { trustStaff });
  assert.equal(hers.items[0].text, "A written apology.");
  const former = hers.parties.find((p) => p.role === "former");
  assert.equal(kase.checkParty(hers, former), true);
  assert.deepEqual(core.initialReaders(hers, "message").map((p) => p.role), ["survivor"]);
  assert.deepEqual(core.initialReaders(hers, "plan-item").map((p) => p.role).sort(), ["responsible", "survivor"]);
  assert.throws(() => core.sealForCase(hers, { kind: "message", text: "x" }), { code: "no_team_key" });
  const unchecked = await kase.openCase(CASE, keys.survivor);
  assert.equal(unchecked.items[0].text, undefined, "a former facilitator is never trusted as listed");
  assert.equal(unchecked.items[0].refused, "unvouched_author");
  const stranger = sodium.crypto_sign_seed_keypair(new Uint8Array(32).fill(7));
  const forged = await kase.openCase(CASE, keys.survivor, { trustStaff: core.staffTrustFrom(teamKeysFor(LEAD_STAFF, stranger)) });
  assert.equal(forged.items[0].text, undefined, "nor by a chain that does not reach the operator");
});

test("after the lead is taken off, her browser lets the new lead read what she wrote, and only that", async () => {
  const keys = await vouchedCase();
  await kase.send(await caseAs("survivor", keys), { kind: "message", text: "before the new lead" });
  await kase.send(await caseAs("responsible", keys), { kind: "message", text: "his, not hers to share" });
  server.parties.find((p) => p.role === "lead").role = "former";  // a supervisor took her off
  const HANA = "5e0c2a9d-7b3f-4c1e-9a8d-6f2b4c1e0a77";
  const hanaStaff = envelope.boxKeypair(h("88".repeat(32)));
  server.parties.push({ id: HANA, role: "lead", box_public_key: null, signing_public_key: null, key_statement: null });
  server.as = HANA;
  const hanaKey = await kase.ensureCaseKey(CASE, core.staffUnlock(hanaStaff));
  const trustStaff = core.staffTrustFrom({
    operator_public_key: toBase64(OPERATOR.publicKey),
    keys: [...teamKeysFor(LEAD_STAFF, OPERATOR).keys, ...teamKeysFor(hanaStaff, OPERATOR, null, HANA).keys],
  });
  server.as = ID.survivor;
  const notHers = core.staffTrustFrom(teamKeysFor(LEAD_STAFF, OPERATOR));  // no chain for hana's key
  const unchecked = await kase.openCase(CASE, keys.survivor, { trustStaff: notHers });
  assert.deepEqual(core.lackingFacilitators(unchecked), []);
  assert.throws(() => core.ownSharesFor(unchecked, unchecked.parties.find((p) => p.id === HANA)), { code: "unvouched_reader" });
  const hers = await kase.openCase(CASE, keys.survivor, { trustStaff });
  assert.deepEqual(core.lackingFacilitators(hers).map((p) => p.id), [HANA]);
  assert.throws(() => core.ownSharesFor(hers, hers.parties.find((p) => p.role === "responsible")), { code: "not_team" });
  assert.equal(await kase.shareMyEarlierItems(hers), 1);
  assert.deepEqual(core.lackingFacilitators(await kase.openCase(CASE, keys.survivor, { trustStaff })), []);
  server.as = HANA;
  let lead = await kase.openCase(CASE, hanaKey, { trustStaff });
  const survivor = lead.parties.find((p) => p.role === "survivor");
  assert.equal(lead.items.find((i) => i.author === survivor.id).refused, "unvouched_author");
  await kase.vouchFor(lead, survivor, kase.fingerprint(survivor));  // she compared them again
  lead = await kase.openCase(CASE, hanaKey, { trustStaff });
  const shown = lead.items.map((i) => i.text);
  assert.ok(shown.includes("before the new lead"), "hers, shared by her");
  assert.ok(!shown.includes("his, not hers to share"), "his stays his to share");
});

// --- A server that lists a lead key of its own: its key statements count for nothing ----------

// Keys the server made itself: no chain of endorsements reaches them.
const serverKeys = (byte) => {
  const pair = envelope.boxKeypair(h(byte.repeat(32)));
  return { ...pair, signing: endorsement.signingKeypair(pair.secretKey) };
};
const listKeys = (p, keys) =>
  Object.assign(p, { box_public_key: toBase64(keys.publicKey), signing_public_key: toBase64(keys.signing.publicKey) });
const statementBy = (signer, p) =>
  toBase64(dialogue.signKeyStatement(signer.signing.secretKey, CASE, p.id, p.role, fromBase64(p.box_public_key), fromBase64(p.signing_public_key)));
const MALLORY_CO = "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d";

// The server lists a lead key of its own, lists its own keys as `forgedRole`'s, adds a
// co-facilitator of its own, and signs a key statement with its "lead" key for every party
// but the lead (its own keys and the real ones alike, so what they wrote still opens).
function forgeLead(forgedRole) {
  const fakeLead = serverKeys("66");
  const fake = serverKeys("67");
  listKeys(server.parties.find((p) => p.role === "lead"), fakeLead);
  listKeys(server.parties.find((p) => p.role === forgedRole), fake);
  server.parties.push(listKeys({ id: MALLORY_CO, role: "co", key_statement: null }, serverKeys("68")));
  for (const p of server.parties.filter((p) => p.role !== "lead")) p.key_statement = statementBy(fakeLead, p);
  return fake;
}

// A message the server writes as `authorRole`, signed by `signer`, sealed to one reader.
function forgedItem(authorRole, signer, reader, readerKey, itemId = "0d9c8b7a-6f5e-4d3c-8b2a-1f0e9d8c7b6a") {
  const author = server.parties.find((p) => p.role === authorRole).id;
  const ref = dialogue.itemRef(CASE, itemId, author, "message", 1);
  const sealed = dialogue.sealItem(ref, core.encodePayload("FORGED words"), signer.secretKey, new Map([[reader, readerKey]]));
  const wire = { body: sealed.body, signature: sealed.signature, commitment: sealed.commitment };
  server.items.push({
    ...Object.fromEntries(Object.entries(wire).map(([name, bytes]) => [name, toBase64(bytes)])),
    id: itemId, kind: "message", revision: 1, author, screening: "approved", return_reason: "", created_at: "t", size: 1,
    reader_keys: { [reader]: toBase64(sealed.readerKeys.get(reader)) },
  });
}

const honestTeam = () => core.staffTrustFrom(teamKeysFor(LEAD_STAFF, OPERATOR));
const PLAN = { planKind: "apology", dueOn: "2027-03-01" };
// What a browser sends that seals a key to someone: an item, a share, an approval.
const sealings = () => server.sent.filter((r) => r.method === "POST" && /\/items$|\/shared-keys$|\/screening$/.test(r.url));

test("a key statement counts only if the lead's key that signed it checks out: her words never go to the server's keys", async () => {
  const keys = await vouchedCase();
  await kase.send(await caseAs("survivor", keys), { kind: "message", text: "before the server turned" });
  const fake = forgeLead("responsible");
  forgedItem("responsible", fake.signing, ID.survivor, keys.survivor.publicKey);
  server.as = ID.survivor;
  server.sent.length = 0;
  const hers = await kase.openCase(CASE, keys.survivor, { trustStaff: honestTeam() });
  for (const role of ["lead", "co", "responsible"]) {
    assert.equal(kase.checkParty(hers, hers.parties.find((p) => p.role === role)), false, role);
  }
  const forged = hers.items.find((i) => i.authorRole === "responsible");
  assert.equal(forged.text, undefined, "words the server wrote as his are not shown");
  assert.equal(forged.refused, "unvouched_author");
  assert.deepEqual(core.lackingFacilitators(hers), [], "she is not asked to let the server's co-facilitator read");
  assert.throws(() => core.ownSharesFor(hers, hers.parties.find((p) => p.id === MALLORY_CO)), { code: "unvouched_reader" });
  assert.equal(await kase.shareMyEarlierItems(hers), 0);
  for (const kind of ["message", "plan-item"]) {
    assert.throws(() => core.sealForCase(hers, { kind, text: "x", ...PLAN }), { code: "unvouched_reader" });
  }
  // Nor when the server also lists its lead key as a retired staff key, so that the lead is
  // left out of the readers and only its own keys would be sealed to.
  const retired = teamKeysFor(LEAD_STAFF, OPERATOR);
  const fakeLeadBox = server.parties.find((p) => p.role === "lead").box_public_key;
  retired.keys.push({ ...retired.keys[0], id: "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", public_key: fakeLeadBox, sealable: false });
  const left = await kase.openCase(CASE, keys.survivor, { trustStaff: core.staffTrustFrom(retired) });
  assert.ok(!core.initialReaders(left, "message").some((p) => p.role === "lead"), "the lead is left out of the readers");
  for (const kind of ["message", "plan-item"]) {
    assert.throws(() => core.sealForCase(left, { kind, text: "x", ...PLAN }), { code: "unvouched_reader" });
  }
  assert.deepEqual(sealings(), [], "nothing was sealed to anyone");
});

test("the server's lead key vouches for no survivor key, seen from his side, a co-facilitator's or the lead's own", async () => {
  const keys = await vouchedCase();
  const ANA = "3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b";
  server.parties.push({ id: ANA, role: "co", box_public_key: null, signing_public_key: null, key_statement: null });
  server.as = ANA;
  const anaKey = await kase.ensureCaseKey(CASE, core.staffUnlock(envelope.boxKeypair(h("55".repeat(32)))));
  const lead = await caseAs("lead", keys);
  const ana = lead.parties.find((p) => p.id === ANA);
  await kase.vouchFor(lead, ana, kase.fingerprint(ana));
  await kase.send(await caseAs("responsible", keys), { kind: "message", text: "his words" });
  const fake = forgeLead("survivor");
  forgedItem("survivor", fake.signing, ID.responsible, keys.responsible.publicKey);
  server.sent.length = 0;
  server.as = ID.responsible;
  const his = await kase.openCase(CASE, keys.responsible, { trustStaff: honestTeam() });
  assert.equal(kase.checkParty(his, his.parties.find((p) => p.role === "survivor")), false);
  const forged = his.items.find((i) => i.authorRole === "survivor");
  assert.equal(forged.text, undefined, "words the server wrote as hers are not shown to him");
  assert.equal(forged.refused, "unvouched_author");
  // The team's browsers approve nothing to the server's "survivor": his words stay theirs.
  for (const [id, keypair] of [[ANA, anaKey], [ID.lead, keys.lead]]) {
    server.as = id;
    const ctx = await kase.openCase(CASE, keypair, { trustStaff: honestTeam() });
    assert.equal(kase.checkParty(ctx, ctx.parties.find((p) => p.role === "survivor")), false);
    const item = ctx.items.find((i) => i.authorRole === "responsible");
    assert.throws(() => core.approvalFor(ctx, item), { code: "not_opened" });
  }
  assert.deepEqual(sealings(), [], "nothing was sealed to anyone");
});

test("earlier keys check only what the same endorsed person signed, and never vouch for a key", async () => {
  // A regression guard (it held before key statements were checked against an endorsed lead).
  const keys = await vouchedCase();
  const mallory = serverKeys("69");
  const itemNo = (id) => `${id}-0d9c-4b8c-9d0e-1f2a3b4c5d6e`;
  for (const p of server.parties) {
    p.earlier_keys = [{ box_public_key: toBase64(mallory.publicKey), signing_public_key: toBase64(mallory.signing.publicKey) }];
  }
  forgedItem("responsible", mallory.signing, ID.survivor, keys.survivor.publicKey, itemNo("1d9c8b7a"));
  forgedItem("lead", mallory.signing, ID.survivor, keys.survivor.publicKey, itemNo("2d9c8b7a"));
  server.as = ID.survivor;
  let hers = await kase.openCase(CASE, keys.survivor, { trustStaff: honestTeam() });
  assert.equal(hers.items.find((i) => i.id === itemNo("1d9c8b7a")).refused, "bad_signature", "his earlier key: not a staff key");
  assert.equal(hers.items.find((i) => i.id === itemNo("2d9c8b7a")).refused, "bad_signature", "no chain reaches it");
  // The lead's key was replaced: her earlier, endorsed key of hers signs no key statement now.
  const lead = server.parties.find((p) => p.role === "lead");
  listKeys(lead, { ...NEW_STAFF, signing: endorsement.signingKeypair(NEW_STAFF.secretKey) });
  const responsible = listKeys(server.parties.find((p) => p.role === "responsible"), mallory);
  responsible.key_statement = statementBy({ signing: endorsement.signingKeypair(LEAD_STAFF.secretKey) }, responsible);
  hers = await kase.openCase(CASE, keys.survivor, { trustStaff: core.staffTrustFrom(retiredAndNew()) });
  assert.equal(kase.checkParty(hers, hers.parties.find((p) => p.role === "lead")), true, "her new key is endorsed");
  assert.equal(kase.checkParty(hers, hers.parties.find((p) => p.role === "responsible")), false);
  assert.throws(() => core.sealForCase(hers, { kind: "plan-item", text: "x", ...PLAN }), { code: "unvouched_reader" });
});

// --- Refusals: nothing unverified is shown -----------------------------------------------------

async function tampered(change) {
  freshServer();
  const keys = await vouchedCase();
  await kase.send(await caseAs("survivor", keys), { kind: "message", text: "CANARY words" });
  const lead = await caseAs("lead", keys);
  await kase.approve(lead, lead.items[0]);
  change(server.items[0]);
  server.sent.length = 0;
  const him = await caseAs("responsible", keys);
  assert.equal(him.items[0].text, undefined);
  assert.ok(!JSON.stringify(him.items.map(({ raw, ...shown }) => shown)).includes("CANARY"));
  const reports = server.sent.filter((r) => r.url.endsWith(`/items/${him.items[0].id}/check-failed`));
  const reported = reports.map((r) => [r.method, r.body.code]);
  const refused = him.items[0].refused;
  const altered = ["bad_signature", "does_not_open", "malformed"].includes(refused);
  assert.deepEqual(reported, altered ? [["POST", refused]] : []);  // a normal wait is no alarm
  return refused;
}

const alter = (text) => toBase64(flip(fromBase64(text), 40));

test("her choices go to the server as she made them, the letter bank included", async () => {
  await kase.setChoices({ caseId: CASE }, { tellRead: 1, tellPlanOutcome: 0, format: "letter_bank" });
  const sent = server.sent.at(-1);
  assert.equal(sent.method, "PUT");
  assert.match(sent.url, /\/choices$/);
  assert.deepEqual(sent.body, { tell_read: true, tell_plan_outcome: false, format: "letter_bank" });
});

test("an altered body is refused", async () => {
  assert.equal(await tampered((i) => (i.body = alter(i.body))), "bad_signature");
});

test("an altered signature is refused", async () => {
  assert.equal(await tampered((i) => (i.signature = alter(i.signature))), "bad_signature");
});

test("an altered sealed key is refused", async () => {
  assert.equal(await tampered((i) => (i.reader_keys[ID.responsible] = alter(i.reader_keys[ID.responsible]))), "does_not_open");
});

test("an author key the lead did not vouch for is refused, and so is one swapped after vouching", async () => {
  const swapped = await tampered(() => {
    server.parties[0].signing_public_key = toBase64(h(V.participants.responsible.signing_public_key));
  });
  assert.equal(swapped, "unvouched_author");
  assert.equal(await tampered(() => (server.parties[0].key_statement = null)), "unvouched_author");
});

test("a payload that is not the agreed JSON is refused, not shown", () => {
  assert.throws(() => core.decodePayload(new TextEncoder().encode('"just a string"')), { code: "malformed" });
  assert.deepEqual(core.decodePayload(core.encodePayload("hi", "careful")), { text: "hi", warning: "careful", name: "", about: "" });
});

// --- The Python twin -----------------------------------------------------------------------------

test("a message sealed here opens in Python's open_item, and an altered one is refused there", async () => {
  const keys = await vouchedCase();
  const survivor = await caseAs("survivor", keys);
  const body = core.sealForCase(survivor, { kind: "message", text: "en sus palabras", warning: "w" });
  const request = {
    op: "open",
    case_id: CASE,
    item_id: body.id,
    author_id: ID.survivor,
    kind: "message",
    revision: 1,
    body: body.body,
    signature: body.signature,
    commitment: body.commitment,
    sealed_key: body.reader_keys[ID.lead],
    reader_id: ID.lead,
    reader_public: toHex(keys.lead.publicKey),
    reader_secret: toHex(keys.lead.secretKey),
    author_signing_key: toHex(keys.survivor.signing.publicKey),
  };
  const opened = twin(request);
  assert.deepEqual(JSON.parse(opened.plaintext), { text: "en sus palabras", warning: "w" });
  assert.equal(twin({ ...request, body: alter(body.body) }).ok, false);
  assert.equal(twin({ ...request, signature: alter(body.signature) }).ok, false);
  assert.equal(twin({ ...request, sealed_key: alter(body.reader_keys[ID.lead]) }).ok, false);
});

test("an item Python seals opens here, also from a lead signing with her staff key", async () => {
  const keys = await vouchedCase();
  const readers = { [ID.survivor]: toHex(keys.survivor.publicKey), [ID.lead]: toHex(keys.lead.publicKey) };
  const plan = { op: "seal", case_id: CASE, kind: "message", revision: 1, readers };
  const fromLead = { ...plan, item_id: crypto.randomUUID(), author_id: ID.lead, staff: true };
  const sealed = twin({ ...fromLead, author_secret: toHex(LEAD_STAFF.secretKey), plaintext: '{"text": "from the team"}' });
  const raw = { ...fromLead, ...sealed, id: fromLead.item_id, author: ID.lead, screening: "", sealed_key: sealed.reader_keys[ID.survivor] };
  const survivor = await caseAs("survivor", keys);
  assert.equal(core.openOne(survivor, raw).text, "from the team");
  // The same item signed by the dialogue derivation is not the lead's listed signing key.
  const other = twin({ ...fromLead, staff: false, author_secret: toHex(LEAD_STAFF.secretKey), plaintext: '{"text": "x"}' });
  const wrong = { ...raw, ...other, sealed_key: other.reader_keys[ID.survivor] };
  assert.equal(core.openOne(survivor, wrong).refused, "bad_signature");
});

// --- Her copy of the dialogue ------------------------------------------------------------------

test("her copy holds her words, the plan and the team's notes to her, his only when she asks, each after its warning", async () => {
  const { copyText } = await import("../../mend/static/js/dialogue/survivor/copy.js");
  const item = (id, author, authorRole, kind, createdAt, extra = {}) => ({ id, author, authorRole, kind, createdAt, ...extra });
  const ctx = {
    me: { id: "her" },
    items: [
      item("2", "him", "responsible", "message", "2026-11-02T10:00:00Z", { text: "His words.", warning: "Hard" }),
      item("1", "her", "survivor", "message", "2026-11-01T10:00:00Z", { text: "My words." }),
      item("3", "lead", "lead", "plan-item", "2026-11-03T10:00:00Z", { text: "A written apology." }),
      item("4", "him", "responsible", "letter", "2026-11-04T10:00:00Z", { refused: "bad_signature" }),
      item("5", "him", "responsible", "letter", "2026-11-05T10:00:00Z"), // not opened here
      item("6", "lead", "lead", "assessment", "2026-11-06T10:00:00Z", { text: "never hers" }),
      item("7", "lead", "lead", "return-note", "2026-11-01T11:00:00Z", { text: "Leave out the street.", about: "1" }),
    ],
  };
  const words = (code, values = {}) => `[${code}${Object.values(values).map((v) => ` ${v}`).join("")}]`;
  const options = { words, at: (iso) => iso.slice(0, 10), today: "2026-12-05" };
  const without = copyText(ctx, { ...options, includeHis: false });
  assert.equal(
    without,
    [
      "[copy_title 2026-12-05]", "[copy_note]", "",
      "2026-11-01 · [copy_you] · [copy_kind_message]", "My words.", "",
      "2026-11-01 · [copy_team] · [copy_kind_return_note]", "Leave out the street.", "",
      "2026-11-03 · [copy_team] · [copy_kind_plan_item]", "A written apology.", "",
    ].join("\n"),
  );
  const withHis = copyText(ctx, { ...options, includeHis: true });
  assert.ok(withHis.includes("2026-11-02 · [copy_him] · [copy_kind_message]\n[warning_label Hard]\nHis words."));
  assert.ok(withHis.indexOf("My words.") < withHis.indexOf("His words."));
  assert.ok(!withHis.includes("never hers"));
  assert.ok(!withHis.includes("2026-11-04") && !withHis.includes("2026-11-05"));
});

// --- A lead's staff key retired after it became her case key ---------------------------------

const NEW_STAFF = envelope.boxKeypair(h("99".repeat(32)));
const retiredAndNew = (sealableOld = false) => ({
  operator_public_key: toBase64(OPERATOR.publicKey),
  keys: [
    { ...teamKeysFor(LEAD_STAFF, OPERATOR).keys[0], sealable: sealableOld },
    teamKeysFor(NEW_STAFF, OPERATOR, null, "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f").keys[0],
  ],
});

test("a retired lead key: nothing new is sealed to it, and what she signed with it is still checked", async () => {
  const keys = await vouchedCase();
  const lead = await caseAs("lead", keys);
  await kase.send(lead, { kind: "plan-item", text: "A written apology.", planKind: "apology", dueOn: "2027-03-01" });
  server.retired.add(ID.lead);  // an admin retired her staff key
  const retired = { operator_public_key: toBase64(OPERATOR.publicKey), keys: [{ ...teamKeysFor(LEAD_STAFF, OPERATOR).keys[0], sealable: false }] };
  server.as = ID.survivor;
  const hers = await kase.openCase(CASE, keys.survivor, { trustStaff: core.staffTrustFrom(retired) });
  assert.equal(hers.items[0].text, "A written apology.");
  assert.deepEqual(core.initialReaders(hers, "message").map((p) => p.role), ["survivor"]);
  assert.throws(() => core.sealForCase(hers, { kind: "message", text: "x" }), { code: "no_team_key" });
  const before = await kase.openCase(CASE, keys.survivor, { trustStaff: core.staffTrustFrom(teamKeysFor(LEAD_STAFF, OPERATOR)) });
  assert.ok(core.initialReaders(before, "message").some((p) => p.role === "lead"), "sealed to while active");
});

test("her page registers her new staff key in place of the retired one; her earlier items are checked by her earlier key", async () => {
  const keys = await vouchedCase();
  await kase.send(await caseAs("lead", keys), { kind: "plan-item", text: "A written apology.", planKind: "apology", dueOn: "2027-03-01" });
  await kase.send(await caseAs("survivor", keys), { kind: "message", text: "before his new key" });
  server.as = ID.lead;
  await assert.rejects(kase.ensureCaseKey(CASE, core.staffUnlock(NEW_STAFF)), { code: "key_does_not_open" }, "not vouched yet: the server refuses");
  server.staff.set(ID.lead, toBase64(NEW_STAFF.publicKey));  // a counselor vouched for it
  const replaced = await kase.ensureCaseKey(CASE, core.staffUnlock(NEW_STAFF));
  assert.equal(replaced.replaced, true);
  assert.equal(toHex(replaced.publicKey), toHex(NEW_STAFF.publicKey));
  const trustStaff = core.staffTrustFrom(retiredAndNew());
  const his = await kase.openCase(CASE, replaced, { trustStaff });
  const survivor = his.parties.find((p) => p.role === "survivor");
  await kase.vouchFor(his, survivor, kase.fingerprint(survivor));  // he compared them again
  const vouched = await kase.openCase(CASE, replaced, { trustStaff });
  assert.equal(vouched.items.find((i) => i.kind === "message").refused, "not_sealed", "sealed to the old key only");
  server.as = ID.survivor;
  const hers = await kase.openCase(CASE, keys.survivor, { trustStaff });
  assert.equal(hers.items.find((i) => i.kind === "plan-item").text, "A written apology.");
  assert.deepEqual(core.lackingFacilitators(hers).map((p) => p.role), ["lead"]);
  assert.equal(await kase.shareMyEarlierItems(hers), 1);
  assert.ok(core.initialReaders(hers, "message").some((p) => p.role === "lead"), "her later words reach him");
  server.as = ID.lead;
  const again = await kase.openCase(CASE, replaced, { trustStaff });
  assert.equal(again.items.find((i) => i.kind === "message").text, "before his new key", "she shared it again");
  // An earlier key that is not an endorsed key of the same owner checks nothing.
  server.as = ID.survivor;
  const otherOwner = retiredAndNew();
  otherOwner.keys[0] = teamKeysFor(LEAD_STAFF, OPERATOR, null, undefined, "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a").keys[0];
  const forged = await kase.openCase(CASE, keys.survivor, { trustStaff: core.staffTrustFrom(otherOwner) });
  assert.equal(forged.items.find((i) => i.kind === "plan-item").refused, "bad_signature");
  const unlisted = { operator_public_key: toBase64(OPERATOR.publicKey), keys: [retiredAndNew().keys[1]] };
  const unchecked = await kase.openCase(CASE, keys.survivor, { trustStaff: core.staffTrustFrom(unlisted) });
  assert.equal(unchecked.items.find((i) => i.kind === "plan-item").refused, "bad_signature");
});

test("a browser given no check of the team's keys trusts no listed lead, so it seals nothing to the server's word", async () => {
  const keys = await vouchedCase();
  server.as = ID.survivor;
  const unchecked = await kase.openCase(CASE, keys.survivor);
  assert.equal(kase.checkParty(unchecked, unchecked.parties.find((p) => p.role === "lead")), false);
  const checked = await kase.openCase(CASE, keys.survivor, { trustStaff: honestTeam() });
  assert.equal(kase.checkParty(checked, checked.parties.find((p) => p.role === "lead")), true);
});
