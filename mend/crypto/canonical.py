"""Canonical perpetrator identifiers (ARCHITECTURE 9.1), the input of the escrow OPRF.

Two survivors who mean the same account must produce the same string, or they never match;
two different accounts must never produce the same string. So every rule here is either
exact (the platform itself treats the forms as one) or the input is refused with an error
that says what is wrong. We never guess. Names are not identifiers.

Forms:  email:<local>@<ascii-domain>   phone:+<E.164 digits>   social:<platform>:<handle>

The JS twin (static/js/crypto/canonical.js) implements the same rules without libraries;
tests/vectors/canonical.json (valid inputs and error codes) proves that they agree. The
Python tests also check every valid phone vector against `phonenumbers` (libphonenumber) and
every valid email domain against `idna` (UTS #46); the JS tests against the WHATWG URL parser.

Email provider rules: EMAIL_PROVIDERS is the one table of documented provider behaviour
(Gmail ignores dots and +tags, googlemail.com is gmail.com; Outlook.com, iCloud, Proton and
Fastmail ignore +tags). The JS twin has the same table, and the vectors file carries it so
that both tests check it. A domain not in the table keeps its dots and +tags: a wrong merge
would be a false match (docs/crypto.md). `tag_identifiers` gives the form without provider
rules, which entries made before the rules were keyed on.

Not covered: aliases a provider or an institution sets up for one person (first.last@ and
flast@); an email local part must be ASCII; phone numbers without a country code are read in
one of DEFAULT_REGIONS.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Final, NamedTuple

from mend.crypto import labels
from mend.crypto.errors import InvalidIdentifier

MAX_INPUT: Final = 512
#: Characters trimmed from both ends (an explicit list, so Python and JS trim the same).
SPACES: Final = (
    " \t\n\r\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff"
)
KINDS: Final = ("email", "phone", "social")


def canonicalise(
    kind: str, text: str, *, region: str = "US", platform: str = "", provider_rules: bool = True
) -> str:
    """The canonical identifier for what the survivor typed, or InvalidIdentifier.

    provider_rules: see canonical_email (the other kinds have no such rules)."""
    if kind == "email":
        return canonical_email(text, provider_rules=provider_rules)
    if kind == "phone":
        return canonical_phone(text, region)
    if kind == "social":
        return canonical_social(text, platform)
    raise InvalidIdentifier(
        "kind",
        "use an email address, a phone number or a social-media profile; names are not "
        "identifiers because many people share one",
    )


def oprf_input(identifier: str) -> bytes:
    """The exact bytes the escrow OPRF evaluates: "mend-escrow-v1|" + identifier."""
    if not identifier.startswith(tuple(f"{k}:" for k in KINDS)):
        raise InvalidIdentifier("not_canonical", "this is not a canonical identifier")
    return (labels.ESCROW_OPRF_PREFIX + identifier).encode("utf-8")


def _trim(text: str) -> str:
    value = text.strip(SPACES)
    if not value:
        raise InvalidIdentifier("empty", "nothing was entered")
    if len(value) > MAX_INPUT:
        raise InvalidIdentifier("too_long", f"this is longer than {MAX_INPUT} characters")
    return value


# --- email -------------------------------------------------------------------------------

_LOCAL: Final = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~.-]+")
_ASCII_LABEL: Final = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")


class EmailProvider(NamedTuple):
    """What a mail provider documents about its addresses: the domain its mailboxes live at,
    whether dots in the local part are ignored, and the character that starts a tag."""

    domain: str
    ignores_dots: bool
    tag_separator: str


_GMAIL: Final = EmailProvider("gmail.com", ignores_dots=True, tag_separator="+")
_APPLE: Final = EmailProvider("icloud.com", ignores_dots=False, tag_separator="+")

#: Mail domains whose documented rules make several addresses one mailbox. Only providers
#: whose own user names cannot contain the tag separator (or a dot, where dots are ignored),
#: so that removing them can never merge two people. Aliases: googlemail.com is gmail.com;
#: every @me.com and @mac.com account also has the same name at @icloud.com (Apple). Not
#: listed on purpose: Yahoo ('-' starts a disposable address whose base name is not the
#: account's name), Outlook's country domains and Proton's cross-domain names (not checked).
EMAIL_PROVIDERS: Final[dict[str, EmailProvider]] = {
    "gmail.com": _GMAIL,
    "googlemail.com": _GMAIL,
    "outlook.com": EmailProvider("outlook.com", ignores_dots=False, tag_separator="+"),
    "hotmail.com": EmailProvider("hotmail.com", ignores_dots=False, tag_separator="+"),
    "live.com": EmailProvider("live.com", ignores_dots=False, tag_separator="+"),
    "msn.com": EmailProvider("msn.com", ignores_dots=False, tag_separator="+"),
    "icloud.com": _APPLE,
    "me.com": _APPLE,
    "mac.com": _APPLE,
    "proton.me": EmailProvider("proton.me", ignores_dots=False, tag_separator="+"),
    "protonmail.com": EmailProvider("protonmail.com", ignores_dots=False, tag_separator="+"),
    "protonmail.ch": EmailProvider("protonmail.ch", ignores_dots=False, tag_separator="+"),
    "pm.me": EmailProvider("pm.me", ignores_dots=False, tag_separator="+"),
    "fastmail.com": EmailProvider("fastmail.com", ignores_dots=False, tag_separator="+"),
    "fastmail.fm": EmailProvider("fastmail.fm", ignores_dots=False, tag_separator="+"),
}


def canonical_email(text: str, *, provider_rules: bool = True) -> str:
    """email:<local part>@<IDNA ASCII domain>, lower-cased, then the provider's rules.

    Two addresses that a listed provider delivers to one mailbox give one string; any other
    two addresses give two. `provider_rules=False` gives the form used before the rules
    existed (entries made then were keyed on it).
    """
    local, domain = _email_parts(text)
    if provider_rules:
        local, domain = mailbox(local, domain, EMAIL_PROVIDERS.get(domain))
    return f"email:{local}@{domain}"


def mailbox(local: str, domain: str, rules: EmailProvider | None) -> tuple[str, str]:
    """The local part and domain with a provider's rules applied (none if `rules` is None).

    A tag is cut at the first separator; a local part that would then be empty is kept
    whole, since it names no other mailbox either.
    """
    if rules is None:
        return local, domain
    if rules.tag_separator:
        local = local.split(rules.tag_separator, 1)[0] or local
    if rules.ignores_dots:
        local = local.replace(".", "")
    return local, rules.domain


def tag_identifiers(identifier: str) -> list[str]:
    """What an entry tags for an identifier it keeps: the canonical form and, if provider
    rules changed it, the form used before the rules.

    Entries stored before the provider rules were keyed on the typed form, so an entry made
    now carries a tag for each: what matched before still matches (docs/crypto.md). Input:
    an identifier canonicalised with provider_rules=False (what an entry keeps).
    """
    if not identifier.startswith("email:"):
        return [identifier]
    current = canonical_email(identifier.removeprefix("email:"))
    return [current] if current == identifier else [current, identifier]


def _email_parts(text: str) -> tuple[str, str]:
    value = _trim(text)
    if any(ch in SPACES for ch in value):
        raise InvalidIdentifier("email_space", "an email address has no spaces")
    if value.count("@") != 1:
        raise InvalidIdentifier("email_at", "an email address has exactly one @")
    local, domain = value.split("@")
    local = local.lower() if local.isascii() else local  # "\u212a".lower() is "k"
    if not _LOCAL.fullmatch(local):
        raise InvalidIdentifier(
            "email_local",
            "before the @, only letters a-z, digits and ! # $ % & ' * + / = ? ^ _ ` { | } ~ . -"
            " are accepted",
        )
    if local.startswith(".") or local.endswith(".") or ".." in local:
        raise InvalidIdentifier("email_dots", "before the @, a dot cannot start, end or repeat")
    if len(local) > 64:
        raise InvalidIdentifier("email_local_length", "the part before the @ is too long")
    return local, ascii_domain(domain)


def ascii_domain(domain: str) -> str:
    """The lower-case ASCII (IDNA, punycode) form of a domain name, or InvalidIdentifier."""
    name = unicodedata.normalize("NFKC", domain).lower().replace("\u3002", ".")
    name = name.removesuffix(".")
    parts = name.split(".")
    if len(parts) < 2:
        raise InvalidIdentifier("email_domain_dot", "the domain needs a dot, as in example.org")
    ascii_parts = [_ascii_label(part) for part in parts]
    if ascii_parts[-1].isdigit():
        raise InvalidIdentifier("email_domain_tld", "the domain cannot end in a number")
    result = ".".join(ascii_parts)
    if len(result) > 253:
        raise InvalidIdentifier("email_domain_length", "the domain is too long")
    return result


def _ascii_label(label: str) -> str:
    if not label.isascii():
        if not all(unicodedata.category(ch)[0] in "LMN" or ch == "-" for ch in label):
            raise InvalidIdentifier(
                "email_domain_label", "the domain may only have letters, digits and hyphens"
            )
        label = "xn--" + label.encode("punycode").decode("ascii")
    if not label:
        raise InvalidIdentifier("email_domain_label", "the domain has an empty part (..)")
    if not _ASCII_LABEL.fullmatch(label) or len(label) > 63:
        raise InvalidIdentifier(
            "email_domain_label",
            "each part of the domain is letters, digits and inner hyphens, up to 63 long",
        )
    return label


# --- phone -------------------------------------------------------------------------------

#: Default regions for numbers typed without a country code, with their international
#: call prefix. Numbers that start with + (or the prefix) work from every country.
DEFAULT_REGIONS: Final = {"US": "011", "CA": "011", "GB": "00", "ES": "00"}
_SEPARATORS: Final = re.compile(r"[ \-.()/\u2010\u2012\u2013\u2014]")
_NANP: Final = re.compile(r"1[2-9]\d\d[2-9]\d{6}")


def canonical_phone(text: str, region: str = "US") -> str:
    """phone:+<E.164>; numbers without a country code are read in `region`."""
    if region not in DEFAULT_REGIONS:
        raise InvalidIdentifier(
            "phone_region", f"unsupported default region; use one of {', '.join(DEFAULT_REGIONS)}"
        )
    value = unicodedata.normalize("NFKC", _trim(text))
    international = value.startswith("+")
    if international:
        value = value[1:].replace("(0)", "")
    digits = _SEPARATORS.sub("", value)
    if not digits.isascii() or not digits.isdigit():
        raise InvalidIdentifier(
            "phone_characters",
            "a phone number has digits, an optional + at the start, and spaces, dashes, "
            "dots, brackets or slashes; letters and extensions are not accepted",
        )
    prefix = DEFAULT_REGIONS[region]
    if not international and digits.startswith(prefix):
        digits, international = digits[len(prefix) :], True
    e164 = digits if international else _national(region, digits)
    if e164.startswith("440"):
        e164 = "44" + e164[3:]  # "+44 0…": UK numbers never start with 0 after +44
    _check_e164(e164)
    return f"phone:+{e164}"


def _national(region: str, digits: str) -> str:
    if region in ("US", "CA"):
        return "1" + (digits[1:] if len(digits) == 11 and digits[0] == "1" else digits)
    if region == "GB":
        if not digits.startswith("0"):
            raise InvalidIdentifier(
                "phone_trunk", "a UK number without +44 starts with 0, as in 020 7946 0018"
            )
        return "44" + digits[1:]
    return "34" + digits  # ES: no trunk prefix


def _check_e164(e164: str) -> None:
    if e164.startswith("0"):
        raise InvalidIdentifier("phone_country_code", "a country code never starts with 0")
    if not 7 <= len(e164) <= 15:
        raise InvalidIdentifier("phone_length", "a phone number has 7 to 15 digits in all")
    rules = (
        ("1", _NANP.fullmatch, "a US or Canadian number has 10 digits after +1"),
        ("44", _uk_ok, "a UK number has 9 or 10 digits after +44 (or 10 or 11 with the 0)"),
        ("34", _spain_ok, "a Spanish number has 9 digits after +34, starting with 6 to 9"),
    )
    for code, valid, message in rules:
        if e164.startswith(code) and not valid(e164):
            raise InvalidIdentifier("phone_national", message)


def _uk_ok(e164: str) -> bool:
    return len(e164) in (11, 12)


def _spain_ok(e164: str) -> bool:
    return len(e164) == 11 and e164[2] in "6789"


# --- social media ------------------------------------------------------------------------

PLATFORMS: Final = (
    "instagram",
    "facebook",
    "x",
    "linkedin",
    "tiktok",
    "snapchat",
    "youtube",
    "threads",
)
_ALIASES: Final = {"twitter": "x"}
_HOSTS: Final = {
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
}
#: Sub-domains that serve the same profiles (LinkedIn also has two-letter country ones).
_SUBDOMAIN: Final = re.compile(r"(?:www|m|mobile|web|mbasic|[a-z]{2})\.(.+)")
_URL: Final = re.compile(r"(?:https?://)?([^/?#]+)([^?#]*)(?:\?([^#]*))?(?:#.*)?", re.IGNORECASE)
_HANDLES: Final = {
    "instagram": re.compile(r"[a-z0-9_](?:[a-z0-9_.]{0,28}[a-z0-9_])?"),
    "threads": re.compile(r"[a-z0-9_](?:[a-z0-9_.]{0,28}[a-z0-9_])?"),
    "facebook": re.compile(r"[a-z0-9.]{5,50}"),
    "x": re.compile(r"[a-z0-9_]{1,15}"),
    "linkedin": re.compile(r"[a-z0-9](?:[a-z0-9-]{1,98}[a-z0-9])"),
    "tiktok": re.compile(r"[a-z0-9_.]{1,23}[a-z0-9_]"),
    "snapchat": re.compile(r"[a-z][a-z0-9._-]{1,13}[a-z0-9]"),
    "youtube": re.compile(r"[a-z0-9._-]{3,30}"),
}
_DIGITS: Final = re.compile(r"[0-9]{1,20}")
_YOUTUBE_CHANNEL: Final = re.compile(r"UC[A-Za-z0-9_-]{22}")
_RESERVED: Final = {
    "instagram": {"p", "reel", "reels", "tv", "explore", "stories", "accounts", "direct"},
    "x": {"i", "home", "search", "explore", "intent", "share", "hashtag", "settings"},
    "facebook": {"groups", "pages", "events", "watch", "marketplace", "share", "sharer"},
}


def canonical_social(text: str, platform: str = "") -> str:
    """social:<platform>:<handle> from a profile link, or from a handle and its platform."""
    value = _trim(text)
    chosen = _platform(platform) if platform else ""
    if "/" in value or _site(value):
        found, handle = _from_url(value)
        if chosen and found != chosen:
            raise InvalidIdentifier(
                "social_platform_mismatch", f"this link is to {found}, not {chosen}"
            )
        chosen = found
    elif not chosen:
        raise InvalidIdentifier(
            "social_platform_needed", "say which platform this handle is on, or paste a link"
        )
    else:
        handle = value.removeprefix("@")
    return f"social:{chosen}:{_handle(chosen, handle)}"


def _platform(name: str) -> str:
    key = name.strip(SPACES).lower()
    key = _ALIASES.get(key, key)
    if key not in PLATFORMS:
        raise InvalidIdentifier(
            "social_platform", f"Mend recognises profiles on: {', '.join(PLATFORMS)}"
        )
    return key


def _site(host: str) -> str:
    """The platform whose web site `host` is, or "" (only whole, known host names count)."""
    host = host.lower()
    sub = _SUBDOMAIN.fullmatch(host)
    if host not in _HOSTS and sub:
        host = sub[1]
    return _HOSTS.get(host, "")


def _from_url(value: str) -> tuple[str, str]:
    match = _URL.fullmatch(value)
    if match is None or any(ch in SPACES for ch in value):
        raise InvalidIdentifier("social_url", "this does not look like a link to a profile")
    platform = _site(match[1])
    if not platform:
        raise InvalidIdentifier(
            "social_site", f"Mend recognises profiles on: {', '.join(PLATFORMS)}"
        )
    segments = [s for s in match[2].split("/") if s]
    handle = _PATHS[platform](segments, match[3] or "")
    if not handle:
        raise InvalidIdentifier(
            "social_not_profile", "this link is to a post or a page, not to a person's profile"
        )
    return platform, handle


def _first(platform: str) -> Callable[[list[str], str], str]:
    """The handle is the first path segment unless that is one of the site's own pages."""

    def rule(segments: list[str], query: str) -> str:
        if not segments or segments[0].lower() in _RESERVED.get(platform, set()):
            return ""
        return segments[0]

    return rule


def _at_sign(segments: list[str], query: str) -> str:
    return segments[0][1:] if segments and segments[0].startswith("@") else ""


def _linkedin(segments: list[str], query: str) -> str:
    return segments[1] if len(segments) >= 2 and segments[0].lower() == "in" else ""


def _snapchat(segments: list[str], query: str) -> str:
    if len(segments) >= 2 and segments[0].lower() == "add":
        return segments[1]
    return _at_sign(segments, query)


def _facebook(segments: list[str], query: str) -> str:
    if segments[:1] == ["profile.php"]:
        ids = re.fullmatch(r"(?:.*&)?id=([0-9]{1,20})(?:&.*)?", query)
        return ids[1] if ids else ""
    if len(segments) >= 3 and segments[0].lower() == "people" and _DIGITS.fullmatch(segments[2]):
        return segments[2]
    return _first("facebook")(segments, query)


def _youtube(segments: list[str], query: str) -> str:
    if len(segments) >= 2 and segments[0] == "channel":
        if not _YOUTUBE_CHANNEL.fullmatch(segments[1]):
            raise InvalidIdentifier("social_handle", "this YouTube channel id is not valid")
        return "channel:" + segments[1]
    if segments[:1] in (["c"], ["user"]):
        raise InvalidIdentifier(
            "social_youtube_legacy",
            "old YouTube /c/ and /user/ links are ambiguous; open the channel and copy the "
            "link that has @ or /channel/",
        )
    return _at_sign(segments, query)


_PATHS: Final[dict[str, Callable[[list[str], str], str]]] = {
    "instagram": _first("instagram"),
    "facebook": _facebook,
    "x": _first("x"),
    "linkedin": _linkedin,
    "tiktok": _at_sign,
    "snapchat": _snapchat,
    "youtube": _youtube,
    "threads": _at_sign,
}


def _handle(platform: str, handle: str) -> str:
    if platform == "youtube" and handle.startswith("channel:"):
        return handle  # channel ids are case-sensitive and already checked
    if not handle.isascii():  # checked before lower-casing: "\u212a".lower() is "k"
        raise InvalidIdentifier("social_handle", f"this is not a valid {platform} username")
    name = handle.lower()
    if platform == "facebook" and _DIGITS.fullmatch(name):
        return name  # a numeric profile id
    if not _HANDLES[platform].fullmatch(name) or ".." in name:
        raise InvalidIdentifier("social_handle", f"this is not a valid {platform} username")
    if platform == "facebook":
        return name.replace(".", "")  # Facebook ignores dots in usernames
    return name
