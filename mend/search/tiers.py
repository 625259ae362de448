"""A nationwide text search sorted by relevance, a page at a time (ADR 0017).

Relevance gives 2 points per query word found in the entry's title words (a title word
that starts with it), else 1; ties go by ``sort_name``, then ``pk``. With n words an
entry scores n + k, k being how many of them are in its title: the entries of one score
form a tier. The full-text index holds each title word a second time, marked
(``fulltext.TITLE_MARK``), so a tier is one full-text question (every word, and exactly
k of the marked ones) and is counted there, from the best tier down, until the page is
reached. Then only the page's rows are read, from the tier(s) it falls in, in
``(sort_name, pk)`` order, one of two ways:

- ``walk``: the ``sort_name`` index in order, each entry checking its own words
  (``fulltext.tier_check``), stopping after the page; from the far end when the page is
  nearer the tier's end. It reads about (rows up to the page) x entries / tier size:
  cheap for a dense tier.
- ``sort``: the tier's entries listed by the full-text index, then sorted. It reads the
  whole tier: cheap for a sparse one.

The old way (``database.relevance``) scored and sorted every match, so its cost grew
with the matches. Guarantee: the same entries, in the same order, with the same total
(the tests compare both ways on both databases).
"""

from __future__ import annotations

from typing import Literal

from django.db.models import Exists, OuterRef, QuerySet

from mend.search import fulltext
from mend.search.models import SearchEntry, SearchText

# Tiers are asked as OR of every way to choose which words are in the title: 2^n
# terms over all tiers. Longer queries (up to params.MAX_WORDS) go the old way.
MAX_WORDS = 4
# After a count: a walk reads (rows up to the page) x entries / tier size rows; a sort,
# the tier's rows, each sorted too. Walk when it reads fewer than this many times the
# tier's rows. Not tuned: at 100,000 entries a walked row and a sorted one cost about
# the same (docs/performance.md, "Full-text search").
WALK_WEIGHT = 1.0
# A tier is first read by a scan of the sort_name index (``scan``) that gives up after
# this many entries: it needs no count of the tier, and a dense tier's page comes at once.
SCAN_ROWS = 1500
CHUNK = 64

How = Literal["scan", "walk", "sort"]


def can_answer(words: tuple[str, ...]) -> bool:
    """On both databases. On PostgreSQL a first page by tiers took a quarter to a half of
    scoring every match, at 100,000 entries and at a million; a page a third of the way
    through the matches took up to 1.5 times as long at 100,000 (docs/performance.md,
    "Session 10")."""
    return 0 < len(words) <= MAX_WORDS


class Counts:
    """How many entries have a search's words, asked of the full-text index
    (``memory.FileCounts``: of the search file's word lists)."""

    # Whether a count costs next to nothing: then each tier is counted before it is read
    # (empty ones skipped, the way to read it chosen at once) instead of scanned first.
    cheap = False

    def every(self, words: tuple[str, ...]) -> int:
        """The entries with every word."""
        return fulltext.count_matching(words)

    def tier(self, words: tuple[str, ...], titled: int) -> int:
        """The entries with every word and exactly ``titled`` of them in the title."""
        return fulltext.count_listed(fulltext.tier_query(words, titled))


def page(
    words: tuple[str, ...],
    offset: int,
    limit: int,
    total: int,
    how: How | None = None,
    counts: Counts | None = None,
) -> list[int]:
    """The ids of rows ``offset`` to ``offset + limit`` of the ``total`` entries with
    every word, best tier first. ``how`` forces one way of reading a tier (the tests use it)."""
    rows: list[int] = []
    start = 0  # where the current tier starts in the whole order
    span = entry_span()
    counts = counts or Counts()
    for titled in range(len(words), -1, -1):
        if start >= offset + limit or start >= total:
            break
        low, want = max(offset - start, 0), offset + limit - start
        found: list[int] = []
        size: int | None = None
        if how is not None or not counts.cheap:
            budget = SCAN_ROWS if how is None else (span if how == "scan" else 0)
            found, size = scan(words, titled, want, min(budget, span), span * want // total)
            if size is None and len(found) >= want:
                return rows + found[low:want]
        if size is None:  # not scanned, or the scan gave up: count the tier, then read it
            size = total - start if titled == 0 else counts.tier(words, titled)
            high = min(want, size)
            if low < high:
                way = how if how in ("walk", "sort") else choose(low, high, size, span)
                found = tier_rows(words, titled, low, high, size, way)
                low = 0
        rows += found[low:want]
        start += size
    return rows


def choose(low: int, high: int, size: int, span: int) -> How:
    """Walk when the walk would read fewer rows (weighted) than the sort."""
    walked = min(high, size - low) * span / size
    return "walk" if walked < WALK_WEIGHT * size else "sort"


def scan(
    words: tuple[str, ...], titled: int, want: int, budget: int, guess: int
) -> tuple[list[int], int | None]:
    """The tier's first ``want`` rows, read by walking the ``sort_name`` index in
    chunks, each chunk's entries checking their own words in one query, reading at most
    ``budget`` entries. Returns the rows found and, when the walk reached the end of the
    index, the tier's size (else None). ``guess``: how many entries the walk would read
    if the tier were as dense as every match (the first chunk)."""
    found: list[int] = []
    after: tuple[str, int] | None = None
    read, chunk = 0, max(guess + guess // 4, CHUNK)
    while len(found) < want and read < budget:
        entries = SearchEntry.objects.order_by("sort_name", "pk")
        if after is not None:
            entries = entries.filter(sort_name__gte=after[0]).exclude(
                sort_name=after[0], pk__lte=after[1]
            )
        asked = min(chunk, budget - read)
        batch = list(entries.values_list("sort_name", "pk")[:asked])
        read += len(batch)
        found += checked([pk for _, pk in batch], words, titled)
        if len(batch) < asked:  # the end of the index: every row of the tier is found
            return found, len(found)
        if len(found) < want and (want - len(found)) * read > (budget - read) * len(found):
            break  # at the density seen so far the budget would run out: give up now
        after, chunk = batch[-1], chunk * 2
    return found, None


def checked(pks: list[int], words: tuple[str, ...], titled: int) -> list[int]:
    """Those of ``pks`` in the tier, in the order given."""
    if not pks:
        return []
    texts = SearchText.objects.filter(pk=OuterRef("pk")).filter(fulltext.tier_check(words, titled))
    rows = SearchEntry.objects.filter(pk__in=pks).filter(Exists(texts))
    having = set(rows.values_list("pk", flat=True))
    return [pk for pk in pks if pk in having]


def entry_span() -> int:
    """About how many entries there are (ids run nearly unbroken after a full rebuild),
    from the primary key's two ends instead of a count. Two queries: SQLite reads MIN
    and MAX from the index only when each is alone in its query."""
    ids = SearchEntry.objects.values_list("pk", flat=True)
    low, high = ids.order_by("pk").first(), ids.order_by("-pk").first()
    return 0 if low is None or high is None else high - low + 1


def tier_rows(
    words: tuple[str, ...], titled: int, low: int, high: int, size: int, how: How
) -> list[int]:
    """Rows ``low`` to ``high`` of the tier of ``size`` entries, in (sort_name, pk) order."""
    entries: QuerySet[SearchEntry]
    if how == "sort":
        query = fulltext.tier_query(words, titled)
        entries = SearchEntry.objects.filter(fulltext.listed_by(query))
    else:
        texts = SearchText.objects.filter(pk=OuterRef("pk")).filter(
            fulltext.tier_check(words, titled)
        )
        entries = SearchEntry.objects.filter(Exists(texts))
    if how == "walk" and size - low < high:
        # Nearer the end: walk back from it, and turn the rows round.
        backwards = entries.order_by("-sort_name", "-pk")[size - high : size - low]
        return list(reversed(list(backwards.values_list("pk", flat=True))))
    forwards = entries.order_by("sort_name", "pk")[low:high]
    return list(forwards.values_list("pk", flat=True))
