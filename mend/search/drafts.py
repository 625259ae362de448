"""Drafting the index rows of one service: its entries, their filter columns and words.

What the drafts protect: for a hidden or on-request location an entry holds a position
snapped to a grid of ``COARSE_DEGREES`` (about 11 km), never the real one, and no address
words, so neither a radius filter, a sort order nor a text search can narrow down where a
shelter is beyond that grid cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.utils import translation

from mend.directory import taxonomy
from mend.directory.models import (
    CostOption,
    Language,
    Location,
    LocationType,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from mend.search import codes, fulltext, gazetteer, synonyms, text
from mend.search.bulk import EntryRow, db_uuids, values_of
from mend.search.documents import document
from mend.search.gather import Link, Related
from mend.search.hours import Rule
from mend.search.hours_profiles import rule_from_schedule, zone_name

COARSE_DEGREES = 0.1
FREE_WORDS = ("free", "no cost", "no charge", "gratis", "gratuito", "sin costo", "sin cargo")
LANGUAGE = "language"
AREA = "area"  # a US state code (or "US") that a remote service serves


def coarse(value: float) -> float:
    """The centre of the grid cell ``value`` falls in."""
    cell = int(value // COARSE_DEGREES)
    return round((cell + 0.5) * COARSE_DEGREES, 4)


Hours = tuple[str, tuple[Rule, ...]]  # a time zone and the rules of an entry's schedules


@dataclass
class Draft:
    """An entry to write. Its ``hours`` (a time zone and the rules of its schedules)
    become the entry's ``hours_id`` when it is written (``index``): drafting only reads,
    so that it can run in other processes (``mend.search.workers``)."""

    entry: EntryRow
    tags: set[tuple[str, str]]
    tokens: set[str]
    hours: Hours
    document: str = ""
    links: set[Link] = field(default_factory=set)


class Ready(NamedTuple):
    """A draft as the writer writes it: plain values, as the database stores them.
    Workers send these (``mend.search.workers``): unpickling the drafts themselves (a
    UUID object at a time) cost the writing process more than drafting there saved."""

    values: list[Any]  # the entry's columns (``bulk.values_of``); its hours key is set last
    hours: Hours
    words: str  # the full-text document, "" for none
    links: list[tuple[Any, Any]]
    document: str


def ready(drafts: list[Draft]) -> list[Ready]:
    """The drafts as their rows. Equal hours become one object (pickled once a chunk)."""
    same: dict[Hours, Hours] = {}
    return [
        Ready(
            values,
            same.setdefault(d.hours, d.hours),
            fulltext.document(d.tokens, d.entry.title_words.split()) if d.tokens else "",
            [db_uuids(link) for link in sorted(d.links, key=str)],
            d.document,
        )
        for d, values in zip(drafts, values_of([d.entry for d in drafts]), strict=True)
    ]


def drafts_for(service: Service, related: Related) -> list[Draft]:
    sals: list[ServiceAtLocation | None] = list(related.sals.get(service.id, [])) or [None]
    common = service_facts(service, related)
    return [entry_draft(service, sal, related, common) for sal in sals]


@dataclass
class ServiceFacts:
    free: bool
    title: set[str]
    tags: set[tuple[str, str]]
    tokens: set[str]
    links: set[Link]


def service_facts(service: Service, related: Related) -> ServiceFacts:
    terms = related.terms.get(service.id, [])
    kinds = codes.KIND_BY_TAXONOMY
    tags: set[tuple[str, str]] = {(kinds[t.taxonomy], t.code) for t in terms if t.taxonomy in kinds}
    tags |= {(LANGUAGE, language_code(lang)) for lang in related.languages.get(service.id, [])}
    organization = service.organization
    names = [service.name, service.alternate_name, organization.name, organization.alternate_name]
    names += all_translations(service.translations, ("name", "alternate_name"))
    title = text.tokens(names)
    title |= {word for t in terms if t.taxonomy == taxonomy.SERVICE_TYPE for word in term_words(t)}
    body = text.tokens(
        [
            service.description,
            service.eligibility_description,
            *all_translations(service.translations),
        ]
    )
    body |= {word for t in terms for word in term_words(t)}
    body |= text.tokens(lang.name for lang in related.languages.get(service.id, []))
    return ServiceFacts(
        is_free(service, related.costs.get(service.id, [])),
        title,
        tags,
        title | body,
        set(related.links.get(service.id, [])),
    )


def all_translations(translations: dict[str, Any], keys: tuple[str, ...] = ()) -> list[str]:
    """Every translated text (or only those of ``keys``) in a ``translations`` field."""
    return [
        str(value)
        for fields in translations.values()
        if isinstance(fields, dict)
        for key, value in fields.items()
        if not keys or key in keys
    ]


_TERM_WORDS: dict[tuple[str, str], set[str]] = {}


def term_words(term: taxonomy.Term) -> set[str]:
    """The words of a term's name in every language we offer (so "abogado" finds legal
    advice even on the English page), and the words survivors use for it ("therapy" for
    counselling: mend.search.synonyms)."""
    key = (term.taxonomy, term.code)
    if key not in _TERM_WORDS:
        names = []
        for language in ("en", "es"):
            with translation.override(language):
                names.append(str(term.name))
        _TERM_WORDS[key] = text.tokens(names) | synonyms.words_for(term.code)
    return _TERM_WORDS[key]


def entry_draft(
    service: Service,
    sal: ServiceAtLocation | None,
    related: Related,
    common: ServiceFacts,
) -> Draft:
    location = sal.location if sal is not None else None
    remote = is_remote(service, location)
    public = location is not None and not remote and location.address_is_public
    rows = schedules_for(related, service, sal)
    entry = EntryRow(
        service_id=service.id,
        service_at_location_id=sal.id if sal is not None else None,
        location_id=location.id if location is not None else None,
        organization_id=service.organization_id,
        sort_name=text.fold(service.name)[:255],
        address_public=public,
        remote=remote,
        free=common.free,
        title_words=" " + " ".join(sorted(common.title)) + " ",
    )
    if (
        location is not None
        and not remote
        and location.latitude is not None
        and location.longitude is not None
    ):
        exact = (location.latitude, location.longitude)
        entry.latitude, entry.longitude = exact if public else (coarse(exact[0]), coarse(exact[1]))
    hours = (zone_name(location, rows), tuple(rule_from_schedule(r) for r in rows))
    draft = Draft(entry, set(common.tags), set(common.tokens), hours, links=set(common.links))
    if sal is not None:
        draft.document = document(service, sal)
        _add_location_facts(draft, related, sal, public)
    areas = (related.areas.get(sal.id, []) if sal else []) or related.areas.get(service.id, [])
    draft.tokens |= text.tokens(area.name for area in areas)
    if remote:
        draft.tags |= {(AREA, code) for area in areas for code in area_states(area)}
    draft.tags.discard((LANGUAGE, ""))
    set_filter_columns(entry, draft.tags)
    return draft


def schedules_for(
    related: Related, service: Service, sal: ServiceAtLocation | None
) -> list[Schedule]:
    """Openings from the most specific level that has any (this service at this
    location, else the service, else the location); closures from every level."""
    levels = [related.schedules.get(sal.id, []) if sal else []]
    levels.append(
        [
            row
            for row in related.schedules.get(service.id, [])
            if row.service_at_location_id is None
            and (
                row.location_id is None or (sal is not None and row.location_id == sal.location_id)
            )
        ]
    )
    if sal is not None:
        levels.append(
            [row for row in related.schedules.get(sal.location_id, []) if row.service_id is None]
        )
    openings = next((level for level in levels if any(r.opens_at for r in level)), [])
    closures = [r for level in levels for r in level if r.opens_at is None and r.closes_at is None]
    return openings + [r for r in closures if r not in openings]


def is_free(service: Service, costs: Sequence[CostOption]) -> bool:
    """Free only if nothing has a price and something says it is free."""
    if any(c.amount is not None and c.amount > Decimal(0) for c in costs):
        return False
    if any(c.amount is not None and c.amount == Decimal(0) for c in costs):
        return True
    described = text.fold(
        " ".join([service.fees, service.fees_description, *(c.option for c in costs)])
    )
    return any(word in described for word in FREE_WORDS)


def language_code(language: Language) -> str:
    return language.code.strip().lower().replace("_", "-").split("-")[0]


def is_remote(service: Service, location: Location | None) -> bool:
    """Reached by phone or online: at a virtual location, or with no location when an
    editor said so. A service with no location that nobody marked stays out of searches
    near a place (it would otherwise show in every city), but text searches find it."""
    if location is None:
        return service.offered_remotely
    return location.location_type == LocationType.VIRTUAL


def set_filter_columns(entry: EntryRow, tags: set[tuple[str, str]]) -> None:
    def of(kind: str) -> list[str]:
        return [code for tag_kind, code in tags if tag_kind == kind]

    entry.type_bits = codes.mask(codes.TYPE, of(codes.TYPE))
    entry.eligibility_bits = codes.mask(codes.ELIGIBILITY, of(codes.ELIGIBILITY))
    entry.accessibility_bits = codes.mask(codes.ACCESSIBILITY, of(codes.ACCESSIBILITY))
    entry.languages = codes.words(of(LANGUAGE))[:255]
    entry.areas = codes.words(of(AREA))[:255]


def _add_location_facts(
    draft: Draft, related: Related, sal: ServiceAtLocation, public: bool
) -> None:
    location = sal.location
    for term in related.terms.get(location.id, []) + related.terms.get(sal.id, []):
        if term.taxonomy in codes.KIND_BY_TAXONOMY:
            draft.tags.add((codes.KIND_BY_TAXONOMY[term.taxonomy], term.code))
        draft.tokens |= term_words(term)
    draft.links.update(related.links.get(location.id, []) + related.links.get(sal.id, []))
    for language in related.languages.get(location.id, []):
        draft.tags.add((LANGUAGE, language_code(language)))
    draft.tokens |= text.tokens([location.name])
    if public:
        # Address words only for public addresses: a text search must not find a
        # shelter by its street or town.
        addresses = related.addresses.get(location.id, [])
        draft.tokens |= text.tokens(f"{a.city} {a.postal_code}" for a in addresses)


def area_states(area: ServiceArea) -> set[str]:
    """State codes a service area names (GeoJSON extents are not read)."""
    extent = "" if area.extent_type.lower() == "geojson" else area.extent
    return gazetteer.state_codes(f"{area.name} {extent}")
