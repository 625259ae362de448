"""The inline Markdown subset of training content: checked, and rendered safely.

Allowed: ``**bold**``, ``*emphasis*`` and ``[text](https://...)`` or ``[text](/a/page/)`` (a
page of Mend itself); nothing else.

Guarantees of ``render``: every character of the text is HTML-escaped except the markup
it produces itself (``<strong>``, ``<em>``, ``<a href>``); a link is made only for an
``https://`` address with a host, or a path on this site (``/leave/``; never ``//host``),
and opens nothing but that address (``rel="noreferrer"`` so the other site learns nothing
of the page). Raw HTML in the text is shown as text,
never interpreted; anything the checker would refuse is rendered as escaped plain text.
The renderer does not trust the checker: both run on every text.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# One token: a link, bold, or emphasis; the text between tokens is plain.
_TOKEN = re.compile(
    r"\[(?P<text>[^\[\]]+)\]\((?P<url>[^()\s]+)\)"
    r"|\*\*(?P<bold>[^*]+)\*\*"
    r"|\*(?P<em>[^*\s][^*]*)\*"
)
_STRAY = re.compile(r"[*\[\]`]|<[A-Za-z/!?]|!\[")


def is_https_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" and bool(parts.hostname) and not any(c in url for c in "<>\"' ")


# A page of Mend itself: a plain absolute path (no scheme, no host, no "//", no backslash).
_SITE_PATH = re.compile(r"/(?![/\\])[A-Za-z0-9/_.~-]*(?:#[A-Za-z0-9_-]+)?")


def is_link_allowed(url: str) -> bool:
    return is_https_url(url) or _SITE_PATH.fullmatch(url) is not None


def inline_problems(text: str) -> list[str]:
    """What in ``text`` is outside the subset (empty when it is all allowed)."""
    problems = []
    if "![" in text:
        problems.append("images are not allowed (markup outside the subset)")
    for match in _TOKEN.finditer(text):
        url = match.group("url")
        if url is not None and not is_link_allowed(url):
            problems.append(f"only https links and paths on this site are allowed: {url[:60]!r}")
    rest = _TOKEN.sub(" ", text)
    stray = _STRAY.search(rest)
    if stray:
        problems.append(f"markup outside the subset (raw HTML, code, images?): {stray.group()!r}")
    return problems


def plain(text: str) -> str:
    """The text without its markup (link text kept), for counting words."""
    return _TOKEN.sub(lambda m: m.group("text") or m.group("bold") or m.group("em") or "", text)


def render(text: str) -> SafeString:
    """HTML for one piece of text of the subset; see the module's guarantees."""
    if inline_problems(text):
        return escape(text)
    out: list[str] = []
    position = 0
    for match in _TOKEN.finditer(text):
        out.append(escape(text[position : match.start()]))
        out.append(_render_token(match))
        position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 (every piece escaped above)


def _render_token(match: re.Match[str]) -> str:
    if match.group("url") is not None:
        return (
            f'<a href="{escape(match.group("url"))}" rel="noreferrer">'
            f"{escape(match.group('text'))}</a>"
        )
    if match.group("bold") is not None:
        return f"<strong>{escape(match.group('bold'))}</strong>"
    return f"<em>{escape(match.group('em'))}</em>"
