// Where the sign-in page may send the survivor next: only a path on this site.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sameOriginPath } from "../../mend/static/js/lib/next.js";

const ORIGIN = "https://mend.example";

// As page.js reads it: the `next` parameter of the page's own query string.
function follow(query) {
  return sameOriginPath(new URLSearchParams(query).get("next"), ORIGIN);
}

test("it follows a path on this site, with its query and fragment", () => {
  assert.equal(follow("?next=/vault/"), "/vault/");
  assert.equal(follow("?next=%2Fvault%2Frecords%2F%3Fpage%3D2%23top"), "/vault/records/?page=2#top");
  assert.equal(follow("?next=/escrow/entries/"), "/escrow/entries/");
});

test("it refuses every way of naming another site", () => {
  const attacks = [
    "?next=/%5Cevil.example/", // "/\evil.example/": browsers read the backslash as "/"
    "?next=%2F%5C%5Cevil.example",
    "?next=/%09/evil.example/", // a tab, dropped by URL parsers: "//evil.example/"
    "?next=/%0A/evil.example/",
    "?next=/%0D/evil.example/",
    "?next=/%00/evil.example/",
    "?next=//evil.example/",
    "?next=%2F%2Fevil.example",
    "?next=///evil.example/",
    "?next=https://evil.example/",
    "?next=https:/evil.example",
    "?next=javascript:alert(1)",
    "?next=data:text/html,hi",
    "?next=%20//evil.example",
    "?next=evil.example",
    "?next=/vault/%5C..%5C..%5Cevil", // any backslash at all
    "?next=",
    "",
  ];
  for (const query of attacks) assert.equal(follow(query), null, query);
});

test("it keeps an encoded backslash or tab encoded, as a harmless path here", () => {
  // Decoded once by the page, "%5C" is still text: the browser asks this site for it.
  assert.equal(follow("?next=/%255Cevil.example/"), "/%5Cevil.example/");
  assert.equal(follow("?next=/%2509/evil.example/"), "/%09/evil.example/");
});

test("it refuses what is not a string", () => {
  assert.equal(sameOriginPath(null, ORIGIN), null);
  assert.equal(sameOriginPath(undefined, ORIGIN), null);
});
