// Where a page may send the survivor after signing in: a path on this site, never another.
// No DOM here, so node --test can check it (tests/js/safe_next.test.mjs).
//
// Browsers read "/\evil.example" and "/<tab>/evil.example" as "//evil.example" (they treat a
// backslash as a slash and drop tabs and newlines), so a check on the first characters alone
// is not enough: the value must also parse, against this origin, to this origin.

// Control characters (tab, newline: dropped by URL parsers) and backslashes (read as "/").
const UNSAFE = /[\u0000-\u001f\u007f\\]/;

// The path (with query and fragment) that `next` names on `origin`, or null if it names
// anything else: another host, a scheme, or a value a browser would read differently.
export function sameOriginPath(next, origin) {
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//")) return null;
  if (UNSAFE.test(next)) return null;
  let url;
  try {
    url = new URL(next, origin);
  } catch {
    return null;
  }
  return url.origin === origin ? url.pathname + url.search + url.hash : null;
}
