// The recovery key as words (mend/static/js/lib/words.js and crypto/bip39.js), against the
// vectors that pytest checks with Trezor's reference BIP-39 implementation.
import assert from "node:assert/strict";
import { test } from "node:test";

import { entropyToIndices, indicesToEntropy } from "../../mend/static/js/crypto/bip39.js";
import { InvalidInputError } from "../../mend/static/js/crypto/errors.js";
import {
  LEGACY_WORDS,
  LISTS,
  RecoveryWordsError,
  WORD_COUNT,
  crc8,
  keyToWords,
  legacyKeyToWords,
  plain,
  wordsToKey,
} from "../../mend/static/js/lib/words.js";
import { h, project } from "./vectors.mjs";

const V = project("recovery_words.json");

function refusal(fn) {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof RecoveryWordsError, String(error));
    return error;
  }
  assert.fail("expected a RecoveryWordsError");
}

test("both lists are the standard 2,048 BIP-39 words, told apart by four letters without accents", () => {
  for (const list of Object.values(LISTS)) {
    assert.equal(list.length, 2048);
    assert.equal(new Set(list.map((w) => plain(w).slice(0, 4))).size, 2048);
  }
  assert.equal(LISTS.en[0], "abandon");
  assert.equal(LISTS.es[0].normalize("NFC"), "ábaco");
});

test("a key becomes the same 24 words as the reference implementation's, in English and Spanish", () => {
  for (const vector of V.bip39) {
    const key = h(vector.key);
    assert.equal(WORD_COUNT, 24);
    assert.equal(keyToWords(key, "en").join(" "), vector.english);
    // Shown composed (NFC); the reference lists are decomposed (NFKD): the same words.
    const spanish = keyToWords(key, "es");
    assert.equal(spanish.join(" "), vector.spanish.normalize("NFC"));
    assert.equal(spanish.join(" ").normalize("NFKD"), vector.spanish);
  }
});

test("the words give the key back in either language, whatever the page's language", () => {
  for (const vector of V.bip39) {
    assert.deepEqual(wordsToKey(vector.english), h(vector.key));
    assert.deepEqual(wordsToKey(vector.spanish), h(vector.key));
    assert.deepEqual(indicesToEntropy(entropyToIndices(h(vector.key))), h(vector.key));
  }
});

test("an unknown language shows English words", () => {
  const vector = V.bip39[4];
  assert.equal(keyToWords(h(vector.key), "fr").join(" "), vector.english);
});

test("it accepts any case, accents or none, numbering, commas, new lines and four-letter starts", () => {
  assert.ok(V.typed.length >= 7);
  for (const { name, text, key } of V.typed) assert.deepEqual(wordsToKey(text), h(key), name);
});

test("words complete in both lists are read in the list they were typed in full from", () => {
  const twice = V.typed.find((c) => c.english_reading);
  const asEnglish = wordsToKey(twice.english_reading);
  assert.notDeepEqual(asEnglish, h(twice.key)); // a real ambiguity: both checksums hold
  assert.deepEqual(wordsToKey(twice.english_reading.split(" ").map((w) => w.slice(0, 4)).join(" ")), asEnglish);
  assert.deepEqual(wordsToKey(twice.text), h(twice.key));
});

test("every refused typing gets the specific error, naming the word and its position", () => {
  assert.ok(V.refused.length >= 11);
  for (const { name, text, code, detail } of V.refused) {
    const error = refusal(() => wordsToKey(text));
    assert.equal(error.code, code, name);
    assert.deepEqual(error.detail, detail, name);
  }
});

test("the BIP-39 checksum catches most single wrong words", () => {
  const words = V.bip39[5].english.split(" ");
  let caught = 0;
  for (let position = 0; position < 24; position++) {
    const changed = [...words];
    changed[position] = LISTS.en[(LISTS.en.indexOf(words[position]) + 1) % 2048];
    try {
      wordsToKey(changed.join(" "));
    } catch (error) {
      if (error.code === "words_checksum") caught++;
    }
  }
  assert.ok(caught >= 22, `caught ${caught} of 24`); // 8 bits: 1 in 256 slips through
});

test("a Spanish word with the wrong accent still counts: accents are ignored", () => {
  const words = V.bip39[6].spanish.normalize("NFC").split(" ");
  const wrongAccents = words.map((w) => plain(w).replace(/a/, "á"));
  assert.deepEqual(wordsToKey(wrongAccents.join(" ")), h(V.bip39[6].key));
});

test("old 33-word keys keep working, as the vectors wrote them", () => {
  for (const vector of V.legacy) {
    assert.equal(legacyKeyToWords(h(vector.key)).join(" "), vector.words);
    assert.deepEqual(wordsToKey(vector.words), h(vector.key));
  }
});

test("the old list has 256 distinct lower-case words with distinct first four letters", () => {
  assert.equal(LEGACY_WORDS.length, 256);
  assert.equal(new Set(LEGACY_WORDS.map((w) => w.slice(0, 4))).size, 256);
  assert.ok(LEGACY_WORDS.every((w) => /^[a-z]{3,8}$/.test(w)));
});

test("the old check word catches every single wrong word and swapped neighbours", () => {
  const words = V.legacy[5].words.split(" ");
  for (let position = 0; position < 32; position++) {
    const changed = [...words];
    changed[position] = LEGACY_WORDS[(LEGACY_WORDS.indexOf(words[position]) + 1) % 256];
    assert.equal(refusal(() => wordsToKey(changed.join(" "))).code, "words_checksum");
  }
  [words[2], words[3]] = [words[3], words[2]];
  assert.equal(refusal(() => wordsToKey(words.join(" "))).code, "words_checksum");
});

test("crc8 is the standard CRC-8 (polynomial 0x07)", () => {
  assert.equal(crc8(new TextEncoder().encode("123456789")), 0xf4);
});

test("only a 32-byte key has words", () => {
  assert.throws(() => keyToWords(new Uint8Array(31)), TypeError);
  assert.throws(() => legacyKeyToWords(new Uint8Array(33)), TypeError);
  assert.throws(() => entropyToIndices(new Uint8Array(16)), TypeError);
  assert.throws(() => indicesToEntropy([1, 2, 3]), TypeError);
});

test("a bad checksum throws, never returns something to check", () => {
  const indices = entropyToIndices(h(V.bip39[5].key));
  indices[23] ^= 1; // the last word holds the checksum's low bits
  assert.throws(() => indicesToEntropy(indices), InvalidInputError);
});
