// A record's date field reads as the page's language writes a day.
import { test } from "node:test";
import assert from "node:assert/strict";
import { day } from "../../mend/static/js/lib/format.js";

test("a date field is written out in the page's language", () => {
  assert.equal(day("2026-03-03", "en"), "March 3, 2026");
  assert.equal(day("2026-03-03", "es"), "3 de marzo de 2026");
});

test("anything that is not a whole date is shown as written", () => {
  assert.equal(day("last spring", "en"), "last spring");
  assert.equal(day("2026-13-45", "en"), "2026-13-45");
});
