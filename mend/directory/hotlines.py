"""National help lines: a reviewable, sourced data file, one list per country.

Shown on the home page and beside empty search results, so that nobody who searches for
help finds nothing to call. ``settings.HOTLINES_FILE`` names the file (the shipped
``data/hotlines.json`` by default) and ``settings.HOTLINE_COUNTRY`` the country. Every
line carries the page where its number was checked and when; ``validate`` is what the
tests hold the file to.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import get_language

SHIPPED = Path(__file__).with_name("data") / "hotlines.json"
NUMBER = re.compile(r"^\+?[0-9]{3,15}$")


@dataclass(frozen=True)
class Line:
    name: str
    about: str
    phone_display: str
    tel: str  # tel: URI
    text_number: str
    text_message: str
    url: str
    for_anyone: bool  # for anyone in crisis, not only people who were harmed


@dataclass(frozen=True)
class Country:
    emergency: str
    lines: tuple[Line, ...]

    @property
    def for_anyone(self) -> Country:
        """The lines for anyone in crisis (``"for_anyone": true`` in the file): what the
        pages of someone who is not there as a survivor show (a dialogue's responsible
        person), where a line for people who were harmed would be out of place."""
        return Country(self.emergency, tuple(line for line in self.lines if line.for_anyone))


@functools.cache
def _load(path: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    problems = validate(data)
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    return data


def for_country(country: str | None = None, language: str | None = None) -> Country | None:
    """The lines of ``country`` (the configured one by default) in ``language`` (the
    page's), English where a text has no translation; None for a country not listed.
    Every page's footer asks: built once per file, country and language."""
    path = str(settings.HOTLINES_FILE or SHIPPED)
    lang = (language or get_language() or "en").split("-")[0]
    return _country(path, country or settings.HOTLINE_COUNTRY, lang)


@functools.cache
def _country(path: str, country: str, lang: str) -> Country | None:
    entry = _load(path).get(country)
    if entry is None:
        return None

    def say(texts: dict[str, str]) -> str:
        return texts.get(lang) or texts["en"]

    lines = tuple(
        Line(
            name=say(item["name"]),
            about=say(item["about"]),
            phone_display=item["phone_display"],
            tel=f"tel:{item['phone']}",
            text_number=item.get("text", {}).get("number", ""),
            text_message=item.get("text", {}).get("message", ""),
            url=item.get("chat_url", ""),
            for_anyone=item.get("for_anyone", False),
        )
        for item in entry["lines"]
    )
    return Country(emergency=entry["emergency"], lines=lines)


def validate(data: dict[str, Any]) -> list[str]:
    """Problems with a hotlines file: every line needs an English name and description,
    a dialable number, an https source and the date it was checked."""
    problems: list[str] = []
    for code, entry in data.items():
        if code.startswith("_"):
            continue
        if not re.fullmatch(r"[A-Z]{2}", code):
            problems.append(f"{code}: not an ISO 3166-1 alpha-2 country code")
            continue
        if not NUMBER.match(str(entry.get("emergency", ""))):
            problems.append(f"{code}: no emergency number")
        for n, item in enumerate(entry.get("lines", [])):
            problems += [f"{code} line {n + 1}: {p}" for p in _line_problems(item)]
    return problems


def _line_problems(item: dict[str, Any]) -> list[str]:
    problems = []
    for field in ("name", "about"):
        if not isinstance(item.get(field), dict) or not item[field].get("en"):
            problems.append(f"{field} needs an English text")
    if not NUMBER.match(str(item.get("phone", ""))) or not item.get("phone_display"):
        problems.append("phone must be digits (with + for an international number)")
    text = item.get("text", {})
    if text and not NUMBER.match(str(text.get("number", ""))):
        problems.append("text.number must be digits")
    for field in ("source", "chat_url"):
        if item.get(field) and not str(item[field]).startswith("https://"):
            problems.append(f"{field} must be an https address")
    if not item.get("source"):
        problems.append("source is missing: say where the number was checked")
    if not isinstance(item.get("for_anyone", False), bool):
        problems.append("for_anyone must be true or false")
    try:
        date.fromisoformat(str(item.get("verified_on")))
    except ValueError:
        problems.append("verified_on must be a date (YYYY-MM-DD)")
    return problems
