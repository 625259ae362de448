"""Which rows of the search file have a word: its word lists (ADR 0018, addendum 2).

The file (``mend.search.searchfile``) holds every word the full-text index holds for its
entries (``fulltext.document``: the words and the marked title words),
sorted, and for each word the rows that have it: a bitmap of every row when at least one
row in 32 has it (as long as a list would be, or shorter), else the sorted row numbers.
So a search's words are answered by bit operations on Python integers, with the same
meaning as the full-text index (``fulltext.tsquery``): every query word must match; a
word of three or more letters matches any stored word that starts with it, a shorter one
only itself; a title word (marked) that starts with it counts for relevance whatever its
length.

Why: PostgreSQL's GIN index lists the entries with a word, but counts them only by
reading every listed row's page (150,000 matches: 430-730 ms at a million entries), and
checks a row's words at 6-10 µs; a bitmap is counted in microseconds and a row tested in
a fraction of one (docs/performance.md, "Session 12").

Not protected here: nothing; the words are those of the full-text index (address words
only for public addresses, ``mend.search.drafts``). The file is the index at its version:
entries changed since (a snapshot's ``removed`` and ``overlay``) are the caller's.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import reduce
from itertools import chain, combinations, repeat
from operator import and_
from typing import TYPE_CHECKING, Any

from django.db import connections

from mend.search import fulltext
from mend.search.fulltext import TITLE_MARK

if TYPE_CHECKING:
    from mend.search.searchfile import SearchFile

READ_CHUNK = 2_000
# Bitmaps of a query word kept per mapped file, in each process (at most 125 KB each at
# a million rows): a search asks the same words for its count, its tiers and its page.
MEMO_SIZE = 64
# Stored words hold [a-z0-9_], all before "{": the words starting with a prefix are the
# range [prefix, prefix + END).
END = b"{"


# --- writing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Encoded:
    blob: bytes  # the words, sorted, one after the other
    starts: array[int]  # where each word starts in ``blob``; one more at the end
    postings_at: array[int]  # where each word's rows start in ``postings``; one more
    postings: array[int]  # bitmaps (32 rows an item) and lists of row numbers


class Builder:
    """Each word's rows, gathered row by row in row order."""

    def __init__(self) -> None:
        self.rows: dict[str, array[int]] = {}
        self._encoded: tuple[int, Encoded] | None = None

    def add(self, row: int, words: Iterable[str]) -> None:
        rows = self.rows
        for word in words:
            found = rows.get(word)
            if found is None:
                found = rows[word] = array("i")
            found.append(row)

    def encoded(self, size: int) -> Encoded:
        """The sections, for a file of ``size`` rows (made once)."""
        if self._encoded is None or self._encoded[0] != size:
            self._encoded = (size, _encode(self.rows, size))
        return self._encoded[1]


def _encode(rows: dict[str, array[int]], size: int) -> Encoded:
    blob, starts = bytearray(), array("q", [0])
    postings, postings_at = array("i"), array("q", [0])
    width = bitmap_items(size)
    for word in sorted(rows):
        blob += word.encode("ascii")
        starts.append(len(blob))
        listed = rows[word]
        postings.extend(listed if len(listed) < width else array("i", bitmap(listed, size)))
        postings_at.append(len(postings))
    return Encoded(bytes(blob), starts, postings_at, postings)


def bitmap_items(size: int) -> int:
    """The 32-bit items of a bitmap of ``size`` rows: a word listed in as many rows or
    more is stored as a bitmap, of exactly this length; a list is always shorter."""
    return max(1, (size + 31) // 32)


def bitmap(rows: Iterable[int], size: int) -> bytes:
    """The bitmap of these rows, of a file of ``size`` rows (bit n: row n). A byte per
    row is set first, in C (``map``), and the eight rows of each byte of the bitmap are
    then gathered a stride at a time: at a million rows, 5 ms a word plus 65 ns a row,
    against 110-230 ns a row setting each bit in Python."""
    length = bitmap_items(size) * 4
    one_per_row = bytearray(length * 8)
    deque(map(one_per_row.__setitem__, rows, repeat(1)), maxlen=0)
    bits = 0
    for shift in range(8):
        bits |= int.from_bytes(one_per_row[shift::8], "little") << shift
    return bits.to_bytes(length, "little")


def documents(alias: str) -> Iterator[tuple[int, list[str]]]:
    """Every entry's stored words, as ``(entry id, words)`` in entry order."""
    db = connections[alias]
    column = fulltext.words_as_text(db)
    with db.chunked_cursor() as cursor:
        cursor.execute(f"SELECT rowid, {column} FROM {fulltext.TABLE} ORDER BY rowid")  # noqa: S608
        while batch := cursor.fetchmany(READ_CHUNK):
            for pk, words in batch:
                yield pk, words.split()


def add_documents(words: Builder, pks: Any, found: Iterable[tuple[int, list[str]]]) -> None:
    """Each document's words under its entry's row (``pks``: the rows' entry ids, in
    order, as ``found`` is); a document whose entry is not a row is left out."""
    row, size = 0, len(pks)
    for pk, document in found:
        while row < size and pks[row] < pk:
            row += 1
        if row < size and pks[row] == pk:
            words.add(row, document)


# --- reading --------------------------------------------------------------------------------


def rows_with(f: SearchFile, word: str, *, prefix: bool) -> int:
    """The rows that have ``word`` (any word starting with it, when ``prefix``), as the
    bits of an integer (bit n: row n)."""
    key = (word, prefix)
    found = f.word_bits.get(key)
    if found is None:
        found = _rows_of(f, *_word_range(f, word.encode("ascii"), prefix))
        if len(f.word_bits) >= MEMO_SIZE:
            f.word_bits.clear()  # whole: one step, whatever another thread does meanwhile
        f.word_bits[key] = found
    return found


def every_word(f: SearchFile, words: tuple[str, ...]) -> int:
    """The rows with every word (``fulltext.matching``)."""
    return reduce(and_, (_plain(f, word) for word in words), -1 if words else 0)


def in_tier(f: SearchFile, words: tuple[str, ...], titled: int) -> int:
    """The rows with every word and exactly ``titled`` of them in the title
    (``fulltext.tier_query``)."""
    marked = [rows_with(f, TITLE_MARK + word, prefix=True) for word in words]
    every, tier = every_word(f, words), 0
    for chosen in combinations(range(len(words)), titled):
        one = every
        for n, bits in enumerate(marked):
            one &= bits if n in chosen else ~bits
        tier |= one
    return tier


def without(bits: int, f: SearchFile, pks: Iterable[int]) -> int:
    """``bits`` but the rows of these entries (those removed since the file)."""
    rows = [n for n in (row_of(f, pk) for pk in pks) if n is not None]
    return bits & ~int.from_bytes(bitmap(rows, f.size), "little") if rows else bits


def row_of(f: SearchFile, pk: int) -> int | None:
    """The row of entry ``pk`` (rows are in entry order), None if it has none."""
    n = bisect_left(f.pk, pk)
    return n if n < len(f.pk) and f.pk[n] == pk else None


def tester(bits: int, f: SearchFile) -> Any:
    """A test of one row number against ``bits`` (true if its bit is set), cheaper per
    row than shifting an integer of a million bits."""
    table = bits.to_bytes(bitmap_items(f.size) * 4, "little")
    return lambda n: table[n >> 3] >> (n & 7) & 1


def _plain(f: SearchFile, word: str) -> int:
    return rows_with(f, word, prefix=len(word) >= 3)


def _word_range(f: SearchFile, word: bytes, prefix: bool) -> tuple[int, int]:
    count = len(f.word_starts) - 1
    first = bisect_left(range(count), word, key=lambda n: _word(f, n))
    if not prefix:
        return first, first + (first < count and _word(f, first) == word)
    return first, bisect_left(range(first, count), word + END, key=lambda n: _word(f, n)) + first


def _word(f: SearchFile, n: int) -> bytes:
    return bytes(f.word_blob[f.word_starts[n] : f.word_starts[n + 1]])


def _rows_of(f: SearchFile, first: int, last: int) -> int:
    """The rows of words ``first`` to ``last``: the bitmaps ORed, and every listed row
    set in one more bitmap made once (a prefix can stand for thousands of rare words:
    one bitmap each would cost 5 ms a word at a million rows)."""
    width, found, listed = bitmap_items(f.size), 0, []
    for n in range(first, last):
        start, end = f.word_postings[n], f.word_postings[n + 1]
        if end - start == width:
            found |= int.from_bytes(f.postings[start:end].cast("B"), "little")
        else:
            listed.append(f.postings[start:end])
    if listed:
        found |= int.from_bytes(bitmap(chain.from_iterable(listed), f.size), "little")
    return found
