"""One search over the index, behind both the "Find help" pages and the HSDS API.

``search_services(params)`` validates the parameters (``InvalidParameter`` names the one
that is wrong), combines every filter with AND, sorts, and returns one page.

What it guarantees about hidden and on-request locations: a hit's ``distance_km`` is
None for them, whatever the sort; their index position is grid-snapped (see
``mend.search.drafts``), so neither radius nor order can place them more precisely.
"""

from __future__ import annotations

from mend.search import codes, database, fulltext, gazetteer, memory, nearby, tiers
from mend.search.database import open_profiles
from mend.search.models import SearchEntry
from mend.search.params import Resolved, SearchParams, resolve
from mend.search.replica import public_read
from mend.search.results import Hit, SearchResult


def search_services(params: SearchParams, *, verify_later: bool = False) -> SearchResult:
    """Validate, filter, sort and return one page (see the module docstring). A search
    around a place is answered from this process's copy of the index when it can be
    (``mend.search.nearby``), with the same result as the database would give. It reads
    the read replica when one is configured and current (``mend.search.replica``).

    ``verify_later``: do not check first that the copy is current; the result's
    ``unverified_version`` says which copy answered, and the caller must compare it with
    the database's before answering (one round trip fewer: the API's page does it in the
    query that fetches its documents)."""
    return public_read(_search_services, params, verify_later=verify_later)


def _search_services(params: SearchParams, *, verify_later: bool) -> SearchResult:
    with fulltext.one_search():
        return _answer(params, verify_later=verify_later)


def _answer(params: SearchParams, *, verify_later: bool) -> SearchResult:
    r = resolve(params)
    if memory.can_answer(r):
        snapshot = nearby.latest() if verify_later else nearby.current()
        if snapshot is not None:
            result = _with_hits(memory.page(r, snapshot), r)
            result.unverified_version = snapshot.version if verify_later else ""
            return result
    return _search_database(r, memory.counts_for(r))


def search_in_database(params: SearchParams) -> SearchResult:
    """The same search, always answered by the database (tests compare the two)."""
    with fulltext.one_search():
        return _search_database(resolve(params))


def _search_database(r: Resolved, counts: tiers.Counts | None = None) -> SearchResult:
    # A name of its own: tests watch it to tell which path answered.
    return _with_hits(database.search(r, counts), r)


def _with_hits(result: SearchResult, r: Resolved) -> SearchResult:
    """The page's ``Hit``s, for a display (the API loads its own documents instead)."""
    if r.params.with_hits:
        result.hits = hits_for(result.entry_ids, r)
    return result


HIT_RELATED = ("service", "organization", "location")
# What a result shows (``mend.findhelp.views.result_view``), and no more: the services',
# organisations' and locations' long texts are most of their rows. Another field of a
# hit's entry or records is still there when read, at the cost of a query.
HIT_FIELDS = (
    *HIT_RELATED,
    *("service_at_location", "hours", "sort_name", "latitude", "longitude"),
    *("address_public", "remote", "free", "type_bits", "languages"),
    *("service__name", "service__translations", "service__organization"),
    *("organization__name", "organization__translations"),
    *("location__name", "location__translations", "location__address_visibility"),
)


def hits_for(ids: list[int], r: Resolved) -> list[Hit]:
    """The page's entries with what a result shows: distance (public addresses only),
    open now, service types and languages."""
    entries = SearchEntry.objects.filter(pk__in=ids).select_related(*HIT_RELATED).only(*HIT_FIELDS)
    by_id = {entry.pk: entry for entry in entries}
    moment = r.moment or r.now
    open_ids = set(
        open_profiles(moment).filter(
            profile_id__in={e.hours_id for e in by_id.values() if e.hours_id}
        )
    )
    hits = []
    for pk in ids:
        entry = by_id.get(pk)
        if entry is None:  # deleted since this process copied the index (nearby.py)
            continue
        hits.append(
            Hit(
                entry=entry,
                distance_km=public_distance(entry, r.place),
                open_now=(entry.hours_id in open_ids) if entry.hours_id else None,
                types=codes.decode(codes.TYPE, entry.type_bits),
                languages=entry.languages.split(),
            )
        )
    return hits


def public_distance(entry: SearchEntry, place: gazetteer.Place | None) -> float | None:
    """The distance to a public address; None for any other (never computed from the
    grid-snapped position of a hidden or on-request one)."""
    if (
        place is None
        or not entry.address_public
        or entry.latitude is None
        or entry.longitude is None
    ):
        return None
    return gazetteer.distance_km(place.latitude, place.longitude, entry.latitude, entry.longitude)
