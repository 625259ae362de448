"""Text normalisation shared by the indexer and the query, so both agree on words.

Words are folded to ASCII lower case without accents ("Asesoría" -> "asesoria"), split
on anything that is not a letter or digit, stripped of a final plural "s", and common
words in English and Spanish are dropped. Tokens hold only [a-z0-9], which sort the same
under SQLite's BINARY and PostgreSQL's usual collations, so a prefix is an index range.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MAX_TOKEN = 40
# Words too common to narrow a search, in English and Spanish.
STOPWORDS = frozenset(
    (
        *("a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it"),
        *("of", "on", "or", "the", "to", "with", "we", "our", "you", "your", "al", "como"),
        *("con", "de", "del", "el", "en", "es", "la", "las", "lo", "los", "para", "por"),
        *("que", "se", "su", "sus", "un", "una", "uno", "y"),
    )
)
# Spelling variants a search should treat as one word.
NOT_WORD = re.compile(r"[^a-z0-9]+")
VARIANTS = {"counselling": "counseling", "counsellor": "counselor", "centre": "center"}


def fold(text: str) -> str:
    if text.isascii():
        # The same result, without walking every character: NFKD leaves ASCII as it is,
        # none of it is combining, and casefold is lower there.
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def stem(word: str) -> str:
    word = VARIANTS.get(word, word)
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word[:MAX_TOKEN]


def words(text: str) -> list[str]:
    """The normalised words of ``text``, in order, stopwords dropped."""
    return [stem(w) for w in NOT_WORD.split(fold(text)) if w and w not in STOPWORDS]


def tokens(texts: Iterable[str]) -> set[str]:
    return {word for text in texts for word in words(text)}


def prefix_range(prefix: str) -> tuple[str, str]:
    """[low, high) covering every token that starts with ``prefix``."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)
