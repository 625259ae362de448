// The recovery key as words (ARCHITECTURE section 8, docs/crypto.md "Recovery words").
//
// New keys: BIP-39, 24 words from the standard English or Spanish list (the page's
// language), the last word carrying an 8-bit SHA-256 checksum (crypto/bip39.js). The lists
// come from the maintained @scure/bip39 package, served from our own origin.
// Keys shown before BIP-39 (33 words): one word per byte from Mend's own 256-word list,
// then a CRC-8 check word. They keep working: recovery and import accept both forms,
// told apart by the number of words.
//
// Typing: any case; spaces, commas, new lines and numbering ignored; accents optional; the
// first four letters of each word are enough (both BIP-39 lists and ours are built so).
// The 32 bytes are the key itself in both forms: only the way of writing them changed.
import { entropyToIndices, indicesToEntropy, WORD_COUNT } from "../crypto/bip39.js";
import { InvalidInputError } from "../crypto/errors.js";
import { wordlist as ENGLISH } from "@scure/bip39/wordlists/english.js";
import { wordlist as SPANISH } from "@scure/bip39/wordlists/spanish.js";

export { WORD_COUNT };
export const KEY_BYTES = 32;
export const LEGACY_WORD_COUNT = KEY_BYTES + 1;
export const LISTS = Object.freeze({ en: ENGLISH, es: SPANISH });

// Mend's own list, for keys made before BIP-39. Fixed forever: changing it would make
// written-down keys useless.
export const LEGACY_WORDS = Object.freeze([
  "acorn", "actor", "adult", "agent", "album", "alley", "alpaca", "amber", "angle", "ankle",
  "apple", "april", "apron", "arena", "armor", "arrow", "aspen", "atlas", "attic", "autumn",
  "bacon", "badge", "bagel", "baker", "balmy", "bamboo", "banjo", "barley", "basil", "beach",
  "beard", "bench", "berry", "bingo", "birch", "bison", "blank", "blaze", "bloom", "board",
  "bonus", "boots", "bottle", "brave", "bread", "brick", "bridge", "brook", "brush", "bucket",
  "buddy", "bugle", "bunny", "butter", "cabin", "cactus", "cake", "camel", "candle", "canoe",
  "canvas", "carpet", "carrot", "castle", "cedar", "chair", "chalk", "cheese", "cherry", "chess",
  "chimney", "cider", "circle", "citrus", "clay", "cliff", "clock", "cloud", "clover", "coast",
  "cocoa", "coffee", "comet", "cookie", "copper", "coral", "corner", "cotton", "couch", "cousin",
  "crane", "crayon", "cream", "cricket", "crown", "crystal", "cuckoo", "cupcake", "curtain",
  "cushion", "daisy", "dance", "delta", "denim", "desert", "diary", "dinner", "doctor", "dolphin",
  "donkey", "dragon", "drawer", "dream", "drum", "eagle", "earth", "easel", "echo", "elbow",
  "elder", "ember", "empty", "engine", "envelope", "equal", "evening", "fabric", "falcon",
  "feather", "fence", "fern", "ferry", "fiddle", "field", "finch", "flag", "flame", "flute",
  "focus", "forest", "fossil", "fountain", "fox", "frost", "garden", "garlic", "gentle", "giant",
  "ginger", "glove", "goose", "grape", "gravel", "guitar", "hammock", "harbor", "harvest", "hazel",
  "helmet", "heron", "hiking", "honey", "horizon", "humble", "igloo", "indigo", "island", "ivory",
  "jacket", "jelly", "jigsaw", "jungle", "kayak", "kettle", "kitten", "ladder", "lagoon", "lamp",
  "lantern", "laptop", "lava", "lemon", "letter", "lilac", "linen", "lizard", "llama", "lobster",
  "locket", "lotus", "lunch", "magnet", "mango", "maple", "marble", "meadow", "melon", "mirror",
  "mitten", "monkey", "moose", "morning", "mosaic", "muffin", "museum", "napkin", "nectar",
  "needle", "nickel", "noodle", "notebook", "nutmeg", "oasis", "ocean", "olive", "onion", "orange",
  "orbit", "orchid", "otter", "owl", "oyster", "paddle", "panda", "paper", "parrot", "pasta",
  "peach", "pebble", "pencil", "pepper", "piano", "pickle", "pillow", "pine", "planet", "plum",
  "pocket", "poppy", "potato", "prairie", "pumpkin", "puzzle", "quartz", "quilt", "rabbit",
  "radio", "rainbow", "raisin", "raven", "ribbon", "river", "robin", "rocket", "saddle", "salmon",
]);

// What a typed word is compared by: no accents (BIP-39 asks for NFKD; the marks are then
// dropped, which the Spanish list allows: no two of its words differ by accents alone),
// lower case.
export function plain(word) {
  return word.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

// Each word, and its first four letters, to its number.
function indexOf(list) {
  const index = new Map();
  list.forEach((word, i) => {
    const key = plain(word);
    index.set(key, i);
    index.set(key.slice(0, 4), i);
  });
  return index;
}

const INDEXES = { en: indexOf(ENGLISH), es: indexOf(SPANISH), legacy: indexOf(LEGACY_WORDS) };

// A problem with the words someone typed. `code` picks the translated message:
// words_count (detail.count), words_unknown (detail.word, detail.position), words_checksum.
export class RecoveryWordsError extends Error {
  constructor(code, detail = {}) {
    super(code);
    this.name = "RecoveryWordsError";
    this.code = code;
    this.detail = detail;
  }
}

// CRC-8 (polynomial x^8 + x^2 + x + 1): the old form's check word; any one wrong word changes it.
export function crc8(bytes) {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

function checkKey(key) {
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) {
    throw new TypeError(`a recovery key is ${KEY_BYTES} bytes`);
  }
}

// The 24 words for a key, in `language` ("en" or "es"; anything else gives English),
// composed (NFC) for display.
export function keyToWords(key, language = "en") {
  checkKey(key);
  const list = LISTS[language] ?? ENGLISH;
  return entropyToIndices(key).map((i) => list[i].normalize("NFC"));
}

// The old 33 words for a key: only tests make these now (to prove old keys still work).
export function legacyKeyToWords(key) {
  checkKey(key);
  return [...key, crc8(key)].map((byte) => LEGACY_WORDS[byte]);
}

// The word numbers in one list, the first word (0-based) that is not in it (or -1), and how
// many words were typed in full (not just their first letters).
function lookUp(words, index, list) {
  let whole = 0;
  const numbers = words.map((word) => {
    const key = plain(word);
    const number = index.get(key) ?? (key.length > 4 ? index.get(key.slice(0, 4)) : undefined);
    if (number !== undefined && plain(list[number]) === key) whole++;
    return number;
  });
  return { numbers, unknown: numbers.indexOf(undefined), whole };
}

function unknownWord(words, unknown) {
  return new RecoveryWordsError("words_unknown", { word: words[unknown], position: unknown + 1 });
}

function legacyKey(words) {
  const { numbers, unknown } = lookUp(words, INDEXES.legacy, LEGACY_WORDS);
  if (unknown >= 0) throw unknownWord(words, unknown);
  const key = Uint8Array.from(numbers.slice(0, KEY_BYTES));
  if (crc8(key) !== numbers[KEY_BYTES]) throw new RecoveryWordsError("words_checksum");
  return key;
}

// Whichever list holds every word and gives a good checksum, trying first the list in which
// more words were typed in full (four-letter starts are shared by about a quarter of the
// Spanish words with English ones: a phrase could, very rarely, be complete in both lists and
// pass both checksums); else the error of the list that knows the most words, so a single
// typo is named in the list she wrote from.
function bip39Key(words) {
  const tries = [lookUp(words, INDEXES.en, ENGLISH), lookUp(words, INDEXES.es, SPANISH)];
  const complete = tries.filter((t) => t.unknown < 0).sort((a, b) => b.whole - a.whole);
  for (const { numbers } of complete) {
    try {
      return indicesToEntropy(numbers);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error; // else: the checksum; try the other list
    }
  }
  if (complete.length) throw new RecoveryWordsError("words_checksum");
  const known = ({ numbers }) => numbers.filter((n) => n !== undefined).length;
  const best = known(tries[1]) > known(tries[0]) ? tries[1] : tries[0];
  throw unknownWord(words, best.unknown);
}

// The recovery key from what she typed: 24 BIP-39 words (English or Spanish) or the 33 old
// words. Throws RecoveryWordsError saying what is wrong, and with which word.
export function wordsToKey(text) {
  const words = String(text).normalize("NFC").split(/[^\p{L}\p{M}]+/u).filter(Boolean);
  if (words.length === WORD_COUNT) return bip39Key(words);
  if (words.length === LEGACY_WORD_COUNT) return legacyKey(words);
  throw new RecoveryWordsError("words_count", { count: words.length });
}
