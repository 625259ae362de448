// The leave checker answers every worked case in mend/leave/cases.json from the real rules.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { OUTCOMES, check, citation, isStale, versionOn } from "../../mend/static/js/leave/eligibility.js";

const root = new URL("../../mend/leave/", import.meta.url);
const rulesDir = new URL("rules/", root);
const rules = {
  jurisdictions: readdirSync(rulesDir).filter((f) => f.endsWith(".json")).sort()
    .map((f) => JSON.parse(readFileSync(new URL(f, rulesDir), "utf8"))),
};
const { cases } = JSON.parse(readFileSync(new URL("cases.json", root), "utf8"));

for (const c of cases) {
  test(c.name, () => {
    const answer = check(rules, c.input);
    assert.equal(answer.outcome, c.expect.outcome);
    for (const [key, value] of Object.entries(c.expect.leave ?? {})) {
      assert.equal(answer.leave[key], value, key);
    }
    if (c.expect.section) assert.equal(answer.version.section, c.expect.section);
    if (c.expect.routes) assert.deepEqual(answer.routes, c.expect.routes);
    for (const reason of c.expect.reasons ?? []) assert.ok(answer.reasons.includes(reason), reason);
    if (c.expect.needed) assert.deepEqual(answer.needed, c.expect.needed);
  });
}

test("a covered answer lists no other routes, and an uncovered one always does", () => {
  for (const c of cases) {
    const answer = check(rules, c.input);
    assert.equal(answer.routes.length === 0, answer.outcome === "covered", c.name);
  }
});

test("every outcome the checker names has words on the page, and every worked case's is one", () => {
  const strings = readFileSync(new URL("strings.py", root), "utf8");
  const worded = new Set([...strings.matchAll(/"outcome_(\w+)"/g)].map((m) => m[1]));
  assert.deepEqual([...OUTCOMES].sort(), [...worded].sort());
  for (const c of cases) assert.ok(OUTCOMES.includes(check(rules, c.input).outcome), c.name);
});

test("a place the rules do not hold is answered as unknown, with routes", () => {
  const answer = check(rules, { ...cases[0].input, code: "FR" });
  assert.equal(answer.outcome, "unknown_jurisdiction");
  assert.ok(answer.routes.includes("sick_leave"));
});

test("a day before a law began has no version", () => {
  const answer = check(rules, { ...cases[0].input, on: "2017-06-01" });
  assert.equal(answer.outcome, "no_version");
});

test("the version in force is picked by day, both ends inclusive", () => {
  const bc = rules.jurisdictions.find((j) => j.code === "CA-BC");
  assert.equal(versionOn(bc, "2020-08-13").entitlement.paid_days, 0);
  assert.equal(versionOn(bc, "2020-08-14").entitlement.paid_days, 5);
});

test("a rule checked more than a year before is stale", () => {
  const version = { verified_on: "2026-12-02" };
  assert.equal(isStale(version, "2026-11-24"), false);
  assert.equal(isStale(version, "2027-12-02"), false);
  assert.equal(isStale(version, "2027-12-04"), true);
});

test("the citation names the statute and the section", () => {
  const on = rules.jurisdictions.find((j) => j.code === "CA-ON");
  assert.equal(citation(on.versions[0]), "Employment Standards Act, 2000, s. 49.7");
  assert.equal(citation(null), "");
});

test("a time zone suggests a place only where it means one place Mend holds", async () => {
  const { suggestedPlace } = await import("../../mend/static/js/leave/suggest.js");
  assert.equal(suggestedPlace("Pacific/Auckland"), "NZ");
  assert.equal(suggestedPlace("America/Winnipeg"), "CA-MB");
  assert.equal(suggestedPlace("America/New_York"), null);
  const codes = new Set(rules.jurisdictions.map((j) => j.code));
  for (const zone of ["Pacific/Auckland", "Europe/Dublin", "Asia/Manila", "America/Regina", "America/St_Johns", "America/Moncton"]) {
    assert.ok(codes.has(suggestedPlace(zone)), zone);
  }
});
