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

from mend.search import fulltext, nearby
from mend.search.database import circle_of, open_profiles
from mend.search.index import chunks
from mend.search.models import SearchEntry
from mend.search.params import Resolved
from mend.search.results import SearchResult, empty_result
from mend.search.searchfile import SearchFile

PK: Final = 0  # in a nearby.Match
SAL: Final = 2
# Text near a place: while the entries nearby are fewer than the index's entries divided
# by this, each checks its own words; more ask the full-text index for its list
# (``_having_words``). Measured at 100,000 entries (docs/performance.md, "Session 7").
PER_ROW_SHARE = 50


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
    if r.words or r.sort != "distance":
        return page_of_rows(ranked(r, snapshot, wanted), r)
    found = nearby.find(snapshot, wanted)
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
    """Every match in order. Words are checked only for the entries found near the
    place, before any is named (``_having_words``)."""
    found = nearby.find(snapshot, wanted or _wanted(r))
    scores: dict[int, int] = {}
    if r.words:
        having = _having_words(nearby.pks(snapshot.file, found), r.words, snapshot.size)
        found = nearby.only(snapshot.file, found, having)
        if r.sort == "relevance":
            scores = _scores(sorted(having), r.words)
    return sorted(nearby.named(snapshot.file, found), key=_sort_key(r, scores))


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


def _having_words(pks: list[int], words: tuple[str, ...], entries: int) -> set[int]:
    """Which of ``pks`` have every word, the cheaper way (``fulltext.having_words``): a
    check per nearby entry costs about PER_ROW_SHARE times what the full-text list costs
    per entry of the whole index (docs/performance.md, "Session 7"), so the nearby
    entries check their own words while they are fewer than the index's entries divided
    by PER_ROW_SHARE. The count of the index's matches would say more, but counting
    them costs as much as listing them."""
    listed = len(pks) * PER_ROW_SHARE > entries
    return fulltext.having_words(pks, words, listed=listed)


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
