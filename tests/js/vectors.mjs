// Shared test vectors for the node tests: the same files pytest reads.
import { readFileSync } from "node:fs";
import { fromHex } from "../../mend/static/js/crypto/bytes.js";

const ROOT = new URL("../../", import.meta.url);

export function project(name) {
  return JSON.parse(readFileSync(new URL(`tests/vectors/${name}`, ROOT), "utf8"));
}

// The official RFC 9497 ristretto255-SHA512 suites, OPRF and VOPRF (POPRF left out).
export function rfc9497() {
  const path = new URL("../shared/vectors/rfc9497-ristretto255-sha512.json", ROOT);
  return JSON.parse(readFileSync(path, "utf8")).filter((s) => s.mode === 0 || s.mode === 1);
}

export const h = (text) => fromHex(text);
export const hs = (text) => text.split(",").map((part) => fromHex(part));

export function flip(data, index, bit = 0) {
  const out = Uint8Array.from(data);
  out[index] ^= 1 << bit;
  return out;
}
