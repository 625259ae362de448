// Byte helpers and the unambiguous encodings shared by every construction.
// Twin of mend/crypto/encoding.py: lp() frames a field with its two-byte length, so a list
// of fields never encodes like a different list.
import { CryptoError } from "./errors.js";

const encoder = new TextEncoder();

export function utf8(text) {
  return encoder.encode(text);
}

export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

// Big-endian encoding of a non-negative integer in exactly `length` bytes (RFC 8017).
export function i2osp(value, length) {
  let v = BigInt(value);
  if (v < 0n || v >= 1n << BigInt(8 * length)) {
    throw new CryptoError(`integer ${value} does not fit in ${length} bytes`);
  }
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

export function lp(data) {
  return concat(i2osp(data.length, 2), data);
}

export function toHex(data) {
  return Array.from(data, (b) => b.toString(16).padStart(2, "0")).join("");
}

// Lower-case hex only, optionally of an exact byte length.
export function fromHex(text, length = null, what = "value") {
  if (typeof text !== "string" || !/^(?:[0-9a-f]{2})*$/.test(text)) {
    throw new CryptoError(`${what} must be lower-case hexadecimal`);
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  if (length !== null && out.length !== length) {
    throw new CryptoError(`${what} must be ${length} bytes, got ${out.length}`);
  }
  return out;
}

// Equality that does not stop at the first differing byte (for secrets and MACs).
export function equal(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

// True when the numbers name a real UTC time (no 30 February, no hour 24); year 1 and later.
// Shared by the receipt and certificate parsers, which each accept one spelling of a time.
export function isRealUtcTime(year, month, day, hour, minute, second) {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC, which reads years < 100 as 19xx
  date.setUTCHours(hour, minute, second, 0);
  return (
    year >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}
