// Canonical perpetrator identifiers (ARCHITECTURE 9.1), the input of the escrow OPRF.
// Twin of mend/crypto/canonical.py, without libraries; tests/vectors/canonical.json proves
// that both give the same string, or the same error code, for the same input. We never
// guess: an input that could mean two things is refused with a message saying why.
//   email:<local>@<ascii-domain>   phone:+<E.164 digits>   social:<platform>:<handle>
import { ESCROW_OPRF_PREFIX } from "./labels.js";
import { utf8 } from "./bytes.js";
import { InvalidIdentifier } from "./errors.js";

export const MAX_INPUT = 512;
// Trimmed from both ends: an explicit list, so that Python and JS trim the same characters.
export const SPACES =
  " \t\n\r\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009" +
  "\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff";
export const KINDS = ["email", "phone", "social"];

const fail = (code, message) => {
  throw new InvalidIdentifier(code, message);
};
const isAscii = (text) => /^[\x00-\x7f]*$/.test(text);
const hasSpace = (text) => [...text].some((ch) => SPACES.includes(ch));

export function canonicalise(kind, text, { region = "US", platform = "", providerRules = true } = {}) {
  if (kind === "email") return canonicalEmail(text, { providerRules });
  if (kind === "phone") return canonicalPhone(text, region);
  if (kind === "social") return canonicalSocial(text, platform);
  return fail(
    "kind",
    "use an email address, a phone number or a social-media profile; names are not " +
      "identifiers because many people share one",
  );
}

// The exact bytes the escrow OPRF evaluates: "mend-escrow-v1|" + identifier.
export function oprfInput(identifier) {
  if (!KINDS.some((k) => identifier.startsWith(`${k}:`))) {
    fail("not_canonical", "this is not a canonical identifier");
  }
  return utf8(ESCROW_OPRF_PREFIX + identifier);
}

function trimSpaces(text) {
  const chars = [...text];
  let start = 0;
  let end = chars.length;
  while (start < end && SPACES.includes(chars[start])) start++;
  while (end > start && SPACES.includes(chars[end - 1])) end--;
  return chars.slice(start, end).join("");
}

function trim(text) {
  const value = trimSpaces(text);
  if (!value) fail("empty", "nothing was entered");
  if ([...value].length > MAX_INPUT)
    fail("too_long", `this is longer than ${MAX_INPUT} characters`);
  return value;
}

// --- email ----------------------------------------------------------------------------

const LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
const ASCII_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

// Mail domains whose documented rules make several addresses one mailbox: the same table as
// EMAIL_PROVIDERS in mend/crypto/canonical.py (the vectors file carries it; both tests check
// it). Only providers whose user names cannot hold the separator (or a dot, where dots are
// ignored), so that cutting them never merges two people.
const provider = (domain, ignoresDots, tagSeparator) =>
  Object.freeze({ domain, ignores_dots: ignoresDots, tag_separator: tagSeparator });
const GMAIL = provider("gmail.com", true, "+");
const APPLE = provider("icloud.com", false, "+");
export const EMAIL_PROVIDERS = Object.freeze({
  "gmail.com": GMAIL,
  "googlemail.com": GMAIL,
  "outlook.com": provider("outlook.com", false, "+"),
  "hotmail.com": provider("hotmail.com", false, "+"),
  "live.com": provider("live.com", false, "+"),
  "msn.com": provider("msn.com", false, "+"),
  "icloud.com": APPLE,
  "me.com": APPLE,
  "mac.com": APPLE,
  "proton.me": provider("proton.me", false, "+"),
  "protonmail.com": provider("protonmail.com", false, "+"),
  "protonmail.ch": provider("protonmail.ch", false, "+"),
  "pm.me": provider("pm.me", false, "+"),
  "fastmail.com": provider("fastmail.com", false, "+"),
  "fastmail.fm": provider("fastmail.fm", false, "+"),
});

// email:<local>@<ascii-domain>, lower-cased, then the provider's rules. With
// providerRules false: the form used before the rules existed (older entries are keyed on it).
export function canonicalEmail(text, { providerRules = true } = {}) {
  let [local, domain] = emailParts(text);
  if (providerRules && Object.hasOwn(EMAIL_PROVIDERS, domain)) {
    [local, domain] = mailbox(local, EMAIL_PROVIDERS[domain]);
  }
  return `email:${local}@${domain}`;
}

// The local part and domain under a provider's rules. A tag is cut at the first separator;
// a local part that would then be empty is kept whole (it names no other mailbox either).
function mailbox(local, rules) {
  let name = local;
  if (rules.tag_separator) name = name.split(rules.tag_separator)[0] || name;
  if (rules.ignores_dots) name = name.replaceAll(".", "");
  return [name, rules.domain];
}

// What an entry tags for an identifier it keeps (the form without provider rules): the
// canonical form and, if the rules changed it, the kept form too, so that entries stored
// before the rules still match (docs/crypto.md).
export function tagIdentifiers(identifier) {
  if (!identifier.startsWith("email:")) return [identifier];
  const current = canonicalEmail(identifier.slice("email:".length));
  return current === identifier ? [current] : [current, identifier];
}

function emailParts(text) {
  const value = trim(text);
  if (hasSpace(value)) fail("email_space", "an email address has no spaces");
  if (value.split("@").length !== 2) fail("email_at", "an email address has exactly one @");
  let [local, domain] = value.split("@");
  if (isAscii(local)) local = local.toLowerCase(); // "\u212a".toLowerCase() is "k"
  if (!LOCAL.test(local)) {
    fail(
      "email_local",
      "before the @, only letters a-z, digits and ! # $ % & ' * + / = ? ^ _ ` { | } ~ . -" +
        " are accepted",
    );
  }
  if (local.startsWith(".") || local.endsWith(".") || local.includes("..")) {
    fail("email_dots", "before the @, a dot cannot start, end or repeat");
  }
  if (local.length > 64) fail("email_local_length", "the part before the @ is too long");
  return [local, asciiDomain(domain)];
}

// The lower-case ASCII (IDNA, punycode) form of a domain name.
export function asciiDomain(domain) {
  let name = domain.normalize("NFKC").toLowerCase().replaceAll("\u3002", ".");
  if (name.endsWith(".")) name = name.slice(0, -1);
  const parts = name.split(".");
  if (parts.length < 2) fail("email_domain_dot", "the domain needs a dot, as in example.org");
  const asciiParts = parts.map(asciiLabel);
  if (/^[0-9]+$/.test(asciiParts[asciiParts.length - 1])) {
    fail("email_domain_tld", "the domain cannot end in a number");
  }
  const result = asciiParts.join(".");
  if (result.length > 253) fail("email_domain_length", "the domain is too long");
  return result;
}

function asciiLabel(label) {
  let out = label;
  if (!isAscii(label)) {
    if (!/^[\p{L}\p{M}\p{N}-]+$/u.test(label)) {
      fail("email_domain_label", "the domain may only have letters, digits and hyphens");
    }
    out = "xn--" + punycode(label);
  }
  if (!out) fail("email_domain_label", "the domain has an empty part (..)");
  if (!ASCII_LABEL.test(out) || out.length > 63) {
    fail(
      "email_domain_label",
      "each part of the domain is letters, digits and inner hyphens, up to 63 long",
    );
  }
  return out;
}

// RFC 3492 Punycode encoder (the same algorithm as Python's "punycode" codec).
function punycode(input) {
  const base = 36;
  const codePoints = [...input].map((ch) => ch.codePointAt(0));
  const basic = codePoints.filter((c) => c < 0x80);
  let output = String.fromCharCode(...basic);
  let handled = basic.length;
  if (handled > 0) output += "-";
  let n = 128;
  let delta = 0;
  let bias = 72;
  const digit = (d) => String.fromCharCode(d + 22 + 75 * (d < 26));
  while (handled < codePoints.length) {
    const m = Math.min(...codePoints.filter((c) => c >= n));
    delta += (m - n) * (handled + 1);
    n = m;
    for (const c of codePoints) {
      if (c < n) delta++;
      if (c !== n) continue;
      let q = delta;
      for (let k = base; ; k += base) {
        const t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
        if (q < t) break;
        output += digit(t + ((q - t) % (base - t)));
        q = Math.floor((q - t) / (base - t));
      }
      output += digit(q);
      bias = adapt(delta, handled + 1, handled === basic.length);
      delta = 0;
      handled++;
    }
    delta++;
    n++;
  }
  return output;
}

function adapt(delta, points, first) {
  let d = first ? Math.floor(delta / 700) : delta >> 1;
  d += Math.floor(d / points);
  let k = 0;
  while (d > 455) {
    d = Math.floor(d / 35);
    k += 36;
  }
  return k + Math.floor((36 * d) / (d + 38));
}

// --- phone ----------------------------------------------------------------------------

// Default regions for numbers typed without a country code, with their international prefix.
export const DEFAULT_REGIONS = Object.freeze({ US: "011", CA: "011", GB: "00", ES: "00" });
const SEPARATORS = /[ \-.()/\u2010\u2012\u2013\u2014]/g;
const NANP = /^1[2-9][0-9]{2}[2-9][0-9]{6}$/;

export function canonicalPhone(text, region = "US") {
  if (!Object.hasOwn(DEFAULT_REGIONS, region)) {
    fail(
      "phone_region",
      `unsupported default region; use one of ${Object.keys(DEFAULT_REGIONS).join(", ")}`,
    );
  }
  let value = trim(text).normalize("NFKC");
  let international = value.startsWith("+");
  if (international) value = value.slice(1).replaceAll("(0)", "");
  let digits = value.replace(SEPARATORS, "");
  if (!/^[0-9]+$/.test(digits)) {
    fail(
      "phone_characters",
      "a phone number has digits, an optional + at the start, and spaces, dashes, " +
        "dots, brackets or slashes; letters and extensions are not accepted",
    );
  }
  const prefix = DEFAULT_REGIONS[region];
  if (!international && digits.startsWith(prefix)) {
    digits = digits.slice(prefix.length);
    international = true;
  }
  let e164 = international ? digits : national(region, digits);
  if (e164.startsWith("440")) e164 = "44" + e164.slice(3); // "+44 0…": never a 0 after +44
  checkE164(e164);
  return `phone:+${e164}`;
}

function national(region, digits) {
  if (region === "US" || region === "CA") {
    return "1" + (digits.length === 11 && digits[0] === "1" ? digits.slice(1) : digits);
  }
  if (region === "GB") {
    if (!digits.startsWith("0"))
      fail("phone_trunk", "a UK number without +44 starts with 0, as in 020 7946 0018");
    return "44" + digits.slice(1);
  }
  return "34" + digits; // ES: no trunk prefix
}

function checkE164(e164) {
  if (e164.startsWith("0")) fail("phone_country_code", "a country code never starts with 0");
  if (e164.length < 7 || e164.length > 15)
    fail("phone_length", "a phone number has 7 to 15 digits in all");
  const rules = [
    ["1", (n) => NANP.test(n), "a US or Canadian number has 10 digits after +1"],
    [
      "44",
      (n) => n.length === 11 || n.length === 12,
      "a UK number has 9 or 10 digits after +44 (or 10 or 11 with the 0)",
    ],
    [
      "34",
      (n) => n.length === 11 && "6789".includes(n[2]),
      "a Spanish number has 9 digits after +34, starting with 6 to 9",
    ],
  ];
  for (const [code, valid, message] of rules) {
    if (e164.startsWith(code) && !valid(e164)) fail("phone_national", message);
  }
}

// --- social media ----------------------------------------------------------------------

export const PLATFORMS = [
  "instagram",
  "facebook",
  "x",
  "linkedin",
  "tiktok",
  "snapchat",
  "youtube",
  "threads",
];
const ALIASES = { twitter: "x" };
const HOSTS = {
  "instagram.com": "instagram",
  "facebook.com": "facebook",
  "fb.com": "facebook",
  "x.com": "x",
  "twitter.com": "x",
  "linkedin.com": "linkedin",
  "tiktok.com": "tiktok",
  "snapchat.com": "snapchat",
  "youtube.com": "youtube",
  "threads.net": "threads",
  "threads.com": "threads",
};
const SUBDOMAIN = /^(?:www|m|mobile|web|mbasic|[a-z]{2})\.(.+)$/;
const URL_SHAPE = /^(?:https?:\/\/)?([^/?#]+)([^?#]*)(?:\?([^#]*))?(?:#.*)?$/i;
const HANDLES = {
  instagram: /^[a-z0-9_](?:[a-z0-9_.]{0,28}[a-z0-9_])?$/,
  threads: /^[a-z0-9_](?:[a-z0-9_.]{0,28}[a-z0-9_])?$/,
  facebook: /^[a-z0-9.]{5,50}$/,
  x: /^[a-z0-9_]{1,15}$/,
  linkedin: /^[a-z0-9](?:[a-z0-9-]{1,98}[a-z0-9])$/,
  tiktok: /^[a-z0-9_.]{1,23}[a-z0-9_]$/,
  snapchat: /^[a-z][a-z0-9._-]{1,13}[a-z0-9]$/,
  youtube: /^[a-z0-9._-]{3,30}$/,
};
const DIGITS = /^[0-9]{1,20}$/;
const YOUTUBE_CHANNEL = /^UC[A-Za-z0-9_-]{22}$/;
const RESERVED = {
  instagram: ["p", "reel", "reels", "tv", "explore", "stories", "accounts", "direct"],
  x: ["i", "home", "search", "explore", "intent", "share", "hashtag", "settings"],
  facebook: ["groups", "pages", "events", "watch", "marketplace", "share", "sharer"],
};
const SITES = `Mend recognises profiles on: ${PLATFORMS.join(", ")}`;

export function canonicalSocial(text, platform = "") {
  const value = trim(text);
  let chosen = platform ? platformName(platform) : "";
  let handle;
  if (value.includes("/") || site(value)) {
    let found;
    [found, handle] = fromUrl(value);
    if (chosen && found !== chosen)
      fail("social_platform_mismatch", `this link is to ${found}, not ${chosen}`);
    chosen = found;
  } else if (!chosen) {
    fail("social_platform_needed", "say which platform this handle is on, or paste a link");
  } else {
    handle = value.startsWith("@") ? value.slice(1) : value;
  }
  return `social:${chosen}:${checkHandle(chosen, handle)}`;
}

function platformName(name) {
  let key = trimSpaces(name).toLowerCase();
  key = ALIASES[key] ?? key;
  if (!PLATFORMS.includes(key)) fail("social_platform", SITES);
  return key;
}

function site(host) {
  let name = host.toLowerCase();
  const sub = SUBDOMAIN.exec(name);
  if (!Object.hasOwn(HOSTS, name) && sub) name = sub[1];
  return Object.hasOwn(HOSTS, name) ? HOSTS[name] : "";
}

function fromUrl(value) {
  const match = URL_SHAPE.exec(value);
  if (match === null || hasSpace(value))
    fail("social_url", "this does not look like a link to a profile");
  const platform = site(match[1]);
  if (!platform) fail("social_site", SITES);
  const segments = match[2].split("/").filter(Boolean);
  const handle = PATHS[platform](segments, match[3] ?? "");
  if (!handle)
    fail("social_not_profile", "this link is to a post or a page, not to a person's profile");
  return [platform, handle];
}

const first = (platform) => (segments) =>
  !segments.length || (RESERVED[platform] ?? []).includes(segments[0].toLowerCase())
    ? ""
    : segments[0];

const atSign = (segments) =>
  segments.length && segments[0].startsWith("@") ? segments[0].slice(1) : "";

const linkedin = (segments) =>
  segments.length >= 2 && segments[0].toLowerCase() === "in" ? segments[1] : "";

const snapchat = (segments) =>
  segments.length >= 2 && segments[0].toLowerCase() === "add" ? segments[1] : atSign(segments);

function facebook(segments, query) {
  if (segments[0] === "profile.php") {
    const ids = /^(?:.*&)?id=([0-9]{1,20})(?:&.*)?$/.exec(query);
    return ids ? ids[1] : "";
  }
  if (segments.length >= 3 && segments[0].toLowerCase() === "people" && DIGITS.test(segments[2])) {
    return segments[2];
  }
  return first("facebook")(segments);
}

function youtube(segments) {
  if (segments.length >= 2 && segments[0] === "channel") {
    if (!YOUTUBE_CHANNEL.test(segments[1]))
      fail("social_handle", "this YouTube channel id is not valid");
    return "channel:" + segments[1];
  }
  if (segments.length && ["c", "user"].includes(segments[0])) {
    fail(
      "social_youtube_legacy",
      "old YouTube /c/ and /user/ links are ambiguous; open the channel and copy the " +
        "link that has @ or /channel/",
    );
  }
  return atSign(segments);
}

const PATHS = {
  instagram: first("instagram"),
  facebook,
  x: first("x"),
  linkedin,
  tiktok: atSign,
  snapchat,
  youtube,
  threads: atSign,
};

function checkHandle(platform, handle) {
  if (platform === "youtube" && handle.startsWith("channel:")) return handle; // case-sensitive id
  const invalid = () => fail("social_handle", `this is not a valid ${platform} username`);
  if (!isAscii(handle)) invalid(); // checked before lower-casing: "\u212a".toLowerCase() is "k"
  const name = handle.toLowerCase();
  if (platform === "facebook" && DIGITS.test(name)) return name; // a numeric profile id
  if (!HANDLES[platform].test(name) || name.includes("..")) invalid();
  return platform === "facebook" ? name.replaceAll(".", "") : name;
}
