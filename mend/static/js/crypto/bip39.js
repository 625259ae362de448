// BIP-39's encoding of 256 bits of entropy as 24 word numbers (each 0..2047), and back.
//
// Only the encoding: the 32 bytes ARE the recovery key, and BIP-39's PBKDF2 "seed" step is
// never used. The entropy is followed by the first byte of its SHA-256 (the checksum), and
// the 264 bits are cut into 24 numbers of 11 bits, most significant bit first. Which word
// each number stands for is the word list's business (lib/words.js); this module only
// needs SHA-256, and it takes it from libsodium like the rest of the browser crypto.
//
// Guarantee: indicesToEntropy(entropyToIndices(e)) gives e back; a changed number is refused
// (InvalidInputError) unless it happens to keep the 8-bit checksum (1 in 256).
import { InvalidInputError } from "./errors.js";
import sodium from "./sodium.js";

export const ENTROPY_BYTES = 32;
export const WORD_COUNT = 24;
const BITS = 11;

function checksum(entropy) {
  return sodium.crypto_hash_sha256(entropy)[0];
}

function checkEntropy(entropy) {
  if (!(entropy instanceof Uint8Array) || entropy.length !== ENTROPY_BYTES) {
    throw new TypeError(`BIP-39 entropy here is ${ENTROPY_BYTES} bytes`);
  }
}

// 32 bytes -> 24 numbers in 0..2047.
export function entropyToIndices(entropy) {
  checkEntropy(entropy);
  const bytes = [...entropy, checksum(entropy)];
  const indices = [];
  let acc = 0;
  let held = 0;
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    held += 8;
    if (held >= BITS) {
      held -= BITS;
      indices.push((acc >> held) & 0x7ff);
      acc &= (1 << held) - 1;
    }
  }
  return indices;
}

// 24 numbers -> the 32 bytes; throws InvalidInputError when the checksum does not match.
export function indicesToEntropy(indices) {
  if (indices.length !== WORD_COUNT || !indices.every((i) => Number.isInteger(i) && i >= 0 && i < 2048)) {
    throw new TypeError(`BIP-39 here is ${WORD_COUNT} numbers in 0..2047`);
  }
  const bytes = [];
  let acc = 0;
  let held = 0;
  for (const index of indices) {
    acc = (acc << BITS) | index;
    held += BITS;
    while (held >= 8) {
      held -= 8;
      bytes.push((acc >> held) & 0xff);
      acc &= (1 << held) - 1;
    }
  }
  const entropy = Uint8Array.from(bytes.slice(0, ENTROPY_BYTES));
  if (checksum(entropy) !== bytes[ENTROPY_BYTES]) throw new InvalidInputError("BIP-39 checksum does not match");
  return entropy;
}
