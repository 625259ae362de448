"""The words survivors search with, mapped to the Mend taxonomy (``data/synonyms.json``).

Survivors search in their own words ("rape", "therapy", "terapia"), not in the
taxonomy's ("Forensic and medical exam after assault"). The indexer adds these words to
every service tagged with a term, in both languages, so such a search finds the services
that help; nothing changes in how a query is read. The file is reviewable data, checked
by ``problems`` in the tests.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from mend.directory import taxonomy
from mend.search import text

FILE = Path(__file__).with_name("data") / "synonyms.json"
LANGUAGES = ("en", "es")


@functools.cache
def _vocabulary() -> dict[str, dict[str, list[str]]]:
    data: dict[str, dict[str, list[str]]] = json.loads(FILE.read_text(encoding="utf-8"))
    return {code: words for code, words in data.items() if not code.startswith("_")}


def words_for(code: str) -> frozenset[str]:
    """The search tokens of every synonym of ``code``, in every language."""
    phrases = [p for language in LANGUAGES for p in _vocabulary().get(code, {}).get(language, [])]
    return frozenset(text.tokens(phrases))


def problems(data: dict[str, dict[str, list[str]]]) -> list[str]:
    """What is wrong with a vocabulary: unknown codes, a language missing, or a phrase
    that leaves no word to search for (only common words such as "the")."""
    known = {term.code for term in taxonomy.ALL_TERMS}
    found = []
    for code, languages in data.items():
        if code.startswith("_"):
            continue
        if code not in known:
            found.append(f"{code}: not a Mend taxonomy code")
            continue
        for language in LANGUAGES:
            phrases = languages.get(language)
            if not phrases:
                found.append(f"{code}: no {language} words")
            for phrase in phrases or []:
                if not text.words(phrase):
                    found.append(f"{code}: {phrase!r} has no word to search for")
    return found
