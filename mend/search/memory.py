"""The same search answered from the search copy (``mend.search.nearby``: a mapped file
and its overlay).

Only searches around a place, with filters that the copy holds, are answered here
(``can_answer``); the result is the one ``mend.search.database`` would give: the same
matches in the same order (``ordering``), which tests compare.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from itertools import compress, repeat
from typing import Any, Final
from uuid import UUID

from django.db import connection

from mend.search import fulltext, nearby
from mend.search.database import circle_of, open_profiles
from mend.search.index import chunks
from mend.search.models import SearchEntry
from mend.search.params import Resolved
from mend.search.results import SearchResult, empty_result
from mend.search.searchfile import SearchFile

PK: Final = 0  # in a nearby.Match
SAL: Final = 2
# Text near a place (``_with_words``): with fewer rows than this in the cells around the
# place, each match checks its own words; with more, the full-text index lists the
# entries with the words in those cells, while they are at most MOST_CELLS (a 150 km
# radius: an OR of more cells costs more than the index's whole list of the words).
# PostgreSQL's GIN index reads a word's whole list across the country even when asked
# for it in a few cells (32-205 ms a query at a million), while a match checks its own
# words in 6-10 µs per row in the cells: the cells' list pays from about 10,000 rows
# (docs/performance.md, "Session 10").
CELLS_FROM = {"sqlite": 1_000, "postgresql": 10_000}
MOST_CELLS = 200


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
    distances, located = found.distances, found.located
    chosen: list[nearby.Match] = []
    if offset < len(located):
        first = min(end, len(located))
        if first < len(located):
            farthest = heapq.nsmallest(first, distances)[-1]
            near = farthest.__ge__
            located = list(compress(located, map(near, distances)))
            distances = list(filter(near, distances))
        named = map(nearby.match_of, repeat(f), located, distances)
        chosen = sorted(named, key=_by_distance)[offset:first]
    if end > len(found.located):
        remote = map(nearby.match_of, repeat(f), found.remote, repeat(None))
        start = max(0, offset - len(found.located))
        chosen += sorted(remote, key=_by_distance)[start : end - len(found.located)]
    return chosen


def _by_distance(match: nearby.Match) -> tuple[Any, ...]:
    pk, name, _, d2 = match
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
    scores). Words are checked only around the place, the cheapest way:

    - few rows in the cells around the place (fewer than the database's CELLS_FROM):
      each match found near the place checks its own stored words (about 11 µs each at
      a million);
    - else, while those cells are at most MOST_CELLS: the full-text index lists the
      entries with the words in those cells (each entry's cell is a stored word), and
      only they are looked at near the place;
    - else (a wide circle): the full-text index's whole list of the words.

    Measured at a million entries: docs/performance.md, "Session 9" and "Session 10"."""
    if not r.words:
        return nearby.find(snapshot, wanted), set()
    many = nearby.listed_near(snapshot.file, wanted) >= CELLS_FROM[connection.vendor]
    places = fulltext.places_over(wanted.box, remote=wanted.include_remote) if many else []
    if many and len(places) <= MOST_CELLS:
        found = nearby.find(snapshot, wanted, among=fulltext.with_words_in(places, r.words))
        return found, set(nearby.pks(snapshot.file, found))
    found = nearby.find(snapshot, wanted)
    pks = nearby.pks(snapshot.file, found)
    having = fulltext.having_words(pks, r.words, listed=many)
    return nearby.only(found, pks, having), having


def _sort_key(r: Resolved, scores: dict[int, int]) -> Callable[[nearby.Match], tuple[Any, ...]]:
    """The order of ``ordering(r)``: distance with NULLs (remote services) last."""

    def key(match: nearby.Match) -> tuple[Any, ...]:
        pk, name, _, d2 = match
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
    result.service_at_location_ids = [UUID(match[SAL]) for match in rows if match[SAL]]
    return result
