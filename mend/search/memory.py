"""The same search answered from the search copy (``mend.search.nearby``: a mapped file
and its overlay).

Only searches around a place, with filters that the copy holds, are answered here
(``can_answer``); the result is the one ``mend.search.database`` would give: the same
matches in the same order (``ordering``), which tests compare.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from itertools import compress, repeat
from typing import Any, Final

from mend.search import fulltext, nearby, tiers, wordlists
from mend.search.database import circle_of, only_text, open_profiles
from mend.search.index import chunks
from mend.search.models import SearchEntry
from mend.search.params import Resolved
from mend.search.results import SearchResult, empty_result
from mend.search.searchfile import SearchFile

PK: Final = 0  # in a nearby.Match


def can_answer(r: Resolved) -> bool:
    p = r.params
    return (
        r.place is not None
        and not p.by_service
        and p.organization_id is None
        and p.modified_after is None
        and not r.linked_terms  # the copy has no attached terms: the database answers
        and not p.taxonomy_ids
    )


def page(r: Resolved, snapshot: nearby.Snapshot) -> SearchResult:
    """The page of ``r`` and the count of every match: the same rows in the same order
    as sorting every match by ``_sort_key`` and slicing the page (``ranked``)."""
    wanted = _wanted(r)
    if r.sort != "distance":
        return page_of_rows(ranked(r, snapshot, wanted), r)
    found, _ = _with_words(r, snapshot, wanted)
    offset = (r.params.page - 1) * r.params.per_page
    rows = _nearest(snapshot.file, found, offset, offset + r.params.per_page)
    return page_of_rows(rows, r, offset=offset, total=len(found))


def _nearest(f: SearchFile, found: nearby.Found, offset: int, end: int) -> list[nearby.Match]:
    """Rows ``offset`` to ``end`` in distance order (then name, then id; remote services
    last, by name then id), naming only the rows that can be on the page: the located
    ones no farther than the page's last (ties included), and the remote ones only when
    the page reaches them."""
    chosen: list[nearby.Match] = []
    if offset < len(found.located):
        page = f.nearest(found.located, found.distances, offset, end)
        if page is None:  # a changed entry among them, or the C module not built
            page = _nearest_in_python(f, found.located, found.distances, offset, end)
        chosen = page
    if end > len(found.located):
        remote = map(nearby.match_of, repeat(f), found.remote, repeat(None))
        start = max(0, offset - len(found.located))
        chosen += sorted(remote, key=_by_distance)[start : end - len(found.located)]
    return chosen


def _nearest_in_python(
    f: SearchFile,
    located: Sequence[int | nearby.Row],
    distances: Sequence[float],
    offset: int,
    end: int,
) -> list[nearby.Match]:
    """The located rows ``offset`` to ``end`` by (distance, name, id): ``SearchFile.nearest``
    in Python, and its reference (tests compare the two)."""
    first = min(end, len(located))
    if first < len(located):
        farthest = _smallest(first, distances)
        near = farthest.__ge__
        located = list(compress(located, map(near, distances)))
        distances = list(filter(near, distances))
    named = _sorted_by_distance(f, located, distances)
    return [(pk, name, d2) for d2, name, pk in named[offset:first]]


def _sorted_by_distance(
    f: SearchFile, located: Sequence[int | nearby.Row], distances: Sequence[float]
) -> list[tuple[float, str, int]]:
    """Located rows as (distance, name, entry), sorted: ``_by_distance``'s order for rows
    whose distance is never None, the tuples compared in C with no key call per row."""
    try:
        # Row numbers of the file only (the commonest), read by the columns' own methods.
        names = map(f.string, map(f.sort_name.__getitem__, located))
        return sorted(zip(distances, names, map(f.pk.__getitem__, located), strict=True))
    except TypeError:  # a changed entry's Row among them
        matches = map(nearby.match_of, repeat(f), located, distances)
        return sorted((d2, name, pk) for (pk, name, _), d2 in zip(matches, distances, strict=True))


# Up to this many distances, sorting them all (in C) finds the n-th smallest sooner than
# heapq.nsmallest, whose loop runs in Python (44 against 11 µs for 250, the mean number
# of matches of the bench's place search at a million entries; 103 against 207 µs for 2,500).
SORT_ALL_UP_TO = 1000


def _smallest(n: int, distances: Sequence[float]) -> float:
    """The ``n``-th smallest of ``distances``."""
    if len(distances) <= SORT_ALL_UP_TO:
        return sorted(distances)[n - 1]
    return heapq.nsmallest(n, distances)[-1]


def _by_distance(match: nearby.Match) -> tuple[Any, ...]:
    pk, name, d2 = match
    return (d2 is None, d2 or 0.0, name, pk)


def _wanted(r: Resolved) -> nearby.Wanted:
    assert r.place is not None
    moment_profiles = frozenset(open_profiles(r.moment)) if r.moment is not None else None
    return nearby.Wanted(
        circle=circle_of(r),
        state=r.place.state,
        include_remote=r.params.include_remote,
        codes=r.codes,
        free=r.params.free,
        open_profiles=moment_profiles,
    )


def ranked(
    r: Resolved, snapshot: nearby.Snapshot, wanted: nearby.Wanted | None = None
) -> list[nearby.Match]:
    """Every match in order."""
    found, having = _with_words(r, snapshot, wanted or _wanted(r))
    scores = _scores(sorted(having), r.words) if r.words and r.sort == "relevance" else {}
    return sorted(nearby.named(snapshot.file, found), key=_sort_key(r, scores))


def _with_words(
    r: Resolved, snapshot: nearby.Snapshot, wanted: nearby.Wanted
) -> tuple[nearby.Found, set[int]]:
    """The matches near the place, and their entries when ``r`` has words (for their
    scores). The file's rows are checked against the rows with the words in its word
    lists (``wordlists``: a bit each); the entries changed since it was written, against
    their own stored words in the full-text index."""
    if not r.words:
        return nearby.find(snapshot, wanted), set()
    f = snapshot.file
    found = nearby.find(snapshot, wanted, wordlists.tester(wordlists.every_word(f, r.words), f))
    pks = nearby.pks(f, found)
    # Only the changed entries found near the place: the overlay can hold thousands.
    changed = [ref[PK] for ref in (*found.located, *found.remote) if not isinstance(ref, int)]
    if changed:
        lacking = set(changed) - fulltext.having_words(changed, r.words)
        found = nearby.only(found, pks, set(pks) - lacking)
        pks = nearby.pks(f, found)
    return found, set(pks)


def _sort_key(r: Resolved, scores: dict[int, int]) -> Callable[[nearby.Match], tuple[Any, ...]]:
    """The order of ``ordering(r)``: distance with NULLs (remote services) last."""

    def key(match: nearby.Match) -> tuple[Any, ...]:
        pk, name, d2 = match
        distance = (d2 is None, d2 or 0.0)
        if r.sort == "distance":
            return (*distance, name, pk)
        if r.sort == "relevance":
            return (-scores[pk], *distance, name, pk)
        return (name, pk)

    return key


def _scores(pks: list[int], words: tuple[str, ...]) -> dict[int, int]:
    """``relevance(words)`` for these entries, computed here."""
    scores = {}
    for chunk in chunks(pks):
        for pk, title in SearchEntry.objects.filter(pk__in=chunk).values_list("pk", "title_words"):
            scores[pk] = sum(2 if f" {word}" in title else 1 for word in words)
    return scores


class FileCounts(tiers.Counts):
    """How many entries have a search's words, counted in the file's word lists
    (``wordlists``) but for the entries changed since it was written, which the
    full-text index checks one by one."""

    cheap = True

    def __init__(self, snapshot: nearby.Snapshot) -> None:
        self.file, self.removed = snapshot.file, snapshot.removed
        self.changed = [row[PK] for row in snapshot.overlay]

    def every(self, words: tuple[str, ...]) -> int:
        bits = wordlists.every_word(self.file, words)
        return self._count(bits) + len(fulltext.having_words(self.changed, words))

    def tier(self, words: tuple[str, ...], titled: int) -> int:
        bits = wordlists.in_tier(self.file, words, titled)
        return self._count(bits) + len(tiers.checked(self.changed, words, titled))

    def _count(self, bits: int) -> int:
        return wordlists.without(bits, self.file, self.removed).bit_count()


def counts_for(r: Resolved) -> tiers.Counts:
    """Where a search of text alone counts its matches: the file's word lists when this
    process has the file at the index's current version (or can bring it up to it),
    else the full-text index. "Current" as this process knows it (``mend.search.version``):
    within half a second of another process's write the counts may be the version's before it,
    and the page, read from the database by those counts, may then miss or repeat that
    one change at a tier's edge (never an entry the index does not hold)."""
    if not r.words or not only_text(r):
        return tiers.Counts()
    snapshot = nearby.current()
    return tiers.Counts() if snapshot is None else FileCounts(snapshot)


def page_of_rows(
    rows: list[nearby.Match], r: Resolved, *, offset: int | None = None, total: int | None = None
) -> SearchResult:
    """The result of a page: ``rows`` is every match in order, or (with ``offset`` and
    ``total``) the page's own rows, the first at ``offset``."""
    result = empty_result(r)
    result.total_items = len(rows) if total is None else total
    if offset is None:
        offset = (r.params.page - 1) * r.params.per_page
        rows = rows[offset : offset + r.params.per_page]
    result.entry_ids = [match[PK] for match in rows]
    return result
