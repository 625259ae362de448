// The browser tells the server its time zone once, and again only when it changes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { zoneCookie } from "../../mend/static/js/time-zone.js";

test("it sets the cookie to the browser's zone only when the zone changed", () => {
  assert.equal(
    zoneCookie("America/Chicago", ""),
    "mend_tz=America%2FChicago; path=/; max-age=31536000; samesite=lax",
  );
  assert.equal(zoneCookie("America/Chicago", "America/Chicago"), null);
  assert.equal(zoneCookie("", "America/Chicago"), null);
});
