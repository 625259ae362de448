"""Search parameters: what a search may ask, and their validation.

``resolve(params)`` checks every parameter (``InvalidParameter`` names the one that is
wrong) and turns them into a ``Resolved`` search: the place found in the gazetteer, the
words, the "open at" moment, the filter bit masks. Both answering paths
(``mend.search.database``, ``mend.search.memory``) start from a ``Resolved``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext as _

from mend.search import codes, gazetteer, hours, text
from mend.search.codes import Codes
from mend.search.gather import TERMS_BY_ID

DEFAULT_RADIUS_KM = 40.0  # about 25 miles
MAX_RADIUS_KM = 500.0
MAX_PER_PAGE = 100
MAX_TEXT = 200
MAX_PLACE = 100  # the longest place the page and the API accept (a ZIP code or a city)
MAX_WORDS = 8
OPEN_AT_AHEAD = timedelta(days=30)
SORTS = ("", "distance", "relevance", "name")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


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
    if params.modified_after is not None:
        _check_modified_after(params.modified_after)


def _check_modified_after(moment: datetime) -> None:
    """In UTC, as the database compares it: year 1 or 9999 with an offset falls outside
    what a date can be, and answered 500 on SQLite (found by a review)."""
    try:
        (moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)).astimezone(UTC)
    except OverflowError:
        message = _("Give a time between the years 1 and 9999 in UTC.")
        raise InvalidParameter("modified_after", message) from None


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
    if not query or query.isspace():  # most place searches: no folding to do
        return ()
    return tuple(dict.fromkeys(text.words(query)))[:MAX_WORDS]


def _moment(params: SearchParams, place: gazetteer.Place | None, now: datetime) -> datetime | None:
    if params.open_at is None:
        return now if params.open_now else None
    moment = params.open_at
    if timezone.is_naive(moment):
        zone = hours.zone(place.time_zone if place else "UTC")
        moment = moment.replace(tzinfo=zone)
    outside = InvalidParameter("open_at", _("Choose a time within the next 30 days."))
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:  # the first or last day of year 1 or 9999, with an offset
        raise outside from None
    if not now - timedelta(hours=1) <= moment <= now + OPEN_AT_AHEAD:
        raise outside
    return moment


def _codes(params: SearchParams) -> Codes:
    _check_codes(params)
    required = _required(params.taxonomy_term_ids)
    return Codes(
        any_types=codes.mask(codes.TYPE, params.types),
        all_types=required.get(codes.TYPE, 0),
        eligibility=codes.mask(codes.ELIGIBILITY, params.eligibility)
        | required.get(codes.ELIGIBILITY, 0),
        accessibility=codes.mask(codes.ACCESSIBILITY, params.accessibility)
        | required.get(codes.ACCESSIBILITY, 0),
        languages=tuple(sorted(set(params.languages))),
    )


def _check_codes(params: SearchParams) -> None:
    for kind, name, given in (
        (codes.TYPE, "type", params.types),
        (codes.ELIGIBILITY, "eligibility", params.eligibility),
        (codes.ACCESSIBILITY, "accessibility", params.accessibility),
    ):
        if not given:  # most searches ask for a type at most: nothing to look up
            continue
        known = codes.BITS[kind]
        if any(code not in known for code in given):  # most searches: no set built
            unknown = min(code for code in given if code not in known)
            raise InvalidParameter(name, _("Unknown code: %(code)s") % {"code": unknown})
    for code in params.languages:
        if not LANGUAGE_CODE.match(code):
            raise InvalidParameter("language", _("Use a language code such as “es”."))


def _required(term_ids: tuple[UUID, ...]) -> dict[str, int]:
    """The bits that Mend taxonomy terms asked for by id require, by kind."""
    required: dict[str, int] = {}
    for term_id in term_ids:
        found = _kind_of(term_id)
        if found is not None:
            kind, code = found
            required[kind] = required.get(kind, 0) | codes.mask(kind, [code])
    return required


def _kind_of(term_id: UUID) -> tuple[str, str] | None:
    """(kind, code) of a Mend service type, eligibility or accessibility term: those
    filter on the entry's bit masks (which the in-memory copy has too), and match the
    same code imported under another id; None for any other term."""
    term = TERMS_BY_ID.get(term_id)
    kind = codes.KIND_BY_TAXONOMY.get(term.taxonomy) if term else None
    return (kind, term.code) if term is not None and kind is not None else None
