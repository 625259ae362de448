"""Gathering, for a chunk of services, every related HSDS row their entries need.

A few queries per chunk (not per service), grouped by the row's owner: the service, the
service at a location, or the location.

The rows are model instances, as a queryset gives them, but read as tuples
(``values_list``, the fields' own conversions) and made into instances directly
(``instances``), and the ids of the ``IN`` lists are passed as the database stores them:
Django's instance construction and its preparation of every id of an ``IN`` list were
most of a full rebuild's loading time (docs/performance.md).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, SafeUUID

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, JSONField, QuerySet
from django.db.models.base import ModelState
from django.db.models.expressions import Col, RawSQL
from django.db.models.sql.compiler import SQLCompiler

from mend.directory import taxonomy
from mend.directory.models import (
    Address,
    Attribute,
    CostOption,
    Language,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)

LINK_ENTITIES = ("service", "location", "service_at_location")
TERMS_BY_ID = {term.id: term for term in taxonomy.ALL_TERMS}
Link = tuple[UUID, UUID | None]  # an attached term's id and its taxonomy's id


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
    sals = joined(
        ServiceAtLocation,
        "location",
        Location,
        ids_in(ServiceAtLocation, "service_id", service_ids).order_by("id"),
    )
    for sal in sals:
        related.sals[sal.service_id].append(sal)
    sal_ids = [s.id for group in related.sals.values() for s in group]
    location_ids = list({s.location_id for group in related.sals.values() for s in group})
    owners = [*service_ids, *sal_ids, *location_ids]
    # link_entity first: the HSDS table's index is (link_entity, link_id).
    linked = ids_in(Attribute, "link_id", owners).filter(link_entity__in=LINK_ENTITIES)
    for attribute in joined(Attribute, "taxonomy_term", TaxonomyTerm, linked.order_by("id")):
        if attribute.link_id is None:
            continue
        term = term_of(attribute)
        if term is not None:
            related.terms[attribute.link_id].append(term)
        if attribute.taxonomy_term_id is not None:
            related.links[attribute.link_id].append(link_of(attribute, attribute.taxonomy_term_id))
    languages = ids_in(Language, "service_id", service_ids, "location_id", location_ids)
    for language in instances(Language, languages.order_by("id")):
        related.languages[language.service_id or language.location_id].append(language)  # type: ignore[index]
    _gather_schedules(related, service_ids, sal_ids, location_ids)
    for cost in instances(CostOption, ids_in(CostOption, "service_id", service_ids)):
        related.costs[cost.service_id].append(cost)
    areas = ids_in(ServiceArea, "service_id", service_ids, "service_at_location_id", sal_ids)
    for area in instances(ServiceArea, areas.order_by("id")):
        related.areas[area.service_at_location_id or area.service_id].append(area)  # type: ignore[index]
    addresses = ids_in(Address, "location_id", location_ids).order_by("id")
    for address in instances(Address, addresses):
        related.addresses[address.location_id].append(address)
    return related


def _gather_schedules(
    related: Related, service_ids: Sequence[UUID], sal_ids: list[UUID], location_ids: list[UUID]
) -> None:
    rows = ids_in(
        Schedule,
        "service_id",
        service_ids,
        "service_at_location_id",
        sal_ids,
        "location_id",
        location_ids,
    )
    for row in instances(Schedule, rows.order_by("id")):
        # Grouped by the most specific owner the row names.
        owner = row.service_at_location_id or row.service_id or row.location_id
        if owner is not None:
            related.schedules[owner].append(row)


def load_services(service_ids: Sequence[UUID], statuses: Iterable[str]) -> list[Service]:
    """The services of ``service_ids`` in these statuses, by id, with their organisation."""
    found = ids_in(Service, "id", service_ids).filter(status__in=statuses).order_by("id")
    return joined(Service, "organization", Organization, found)


# What the rebuild tells PostgreSQL's planner a page read by key costs, against 1.0 for
# a page read in sequence: the usual figure where tables are cached or on SSDs.
RANDOM_PAGE_COST = "1.1"


@contextmanager
def lookups_priced_cached() -> Iterator[None]:
    """PostgreSQL: within a rebuild (and each chunk a worker drafts, ``mend.search.workers``)
    a page read by key priced as a cached one. Each chunk reads its services' related rows
    by key; at the default price (4, a spinning disk's seek) the planner read the whole
    attribute table, in parallel, for every chunk of 500 services at a million (236-545
    ms, against 28-221 ms through its (link_entity, link_id) index; docs/performance.md,
    "Session 10"). Set for the transaction (SET LOCAL) and put back after: a rebuild
    inside a larger transaction leaves the rest of it planned as before. A rebuild that
    fails needs no putting back: rolling back its savepoint undoes the setting."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('random_page_cost'), set_config('random_page_cost', %s, true)",
            [RANDOM_PAGE_COST],
        )
        (before, _) = cursor.fetchone()
    yield
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('random_page_cost', %s, true)", [before])


# --- loading rows --------------------------------------------------------------------------


def ids_in[M: models.Model](model: type[M], *pairs: Any) -> QuerySet[M]:
    """``model``'s rows whose column ``pairs[0]`` is one of ``pairs[1]``, or whose
    ``pairs[2]`` is one of ``pairs[3]``...: the ids passed as the database stores them
    (32 hex digits on SQLite), where ``field__in`` prepares each one through its field."""
    table = connection.ops.quote_name(model._meta.db_table)
    native = connection.features.has_native_uuid_field
    conditions, params = [], []
    for column, ids in zip(pairs[::2], pairs[1::2], strict=True):
        if ids:
            marks = ", ".join(["%s"] * len(ids))
            conditions.append(f"{table}.{connection.ops.quote_name(column)} IN ({marks})")
            params += list(ids) if native else [i.hex for i in ids]
    where = " OR ".join(conditions) or "1 = 0"
    # Only quoted model metadata and placeholders in the SQL; the ids are parameters.
    return model._default_manager.filter(RawSQL(f"({where})", params, BooleanField()))  # noqa: S611


def _attnames(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def _instance[M: models.Model](
    model: type[M], names: list[str], values: Iterable[Any], alias: str
) -> M:
    """What ``Model.from_db`` makes, without ``__init__``'s work per field (each field
    goes through a descriptor there): the loaded values, and the state of a loaded row."""
    obj = model.__new__(model)
    obj.__dict__.update(zip(names, values, strict=True))
    state = obj._state = ModelState()
    state.adding, state.db = False, alias
    return obj


def instances[M: models.Model](model: type[M], rows: QuerySet[M]) -> list[M]:
    names, alias = _attnames(model), rows.db
    return [_instance(model, names, row, alias) for row in values(rows.values_list(*names))]


def joined[M: models.Model](
    model: type[M], relation: str, other: type[models.Model], rows: QuerySet[M]
) -> list[M]:
    """``instances`` with the row of a foreign key already loaded (``select_related``:
    one query, a LEFT JOIN when the key may be NULL); None where it names no row."""
    names, others, alias = _attnames(model), _attnames(other), rows.db
    width = len(names)
    found = []
    for row in values(rows.values_list(*names, *(f"{relation}__{name}" for name in others))):
        obj = _instance(model, names, row[:width], alias)
        rest = row[width:]
        target = None if rest[0] is None else _instance(other, others, rest, alias)
        obj._state.fields_cache[relation] = target
        found.append(obj)
    return found


# --- reading values -------------------------------------------------------------------------


def values(rows: QuerySet[Any]) -> list[list[Any]]:
    """What iterating ``rows`` (a ``values_list``) gives, as lists: the same SQL and the
    same conversions, but read with a plain cursor and converted by ``_converters``.
    Django's per-value converter calls (a UUID parsed through ``UUID.__init__`` for
    every id on SQLite) were most of the rebuild's loading."""
    compiler = rows.query.get_compiler(rows.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return []
    convert = _converters(compiler)
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        found = [list(row) for row in cursor.fetchall()]
    for position, function, skip_none in convert:
        for row in found:
            value = row[position]
            if value is not None or not skip_none:
                row[position] = function(value)
    return found


def _converters(compiler: SQLCompiler) -> list[tuple[int, Callable[[Any], Any], bool]]:
    """Per converted column: its position, one function doing what Django's converters
    do, and whether None is left as it is (what those converters do with it)."""
    db = compiler.connection
    found = compiler.get_converters([column for column, _, _ in compiler.select])
    converters = []
    for position, (chain, expression) in found.items():
        fast = _fast(chain, expression, db)
        if fast is not None:
            converters.append((position, fast, True))
        else:
            converters.append((position, _chained(chain, expression, db), False))
    return converters


def _fast(
    chain: list[Callable[..., Any]], expression: Any, db: BaseDatabaseWrapper
) -> Callable[[Any], Any] | None:
    """A faster function doing what ``chain`` does to a plain column's value, if known."""
    if len(chain) != 1 or not isinstance(expression, Col):
        return None
    owner = getattr(chain[0], "__self__", None)
    if isinstance(owner, JSONField) and owner.decoder is None:
        return _json if chain[0].__name__ == "from_db_value" else None
    return _FAST.get(chain[0].__name__) if db.vendor == "sqlite" else None


def _chained(
    chain: list[Callable[..., Any]], expression: Any, db: BaseDatabaseWrapper
) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        for converter in chain:
            value = converter(value, expression, db)
        return value

    return convert


_new_object, _set_slot = object.__new__, object.__setattr__


def uuid_from_hex(value: str) -> UUID:
    """``UUID(value)`` for the 32 hex digits SQLite stores (Django's conversion there),
    without the checks ``UUID.__init__`` makes for every other spelling of one."""
    if len(value) != 32:
        return UUID(value)
    uuid = _new_object(UUID)
    _set_slot(uuid, "int", int(value, 16))
    _set_slot(uuid, "is_safe", SafeUUID.unknown)
    return uuid


_BOOLEANS = {0: False, 1: True}


def _boolean(value: Any) -> Any:
    return _BOOLEANS.get(value, value)  # Django's: bool(value) if value in (1, 0) else value


def _json(value: Any) -> Any:
    # JSONField.from_db_value for a plain column; most stored translations are empty.
    if value == "{}":
        return {}
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value


# SQLite's converters (by name) that have a faster equivalent; None is left as it is.
_FAST: dict[str, Callable[[Any], Any]] = {
    "convert_uuidfield_value": uuid_from_hex,
    "convert_booleanfield_value": _boolean,
}
