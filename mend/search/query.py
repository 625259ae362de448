"""One search over the index, behind both the "Find help" pages and the HSDS API.

``search_services(params)`` validates the parameters (``InvalidParameter`` names the one
that is wrong), combines every filter with AND, sorts, and returns one page.

What it guarantees about hidden and on-request locations: a hit's ``distance_km`` is
None for them, whatever the sort; their index position is grid-snapped (see
``mend.search.index``), so neither radius nor order can place them more precisely.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import OrderBy
from django.utils import timezone
from django.utils.translation import gettext as _

from mend.search import codes, gazetteer, hours, index, nearby, text
from mend.search.codes import Codes
from mend.search.models import EntryTerm, OpenInterval, SearchEntry, SearchToken

DEFAULT_RADIUS_KM = 40.0  # about 25 miles
MAX_RADIUS_KM = 500.0
MAX_PER_PAGE = 100
MAX_TEXT = 200
MAX_WORDS = 8
OPEN_AT_AHEAD = timedelta(days=30)
SORTS = ("", "distance", "relevance", "name")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
MEMORY_TEXT_CANDIDATES = 2_000  # text near a place: more entries nearby go to the database


class InvalidParameter(ValueError):
    """A search parameter that cannot be used; ``parameter`` names it."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class SearchParams:
    text: str = ""
    place: str = ""  # a ZIP code, "City, ST" or a city name
    postcode: str = ""  # HSDS: a ZIP code only
    latitude: float | None = None
    longitude: float | None = None
    radius_km: float | None = None  # DEFAULT_RADIUS_KM when a place is given
    types: tuple[str, ...] = ()  # any of these
    free: bool = False
    languages: tuple[str, ...] = ()  # all of these (ISO 639 codes)
    eligibility: tuple[str, ...] = ()  # all of these
    accessibility: tuple[str, ...] = ()  # all of these
    open_now: bool = False
    open_at: datetime | None = None  # naive: in the place's time zone (else UTC)
    include_remote: bool = True  # phone and online services
    organization_id: UUID | None = None
    taxonomy_term_ids: tuple[UUID, ...] = ()  # all of these terms, of any taxonomy
    taxonomy_ids: tuple[UUID, ...] = ()  # some term of each of these taxonomies
    modified_after: datetime | None = None
    sort: str = ""  # "" chooses: distance with a place, relevance with text, else name
    page: int = 1
    per_page: int = 20
    by_service: bool = False  # one row per service (HSDS /services), not per location
    with_hits: bool = True  # load the page's entries for display (the API loads its own)
    now: datetime | None = None  # the clock, for tests


@dataclass(frozen=True)
class Resolved:
    params: SearchParams
    place: gazetteer.Place | None
    radius_km: float
    words: tuple[str, ...]
    moment: datetime | None  # "open at" this moment (UTC), if asked
    now: datetime
    sort: str
    codes: Codes
    # Terms outside the Mend taxonomy's bit masks: exact matches on EntryTerm.
    linked_terms: tuple[UUID, ...] = ()


@dataclass
class Hit:
    """One result. ``distance_km`` is None unless the address is public."""

    entry: SearchEntry
    distance_km: float | None = None
    open_now: bool | None = None  # None: we do not know the hours
    types: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)


@dataclass
class SearchResult:
    hits: list[Hit]
    total_items: int
    page_number: int
    per_page: int
    place: gazetteer.Place | None = None
    radius_km: float | None = None
    sort: str = "name"
    service_ids: list[UUID] = field(default_factory=list)  # by_service: the page's services
    entry_ids: list[int] = field(default_factory=list)
    service_at_location_ids: list[UUID] = field(default_factory=list)
    # Answered from this process's copy of the index without checking that it is current
    # (search_services(..., verify_later=True)): its version, for the caller to check.
    unverified_version: str = ""

    @property
    def total_pages(self) -> int:
        return max(1, math.ceil(self.total_items / self.per_page))

    @property
    def size(self) -> int:
        return len(self.service_ids) if self.service_ids else len(self.entry_ids)

    @property
    def first_page(self) -> bool:
        return self.page_number == 1

    @property
    def last_page(self) -> bool:
        return self.page_number >= self.total_pages

    @property
    def empty(self) -> bool:
        return self.total_items == 0

    def envelope(self) -> dict[str, int | bool]:
        """The HSDS Page fields (the caller adds ``contents``)."""
        return {
            "total_items": self.total_items,
            "total_pages": self.total_pages,
            "page_number": self.page_number,
            "size": self.size,
            "first_page": self.first_page,
            "last_page": self.last_page,
            "empty": self.empty,
        }


# --- validation ------------------------------------------------------------------------


def resolve(params: SearchParams) -> Resolved:
    now = params.now or timezone.now()
    _check_numbers(params)
    place = _find_place(params)
    radius = params.radius_km if params.radius_km is not None else DEFAULT_RADIUS_KM
    words = _words(params.text)
    sort = params.sort or ("distance" if place else "relevance" if words else "name")
    if sort == "distance" and place is None:
        raise InvalidParameter("sort", _("Sorting by distance needs a place."))
    if sort == "relevance" and not words:
        # Without words every score is equal; a constant ORDER BY is also an error on
        # PostgreSQL ("ORDER BY 0" names a column position), so order as if unasked.
        sort = "distance" if place else "name"
    return Resolved(
        params=params,
        place=place,
        radius_km=radius,
        words=words,
        moment=_moment(params, place, now),
        now=now,
        sort=sort,
        codes=_codes(params),
        linked_terms=tuple(t for t in params.taxonomy_term_ids if _kind_of(t) is None),
    )


def _check_numbers(params: SearchParams) -> None:
    if params.page < 1:
        raise InvalidParameter("page", _("The page number must be 1 or more."))
    if not 1 <= params.per_page <= MAX_PER_PAGE:
        raise InvalidParameter("per_page", _("Ask for between 1 and 100 results per page."))
    if params.radius_km is not None and not 0 < params.radius_km <= MAX_RADIUS_KM:
        raise InvalidParameter(
            "radius_km", _("The distance must be more than 0 and at most 500 km.")
        )
    if params.sort not in SORTS:
        raise InvalidParameter("sort", _("Sort by distance, relevance or name."))
    if (params.latitude is None) != (params.longitude is None):
        name = "lng" if params.longitude is None else "lat"
        raise InvalidParameter(name, _("Give both latitude and longitude."))
    if params.latitude is not None and not -90 <= params.latitude <= 90:
        raise InvalidParameter("lat", _("Latitude must be between -90 and 90."))
    if params.longitude is not None and not -180 <= params.longitude <= 180:
        raise InvalidParameter("lng", _("Longitude must be between -180 and 180."))
    if len(params.text) > MAX_TEXT:
        raise InvalidParameter("text", _("Use at most 200 characters."))


def _find_place(params: SearchParams) -> gazetteer.Place | None:
    if params.latitude is not None and params.longitude is not None:
        near = gazetteer.nearest(params.latitude, params.longitude)
        return gazetteer.Place(
            _("your location"),
            params.latitude,
            params.longitude,
            near.state if near else "",
            near.time_zone if near else "UTC",
        )
    if params.postcode.strip():
        found = gazetteer.find_postcode(params.postcode)
        if found is None:
            raise InvalidParameter("postcode", _("We do not know that ZIP code."))
        return found
    if params.place.strip():
        found = gazetteer.find_place(params.place)
        if found is None:
            message = _(
                "We could not find that place. Try a ZIP code, or a town with its state, "
                "such as “Springfield, IL”."
            )
            raise InvalidParameter("place", message)
        return found
    return None


def _words(query: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(text.words(query)))[:MAX_WORDS]


def _moment(params: SearchParams, place: gazetteer.Place | None, now: datetime) -> datetime | None:
    if params.open_at is None:
        return now if params.open_now else None
    moment = params.open_at
    if timezone.is_naive(moment):
        zone = hours.zone(place.time_zone if place else "UTC")
        moment = moment.replace(tzinfo=zone)
    moment = moment.astimezone(UTC)
    if not now - timedelta(hours=1) <= moment <= now + OPEN_AT_AHEAD:
        raise InvalidParameter("open_at", _("Choose a time within the next 30 days."))
    return moment


def _codes(params: SearchParams) -> Codes:
    for kind, name, given in (
        (codes.TYPE, "type", params.types),
        (codes.ELIGIBILITY, "eligibility", params.eligibility),
        (codes.ACCESSIBILITY, "accessibility", params.accessibility),
    ):
        unknown = sorted(set(given) - set(codes.BITS[kind]))
        if unknown:
            raise InvalidParameter(name, _("Unknown code: %(code)s") % {"code": unknown[0]})
    for code in params.languages:
        if not LANGUAGE_CODE.match(code):
            raise InvalidParameter("language", _("Use a language code such as “es”."))
    required = dict.fromkeys(codes.BITS, 0)
    for term_id in params.taxonomy_term_ids:
        found = _kind_of(term_id)
        if found is not None:
            required[found[0]] |= codes.mask(found[0], [found[1]])
    return Codes(
        any_types=codes.mask(codes.TYPE, params.types),
        all_types=required[codes.TYPE],
        eligibility=codes.mask(codes.ELIGIBILITY, params.eligibility) | required[codes.ELIGIBILITY],
        accessibility=codes.mask(codes.ACCESSIBILITY, params.accessibility)
        | required[codes.ACCESSIBILITY],
        languages=tuple(sorted(set(params.languages))),
    )


def _kind_of(term_id: UUID) -> tuple[str, str] | None:
    """(kind, code) of a Mend service type, eligibility or accessibility term: those
    filter on the entry's bit masks (which the in-memory copy has too), and match the
    same code imported under another id; None for any other term."""
    term = index.TERMS_BY_ID.get(term_id)
    kind = codes.KIND_BY_TAXONOMY.get(term.taxonomy) if term else None
    return (kind, term.code) if term is not None and kind is not None else None


# --- the query -------------------------------------------------------------------------


def with_bits(
    qs: QuerySet[SearchEntry], column: str, mask: int, every: bool
) -> QuerySet[SearchEntry]:
    """Rows whose ``column`` has any (or, with ``every``, all) of the ``mask`` bits."""
    if not mask:
        return qs
    alias = f"{column}_{'all' if every else 'any'}"
    qs = qs.alias(**{alias: F(column).bitand(mask)})
    return qs.filter(**{alias: mask} if every else {f"{alias}__gt": 0})


def with_codes(qs: QuerySet[SearchEntry], c: Codes) -> QuerySet[SearchEntry]:
    qs = with_bits(qs, "type_bits", c.any_types, every=False)
    qs = with_bits(qs, "type_bits", c.all_types, every=True)
    qs = with_bits(qs, "eligibility_bits", c.eligibility, every=True)
    qs = with_bits(qs, "accessibility_bits", c.accessibility, every=True)
    for code in c.languages:
        qs = qs.filter(languages__contains=f" {code} ")
    return qs


def filtered(r: Resolved) -> QuerySet[SearchEntry]:
    qs = SearchEntry.objects.all()
    p = r.params
    if r.place is not None:
        qs = _near(qs, r)
    elif not p.include_remote:
        qs = qs.filter(remote=False)
    qs = with_codes(qs, r.codes)
    if p.free:
        qs = qs.filter(free=True)
    if p.organization_id is not None:
        qs = qs.filter(organization_id=p.organization_id)
    if p.modified_after is not None:
        qs = qs.filter(service__last_modified__gte=p.modified_after)
    if r.moment is not None:
        qs = qs.filter(hours_id__in=open_profiles(r.moment))
    for term_id in r.linked_terms:
        qs = qs.filter(has_link(Q(term_id=term_id), per_row=r.place is not None))
    for taxonomy_id in p.taxonomy_ids:
        qs = qs.filter(has_link(Q(taxonomy_id=taxonomy_id), per_row=r.place is not None))
    for word in r.words:
        qs = qs.filter(has_word(word, per_row=r.place is not None))
    return qs


def has_link(link: Q, per_row: bool) -> Q | Exists:
    """Entries with an attached term matching ``link`` exactly (an index seek on
    (term_id, entry) or (taxonomy_id, entry)), driven as ``has_word`` is."""
    links = EntryTerm.objects.filter(link)
    if per_row:
        return Exists(links.filter(entry_id=OuterRef("pk")))
    return Q(pk__in=links.values("entry_id"))


def has_word(word: str, per_row: bool) -> Q | Exists:
    """Near a place, the position index drives and each nearby row checks its own tokens
    (one seek on (entry, token)); otherwise the token index drives (IN subquery)."""
    tokens = SearchToken.objects.filter(token_matches(word))
    if per_row:
        return Exists(tokens.filter(entry_id=OuterRef("pk")))
    return Q(pk__in=tokens.values("entry_id"))


def token_matches(word: str) -> Q:
    if len(word) < 3:
        return Q(token=word)
    low, high = text.prefix_range(word)
    return Q(token__gte=low, token__lt=high)


def open_profiles(moment: datetime) -> QuerySet[OpenInterval, int]:
    # Intervals are at most a day long (index.split_by_day): a bounded index range.
    return OpenInterval.objects.filter(
        opens_at__gt=moment - timedelta(days=1), opens_at__lte=moment, closes_at__gt=moment
    ).values_list("profile_id", flat=True)


def circle_of(r: Resolved) -> gazetteer.Circle:
    assert r.place is not None
    return gazetteer.Circle(r.place.latitude, r.place.longitude, r.radius_km)


def _near(qs: QuerySet[SearchEntry], r: Resolved) -> QuerySet[SearchEntry]:
    """Within the radius (a bounding box the index can use, then the circle), plus
    remote services that serve the place's state when they are wanted."""
    assert r.place is not None
    circle = circle_of(r)
    south, north, west, east = circle.box()
    # The same operations in the same order as gazetteer.Circle.distance2.
    dy = (F("latitude") - Value(circle.latitude)) * Value(gazetteer.KM_PER_DEGREE_LAT)
    dx = (F("longitude") - Value(circle.longitude)) * Value(circle.km_per_degree_lng)
    qs = qs.annotate(d2=ExpressionWrapper(dy * dy + dx * dx, output_field=FloatField()))
    box = Q(latitude__range=(south, north), longitude__range=(west, east))
    located = box & Q(d2__lte=circle.radius_km * circle.radius_km)
    if not r.params.include_remote:
        return qs.filter(located)
    serves_here = Q(areas="") | Q(areas__contains=" US ")
    if r.place.state:
        serves_here |= Q(areas__contains=f" {r.place.state} ")
    return qs.filter(located | (Q(remote=True) & serves_here))


def relevance(words: tuple[str, ...]) -> Case | Value:
    """2 points per word found in the title (name, organisation, type), else 1."""
    if not words:
        return Value(0)
    total: Case | Value | None = None
    for word in words:
        points = Case(
            When(title_words__contains=f" {word}", then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
        total = points if total is None else total + points  # type: ignore[assignment]
    assert total is not None
    return total


def ordering(r: Resolved) -> list[OrderBy | str]:
    by_distance: list[OrderBy | str] = [F("d2").asc(nulls_last=True)] if r.place else []
    if r.sort == "distance":
        return [*by_distance, "sort_name", "pk"]
    if r.sort == "relevance":
        return [F("score").desc(), *by_distance, "sort_name", "pk"]
    return ["sort_name", "pk"]


def search_services(params: SearchParams, *, verify_later: bool = False) -> SearchResult:
    """Validate, filter, sort and return one page (see the module docstring). A search
    around a place is answered from this process's copy of the index when it can be
    (``mend.search.nearby``), with the same result as the database would give.

    ``verify_later``: do not check first that the copy is current; the result's
    ``unverified_version`` says which copy answered, and the caller must compare it with
    the database's before answering (one round trip fewer: the API's page does it in the
    query that fetches its documents)."""
    r = resolve(params)
    if _memory_can_answer(r):
        snapshot = nearby.latest() if verify_later else nearby.current()
        ranked = _ranked_in_memory(r, snapshot)
        if ranked is not None:
            result = _page_of_rows(ranked, r)
            result.unverified_version = snapshot.version if verify_later else ""
            return result
    return _search_database(r)


def search_in_database(params: SearchParams) -> SearchResult:
    """The same search, always answered by the database (tests compare the two)."""
    return _search_database(resolve(params))


def _empty_result(r: Resolved) -> SearchResult:
    return SearchResult(
        hits=[],
        total_items=0,
        page_number=r.params.page,
        per_page=r.params.per_page,
        place=r.place,
        radius_km=r.radius_km if r.place else None,
        sort=r.sort,
    )


def _search_database(r: Resolved) -> SearchResult:
    params = r.params
    qs = filtered(r)
    if r.sort == "relevance":
        qs = qs.annotate(score=relevance(r.words))
    result = _empty_result(r)
    if params.by_service:
        return _page_of_services(qs, r, result)
    offset = (params.page - 1) * params.per_page
    # A separate count, not COUNT(*) OVER (): the window makes the database materialise
    # and fully sort every match, where ORDER BY ... LIMIT keeps only the top rows.
    result.total_items = count_of(qs, r)
    rows = list(
        qs.order_by(*ordering(r)).values_list("pk", "service_at_location_id")[
            offset : offset + params.per_page
        ]
    )
    result.entry_ids = [row[0] for row in rows]
    result.service_at_location_ids = [row[1] for row in rows if row[1] is not None]
    if params.with_hits:
        result.hits = hits_for(result.entry_ids, r)
    return result


# --- the same search in memory ----------------------------------------------------------


def _memory_can_answer(r: Resolved) -> bool:
    p = r.params
    return (
        r.place is not None
        and not p.by_service
        and p.organization_id is None
        and p.modified_after is None
        and not r.linked_terms  # the copy has no attached terms: the database answers
        and not p.taxonomy_ids
    )


def _ranked_in_memory(r: Resolved, snapshot: nearby.Snapshot) -> list[nearby.Row] | None:
    """Every match in order, or None when the database would answer better (text near
    a place with more than MEMORY_TEXT_CANDIDATES entries around it)."""
    assert r.place is not None
    moment_profiles = frozenset(open_profiles(r.moment)) if r.moment is not None else None
    wanted = nearby.Wanted(
        circle=circle_of(r),
        state=r.place.state,
        include_remote=r.params.include_remote,
        codes=r.codes,
        free=r.params.free,
        open_profiles=moment_profiles,
    )
    found = nearby.matches(snapshot, wanted)
    scores: dict[int, int] = {}
    if r.words:
        if len(found) > MEMORY_TEXT_CANDIDATES:
            return None
        having = _having_words([row[nearby.PK] for row, _ in found], r.words)
        found = [(row, d2) for row, d2 in found if row[nearby.PK] in having]
        if r.sort == "relevance":
            scores = _scores([row[nearby.PK] for row, _ in found], r.words)
    return [row for row, _ in sorted(found, key=_sort_key(r, scores))]


def _sort_key(
    r: Resolved, scores: dict[int, int]
) -> Callable[[tuple[nearby.Row, float | None]], tuple[Any, ...]]:
    """The order of ``ordering(r)``: distance with NULLs (remote services) last."""

    def key(item: tuple[nearby.Row, float | None]) -> tuple[Any, ...]:
        row, d2 = item
        name, pk = row[nearby.SORT_NAME], row[nearby.PK]
        distance = (d2 is None, d2 or 0.0)
        if r.sort == "distance":
            return (*distance, name, pk)
        if r.sort == "relevance":
            return (-scores[pk], *distance, name, pk)
        return (name, pk)

    return key


def _having_words(pks: list[int], words: tuple[str, ...]) -> set[int]:
    """Which of ``pks`` have every word (a token index seek per entry and word)."""
    having = set(pks)
    for word in words:
        found: set[int] = set()
        for chunk in index.chunks(sorted(having)):
            tokens = SearchToken.objects.filter(token_matches(word), entry_id__in=chunk)
            found.update(tokens.values_list("entry_id", flat=True))
        having = found
    return having


def _scores(pks: list[int], words: tuple[str, ...]) -> dict[int, int]:
    """``relevance(words)`` for these entries, computed here."""
    scores = {}
    for chunk in index.chunks(pks):
        for pk, title in SearchEntry.objects.filter(pk__in=chunk).values_list("pk", "title_words"):
            scores[pk] = sum(2 if f" {word}" in title else 1 for word in words)
    return scores


def _page_of_rows(ranked: list[nearby.Row], r: Resolved) -> SearchResult:
    result = _empty_result(r)
    offset = (r.params.page - 1) * r.params.per_page
    page = ranked[offset : offset + r.params.per_page]
    result.total_items = len(ranked)
    result.entry_ids = [row[nearby.PK] for row in page]
    result.service_at_location_ids = [
        UUID(row[nearby.SERVICE_AT_LOCATION]) for row in page if row[nearby.SERVICE_AT_LOCATION]
    ]
    if r.params.with_hits:
        result.hits = hits_for(result.entry_ids, r)
    return result


def count_of(qs: QuerySet[SearchEntry], r: Resolved) -> int:
    """How many entries match. Text alone (the commonest broad query) is counted from the
    token index only, without visiting the entries."""
    if not r.words or not _only_text(r):
        return qs.count()
    matching = SearchToken.objects.filter(token_matches(r.words[0]))
    for word in r.words[1:]:
        others = SearchToken.objects.filter(token_matches(word)).values("entry_id")
        matching = matching.filter(entry_id__in=others)
    return matching.values("entry_id").distinct().count()


def _only_text(r: Resolved) -> bool:
    p = r.params
    return (
        r.place is None
        and r.moment is None
        and r.codes == Codes()
        and p.include_remote
        and not p.free
        and p.organization_id is None
        and p.modified_after is None
        and not p.by_service
        and not r.linked_terms
        and not p.taxonomy_ids
    )


def _page_of_services(qs: QuerySet[SearchEntry], r: Resolved, result: SearchResult) -> SearchResult:
    aggregates: dict[str, Min | Max] = {"sort_name_min": Min("sort_name")}
    order: list[OrderBy | str] = []
    if r.place is not None:
        aggregates["d2_min"] = Min("d2")
        order.append(F("d2_min").asc(nulls_last=True))
    if r.sort == "relevance":
        aggregates["score_max"] = Max("score")
        order.insert(0, F("score_max").desc())
    if r.sort != "distance" and r.sort != "relevance":
        order = []
    grouped = qs.order_by().values("service_id").annotate(**aggregates)
    result.total_items = grouped.count()
    offset = (r.params.page - 1) * r.params.per_page
    order += ["sort_name_min", "service_id"]
    page = grouped.order_by(*order)[offset : offset + r.params.per_page]
    result.service_ids = [row["service_id"] for row in page]
    return result


def hits_for(ids: list[int], r: Resolved) -> list[Hit]:
    """The page's entries with what a result shows: distance (public addresses only),
    open now, service types and languages."""
    entries = SearchEntry.objects.filter(pk__in=ids).select_related(
        "service", "organization", "location"
    )
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


def with_page(params: SearchParams, page: int) -> SearchParams:
    return replace(params, page=page)
