// The recovery key as words (mend/static/js/vault/words.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { RecoveryWordsError, WORD_COUNT, WORDS, crc8, keyToWords, wordsToKey } from "../../mend/static/js/vault/words.js";

const key = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) % 256);

function codeOf(fn) {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof RecoveryWordsError);
    return error;
  }
  assert.fail("expected a RecoveryWordsError");
}

test("the list has 256 distinct lower-case words with distinct first four letters", () => {
  assert.equal(WORDS.length, 256);
  assert.equal(new Set(WORDS).size, 256);
  assert.equal(new Set(WORDS.map((w) => w.slice(0, 4))).size, 256);
  assert.ok(WORDS.every((w) => /^[a-z]{3,8}$/.test(w)));
});

test("a key becomes 33 words and comes back from them", () => {
  const words = keyToWords(key);
  assert.equal(words.length, WORD_COUNT);
  assert.deepEqual(wordsToKey(words.join(" ")), key);
});

test("it accepts any case, numbering, new lines and four-letter starts", () => {
  const words = keyToWords(key);
  const typed = words.map((w, i) => `${i + 1}. ${i % 2 ? w.toUpperCase() : w.slice(0, 4)}`).join("\n");
  assert.deepEqual(wordsToKey(typed), key);
});

test("it says how many words were typed when some are missing", () => {
  const error = codeOf(() => wordsToKey(keyToWords(key).slice(1).join(" ")));
  assert.equal(error.code, "words_count");
  assert.equal(error.detail.count, 32);
});

test("it names an unknown word and its position", () => {
  const words = keyToWords(key);
  words[4] = "zzzz";
  const error = codeOf(() => wordsToKey(words.join(" ")));
  assert.equal(error.code, "words_unknown");
  assert.deepEqual(error.detail, { word: "zzzz", position: 5 });
});

test("the check word catches every single wrong word", () => {
  const words = keyToWords(key);
  for (let position = 0; position < 32; position++) {
    const changed = [...words];
    changed[position] = WORDS[(WORDS.indexOf(words[position]) + 1) % 256];
    assert.equal(codeOf(() => wordsToKey(changed.join(" "))).code, "words_checksum");
  }
});

test("the check word catches swapped neighbours", () => {
  const words = keyToWords(key);
  [words[2], words[3]] = [words[3], words[2]];
  assert.equal(codeOf(() => wordsToKey(words.join(" "))).code, "words_checksum");
});

test("crc8 is the standard CRC-8 (polynomial 0x07)", () => {
  assert.equal(crc8(new TextEncoder().encode("123456789")), 0xf4);
});
