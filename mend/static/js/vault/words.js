// The recovery key as words (ARCHITECTURE section 8): 32 random bytes, one word per byte,
// then one checksum word, so a word typed wrong, left out or swapped is caught before
// anything is sent. 256 short, everyday English words, chosen by hand to be calm and easy to
// write down; no two share their first four letters, so the first four letters are enough.
// This list is fixed forever: changing it would make written-down keys useless.

export const WORDS = Object.freeze([
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

export const KEY_BYTES = 32;
export const WORD_COUNT = KEY_BYTES + 1;

const INDEX = new Map();
WORDS.forEach((word, i) => {
  INDEX.set(word, i);
  INDEX.set(word.slice(0, 4), i);
});

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

// CRC-8 (polynomial x^8 + x^2 + x + 1): any one wrong word changes it.
export function crc8(bytes) {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

export function keyToWords(key) {
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) {
    throw new TypeError(`a recovery key is ${KEY_BYTES} bytes`);
  }
  return [...key, crc8(key)].map((byte) => WORDS[byte]);
}

// Accepts the words in any case, separated by spaces, commas, dashes or new lines, and
// numbered or not ("1. acorn 2. bread ..."); each word may be shortened to its first four letters.
export function wordsToKey(text) {
  const words = String(text).toLowerCase().split(/[^a-z]+/).filter(Boolean);
  if (words.length !== WORD_COUNT) throw new RecoveryWordsError("words_count", { count: words.length });
  const bytes = words.map((word, i) => {
    const byte = INDEX.get(word) ?? (word.length > 4 ? INDEX.get(word.slice(0, 4)) : undefined);
    if (byte === undefined) throw new RecoveryWordsError("words_unknown", { word, position: i + 1 });
    return byte;
  });
  const key = Uint8Array.from(bytes.slice(0, KEY_BYTES));
  if (crc8(key) !== bytes[KEY_BYTES]) throw new RecoveryWordsError("words_checksum");
  return key;
}
