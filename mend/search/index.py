"""Building the search index from the HSDS tables (ADR 0003).

``rebuild_search_index()`` rebuilds everything (the importer calls it after an import;
``manage.py rebuild_search_index`` runs it); ``refresh_for_service(id)`` rebuilds one
service's rows (call it after an editor saves anything belonging to that service);
``refresh_hours()`` moves the precomputed opening intervals forward (run daily).

What the index protects: for a hidden or on-request location it stores a position
snapped to a grid of ``COARSE_DEGREES`` (about 11 km), never the real one, and indexes no
address words, so neither a radius filter, a sort order nor a text search can be used
to narrow down where a shelter is beyond that grid cell.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import translation
from ninja.responses import NinjaJSONEncoder

from mend.directory import taxonomy
from mend.directory.models import (
    Address,
    Attribute,
    CostOption,
    Language,
    Location,
    LocationType,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
)
from mend.search import codes, gazetteer, hours, hsds, nearby, synonyms, text
from mend.search.models import (
    EntryTerm,
    HoursProfile,
    IndexVersion,
    OpenInterval,
    SearchDocument,
    SearchEntry,
    SearchToken,
)

log = logging.getLogger(__name__)

CHUNK = 500
INSERT_BATCH = 900  # rows per INSERT: within SQLite's 32,766 bound parameters at 3 columns
HORIZON_DAYS = 92  # "open at" looks up to 30 days ahead; the rest is slack for a late refresh
COARSE_DEGREES = 0.1
FREE_WORDS = ("free", "no cost", "no charge", "gratis", "gratuito", "sin costo", "sin cargo")
SEARCHED_STATUSES = (ServiceStatus.ACTIVE,)
LINK_ENTITIES = ("service", "location", "service_at_location")
TERMS_BY_ID = {term.id: term for term in taxonomy.ALL_TERMS}
KIND_BY_TAXONOMY = codes.KIND_BY_TAXONOMY
LANGUAGE = "language"
AREA = "area"  # a US state code (or "US") that a remote service serves
Link = tuple[UUID, UUID | None]  # an attached term's id and its taxonomy's id


def chunks[T](items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def coarse(value: float) -> float:
    """The centre of the grid cell ``value`` falls in."""
    cell = int(value // COARSE_DEGREES)
    return round((cell + 0.5) * COARSE_DEGREES, 4)


# --- public entry points ------------------------------------------------------------------


def rebuild_search_index(service_ids: Iterable[UUID] | None = None, *, now: datetime) -> int:
    """Rebuild the rows of ``service_ids`` (every service when None), in one transaction,
    and return how many entries were written. Services no longer active lose their rows.
    Opening hours are precomputed from ``now``: callers pass the clock explicitly, so a
    test's index and its searches agree whatever day it runs on."""
    with transaction.atomic(), translation.override("en"):
        if service_ids is None:
            _clear_everything()
            ids: list[UUID] = list(Service.objects.order_by("id").values_list("id", flat=True))
        else:
            ids = list(dict.fromkeys(service_ids))
            for chunk in chunks(ids):
                SearchEntry.objects.filter(service_id__in=chunk).delete()
        profiles = ProfileCache(now)
        written = sum(_index_services(chunk, profiles) for chunk in chunks(ids))
        if service_ids is None:
            HoursProfile.objects.filter(entries__isnull=True).delete()
            analyze()
        new_version()
    return written


def new_version() -> None:
    """Tell every process that the index changed (``mend.search.nearby``)."""
    IndexVersion.objects.update_or_create(pk=1, defaults={"value": uuid4().hex})


def analyze() -> None:
    """Fresh PostgreSQL planner statistics after a full rebuild: without them it drives
    text searches near a place from the token index instead of the position index.
    Not on SQLite: there, statistics on the two-valued ``remote`` column make the planner
    give up the multi-index OR for a full scan (ADR 0003)."""
    if connection.vendor != "postgresql":
        return
    tables = [m._meta.db_table for m in (SearchEntry, SearchToken, OpenInterval, HoursProfile)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def refresh_for_service(service_id: UUID, *, now: datetime) -> int:
    return rebuild_search_index([service_id], now=now)


def refresh_hours(*, now: datetime) -> int:
    """Recompute every profile's open intervals from ``now``; returns the profile count."""
    profiles = list(HoursProfile.objects.all())
    with transaction.atomic():
        OpenInterval.objects.all().delete()
        for profile in profiles:
            rules = [rule_from_json(item) for item in profile.rules]
            _store_intervals(profile, rules, now)
    return len(profiles)


def _clear_everything() -> None:
    # Children first: each is then a single DELETE, whatever the database.
    SearchToken.objects.all().delete()
    EntryTerm.objects.all().delete()
    SearchDocument.objects.all().delete()
    SearchEntry.objects.all().delete()
    OpenInterval.objects.all().delete()
    HoursProfile.objects.all().delete()


# --- opening hours ----------------------------------------------------------------------


def rule_from_schedule(row: Schedule) -> hours.Rule:
    return hours.Rule(
        opens_at=row.opens_at,
        closes_at=row.closes_at,
        freq=row.freq,
        interval=row.interval,
        byday=row.byday,
        bymonthday=row.bymonthday,
        dtstart=row.dtstart,
        until=row.until,
        count=row.count,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        wkst=row.wkst,
    )


def rule_to_json(rule: hours.Rule) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date | time) else v for k, v in asdict(rule).items()}


def rule_from_json(data: dict[str, Any]) -> hours.Rule:
    def parse(name: str, kind: type[date] | type[time]) -> Any:
        value = data.get(name)
        return kind.fromisoformat(value) if value else None

    return hours.Rule(
        opens_at=parse("opens_at", time),
        closes_at=parse("closes_at", time),
        freq=data.get("freq", ""),
        interval=data.get("interval"),
        byday=data.get("byday", ""),
        bymonthday=data.get("bymonthday", ""),
        dtstart=parse("dtstart", date),
        until=parse("until", date),
        count=data.get("count"),
        valid_from=parse("valid_from", date),
        valid_to=parse("valid_to", date),
        wkst=data.get("wkst", ""),
    )


def zone_name(location: Location | None, rows: Sequence[Schedule]) -> str:
    """An IANA zone name: the location's, else one from the rows' HSDS UTC offset."""
    name = location.time_zone if location is not None else ""
    if name and name != "UTC" and isinstance(hours.zone(name), ZoneInfo):
        return name
    offsets = [row.timezone for row in rows if row.timezone is not None]
    if offsets and float(offsets[0]).is_integer() and -12 <= offsets[0] <= 14:
        # POSIX-style names: Etc/GMT+5 is five hours *behind* UTC.
        return f"Etc/GMT{-int(offsets[0]):+d}" if offsets[0] else "UTC"
    return "UTC"


def split_by_day(intervals: Iterable[hours.Interval]) -> Iterator[hours.Interval]:
    day = timedelta(days=1)
    for interval in intervals:
        start = interval.opens
        while start < interval.closes:
            end = min(start + day, interval.closes)
            yield hours.Interval(start, end)
            start = end


def _store_intervals(profile: HoursProfile, rules: Sequence[hours.Rule], now: datetime) -> None:
    start, end = now - timedelta(days=1), now + timedelta(days=HORIZON_DAYS)
    try:
        found = hours.open_intervals(rules, hours.zone(profile.time_zone), start, end)
    except hours.ScheduleError as error:
        # Bad data means "hours unknown", never "open": log which profile, not content.
        log.warning("search index: unreadable schedule in profile %s: %s", profile.pk, error)
        found = []
    OpenInterval.objects.bulk_create(
        OpenInterval(profile=profile, opens_at=i.opens, closes_at=i.closes)
        for i in split_by_day(found)
    )
    profile.computed_from, profile.computed_until = start, end
    profile.save(update_fields=["computed_from", "computed_until"])


@dataclass
class ProfileCache:
    """Hours profiles by key, created (with their intervals) on first use."""

    now: datetime
    known: dict[str, HoursProfile | None] = field(default_factory=dict)
    by_rules: dict[tuple[str, frozenset[hours.Rule]], HoursProfile | None] = field(
        default_factory=dict
    )

    def get(self, zone: str, rules: Sequence[hours.Rule]) -> HoursProfile | None:
        if not hours.has_hours(rules):
            return None
        # Rules are hashable: most entries repeat a few sets, so skip the JSON and hash.
        memo = (zone, frozenset(rules))
        if memo not in self.by_rules:
            self.by_rules[memo] = self._get(zone, rules)
        return self.by_rules[memo]

    def _get(self, zone: str, rules: Sequence[hours.Rule]) -> HoursProfile | None:
        payload = sorted(
            (rule_to_json(r) for r in rules), key=lambda r: json.dumps(r, sort_keys=True)
        )
        key = hashlib.sha256(json.dumps([zone, payload], sort_keys=True).encode()).hexdigest()
        if key not in self.known:
            self.known[key] = self._load_or_create(key, zone, payload)
        return self.known[key]

    def _load_or_create(self, key: str, zone: str, payload: list[dict[str, Any]]) -> HoursProfile:
        profile, created = HoursProfile.objects.get_or_create(
            key=key, defaults={"time_zone": zone, "rules": payload}
        )
        if created:
            _store_intervals(profile, [rule_from_json(p) for p in payload], self.now)
        return profile


# --- gathering a chunk of services -----------------------------------------------------


@dataclass
class Related:
    """Everything about a chunk of services that their entries need, grouped by owner."""

    sals: dict[UUID, list[ServiceAtLocation]] = field(default_factory=lambda: defaultdict(list))
    terms: dict[UUID, list[taxonomy.Term]] = field(default_factory=lambda: defaultdict(list))
    links: dict[UUID, list[Link]] = field(default_factory=lambda: defaultdict(list))
    languages: dict[UUID, list[Language]] = field(default_factory=lambda: defaultdict(list))
    schedules: dict[UUID, list[Schedule]] = field(default_factory=lambda: defaultdict(list))
    costs: dict[UUID, list[CostOption]] = field(default_factory=lambda: defaultdict(list))
    areas: dict[UUID, list[ServiceArea]] = field(default_factory=lambda: defaultdict(list))
    addresses: dict[UUID, list[Address]] = field(default_factory=lambda: defaultdict(list))


def term_of(attribute: Attribute) -> taxonomy.Term | None:
    term = attribute.taxonomy_term
    if term is None:
        return None
    known = TERMS_BY_ID.get(term.id) or taxonomy.BY_CODE.get((term.taxonomy, term.code))
    return known or (taxonomy.Term(term.taxonomy, term.code, term.name) if term.code else None)


def link_of(attribute: Attribute, term_id: UUID) -> Link:
    """Any term, of any taxonomy, even one whose row is missing (a soft reference):
    ``taxonomy_term_id`` must find what the attribute names."""
    term = attribute.taxonomy_term
    return term_id, term.taxonomy_detail_id if term is not None else None


def gather(service_ids: Sequence[UUID]) -> Related:
    related = Related()
    sals = ServiceAtLocation.objects.filter(service_id__in=service_ids).select_related("location")
    for sal in sals.order_by("id"):
        related.sals[sal.service_id].append(sal)
    sal_ids = [s.id for group in related.sals.values() for s in group]
    location_ids = list({s.location_id for group in related.sals.values() for s in group})
    owners = [*service_ids, *sal_ids, *location_ids]
    # link_entity first: the HSDS table's index is (link_entity, link_id).
    attributes = Attribute.objects.filter(
        link_entity__in=LINK_ENTITIES, link_id__in=owners
    ).select_related("taxonomy_term")
    for attribute in attributes.order_by("id"):
        if attribute.link_id is None:
            continue
        term = term_of(attribute)
        if term is not None:
            related.terms[attribute.link_id].append(term)
        if attribute.taxonomy_term_id is not None:
            related.links[attribute.link_id].append(link_of(attribute, attribute.taxonomy_term_id))
    for language in Language.objects.filter(
        Q(service_id__in=service_ids) | Q(location_id__in=location_ids)
    ).order_by("id"):
        related.languages[language.service_id or language.location_id].append(language)  # type: ignore[index]
    _gather_schedules(related, service_ids, sal_ids, location_ids)
    for cost in CostOption.objects.filter(service_id__in=service_ids):
        related.costs[cost.service_id].append(cost)
    for area in ServiceArea.objects.filter(
        Q(service_id__in=service_ids) | Q(service_at_location_id__in=sal_ids)
    ).order_by("id"):
        related.areas[area.service_at_location_id or area.service_id].append(area)  # type: ignore[index]
    for address in Address.objects.filter(location_id__in=location_ids).order_by("id"):
        related.addresses[address.location_id].append(address)
    return related


def _gather_schedules(
    related: Related, service_ids: Sequence[UUID], sal_ids: list[UUID], location_ids: list[UUID]
) -> None:
    rows = Schedule.objects.filter(
        Q(service_id__in=service_ids)
        | Q(service_at_location_id__in=sal_ids)
        | Q(location_id__in=location_ids)
    ).order_by("id")
    for row in rows:
        # Grouped by the most specific owner the row names.
        owner = row.service_at_location_id or row.service_id or row.location_id
        if owner is not None:
            related.schedules[owner].append(row)


# --- building entries --------------------------------------------------------------------


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


@dataclass
class Draft:
    entry: SearchEntry
    tags: set[tuple[str, str]]
    tokens: set[str]
    document: str = ""
    links: set[Link] = field(default_factory=set)


def _index_services(service_ids: Sequence[UUID], profiles: ProfileCache) -> int:
    services = list(
        Service.objects.filter(id__in=service_ids, status__in=SEARCHED_STATUSES)
        .select_related("organization")
        .order_by("id")
    )
    related = gather([s.id for s in services])
    drafts = [draft for service in services for draft in drafts_for(service, related, profiles)]
    SearchEntry.objects.bulk_create([d.entry for d in drafts], batch_size=CHUNK)
    insert_rows(
        SearchToken,
        ("entry_id", "token"),
        [(d.entry.pk, token) for d in drafts for token in sorted(d.tokens)],
    )
    insert_rows(
        EntryTerm,
        ("entry_id", "term_id", "taxonomy_id"),
        [(d.entry.pk, *db_uuids(link)) for d in drafts for link in sorted(d.links, key=str)],
    )
    insert_rows(
        SearchDocument,
        ("entry_id", "body"),
        [(d.entry.pk, d.document) for d in drafts if d.document],
    )
    return len(drafts)


def db_uuids(link: Link) -> tuple[Any, Any]:
    """The link's UUIDs as the database stores them (32 hex digits on SQLite), for
    ``insert_rows``'s plain SQL."""
    column = EntryTerm._meta.get_field("term_id")
    return tuple(column.get_db_prep_value(value, connection) for value in link)


def insert_rows(
    model: type[models.Model], columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """Plain multi-row INSERTs for the millions of small token rows: building a model
    instance per row made the full rebuild several times slower."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    per_row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            batch = rows[start : start + INSERT_BATCH]
            values = ", ".join([per_row] * len(batch))
            sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES {values}"  # noqa: S608
            cursor.execute(sql, [value for row in batch for value in row])


def drafts_for(service: Service, related: Related, profiles: ProfileCache) -> list[Draft]:
    sals: list[ServiceAtLocation | None] = list(related.sals.get(service.id, [])) or [None]
    common = service_facts(service, related)
    return [entry_draft(service, sal, related, profiles, common) for sal in sals]


@dataclass
class ServiceFacts:
    free: bool
    title: set[str]
    tags: set[tuple[str, str]]
    tokens: set[str]
    links: set[Link]


def service_facts(service: Service, related: Related) -> ServiceFacts:
    terms = related.terms.get(service.id, [])
    tags: set[tuple[str, str]] = {
        (KIND_BY_TAXONOMY[t.taxonomy], t.code) for t in terms if t.taxonomy in KIND_BY_TAXONOMY
    }
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
    profiles: ProfileCache,
    common: ServiceFacts,
) -> Draft:
    location = sal.location if sal is not None else None
    remote = is_remote(service, location)
    public = location is not None and not remote and location.address_is_public
    rows = schedules_for(related, service, sal)
    entry = SearchEntry(
        service=service,
        service_at_location=sal,
        location=location,
        organization_id=service.organization_id,
        sort_name=text.fold(service.name)[:255],
        address_public=public,
        remote=remote,
        free=common.free,
        hours=profiles.get(zone_name(location, rows), [rule_from_schedule(r) for r in rows]),
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
    draft = Draft(entry, set(common.tags), set(common.tokens), links=set(common.links))
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


def is_remote(service: Service, location: Location | None) -> bool:
    """Reached by phone or online: at a virtual location, or with no location when an
    editor said so. A service with no location that nobody marked stays out of searches
    near a place (it would otherwise show in every city), but text searches find it."""
    if location is None:
        return service.offered_remotely
    return location.location_type == LocationType.VIRTUAL


def document(service: Service, sal: ServiceAtLocation) -> str:
    """The API's list item for ``sal``, rendered as the API renders it (ninja's encoder,
    None left out), so /service_at_locations can send it as stored."""
    sal.service = service  # already loaded, with its organization: no query per row
    out = hsds.ServiceAtLocationListOut.model_validate(sal).model_dump(exclude_none=True)
    return json.dumps(out, cls=NinjaJSONEncoder)


def documents_for(entry_ids: Sequence[int], *, version: str = "") -> list[str] | None:
    """The stored documents of these entries, in this order; rendered now for an entry
    that has none stored (indexed before documents were). Remote entries have none.

    With ``version`` (a search answered from an unverified copy of the index), the same
    query reads the index's version, and None means it differs: search again."""
    table = connection.ops.quote_name(SearchDocument._meta.db_table)
    marks = ", ".join(["%s"] * len(entry_ids))
    documents = f"SELECT entry_id, body FROM {table} WHERE entry_id IN ({marks})"  # noqa: S608
    parts = [documents] if marks else []
    if version:
        parts.append(nearby.version_sql("-1, value"))
    if not parts:
        return []
    # Plain SQL: it runs for every page of the API, where the ORM doubled its cost.
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), list(entry_ids))
        stored = dict(cursor.fetchall())
    if version and stored.pop(-1, "") != version:
        return None
    missing = [pk for pk in entry_ids if pk not in stored]
    if missing:
        stored |= _render_documents(missing)
    return [stored[pk] for pk in entry_ids if pk in stored]


def _render_documents(entry_ids: list[int]) -> dict[int, str]:
    entries = SearchEntry.objects.filter(pk__in=entry_ids, service_at_location__isnull=False)
    entries = entries.select_related(
        "service_at_location__location", "service_at_location__service__organization"
    )
    return {
        e.pk: document(e.service_at_location.service, e.service_at_location)
        for e in entries
        if e.service_at_location is not None
    }


def set_filter_columns(entry: SearchEntry, tags: set[tuple[str, str]]) -> None:
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
        if term.taxonomy in KIND_BY_TAXONOMY:
            draft.tags.add((KIND_BY_TAXONOMY[term.taxonomy], term.code))
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
