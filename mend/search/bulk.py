"""Writing many search entries at once, without the ORM's per-value compilation.

``insert_entries`` does what ``SearchEntry.objects.bulk_create`` did for the rebuild
(one multi-row INSERT per batch, the new ids read back with RETURNING, in the order
given), at a fraction of its cost: Django compiled each of the 17 values of every entry
through its field, which was about a sixth of a full rebuild's time. The entries are
drafted as ``EntryRow``s, the table's columns as plain values (making a ``SearchEntry``
instance per entry, a descriptor per field and a check per foreign key, was another sixth
of the drafting), and sent to be written as lists of the values the database stores
(``values_of``), made where they are drafted: in a worker process, for a full rebuild.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any
from uuid import UUID

from django.db import connection, models

from mend.search.gather import Link
from mend.search.models import SearchEntry

BATCH = 500  # rows per INSERT: 17 columns stay well within SQLite's 32,766 parameters
# Stored as they are (the database adapter converts them); the keys are integers.
PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.FloatField,
    models.BooleanField,
)


@dataclass(slots=True)
class EntryRow:
    """One ``SearchEntry`` row to insert: its columns (attribute names, in the model's
    order, with the model's defaults; checked below)."""

    service_id: UUID
    service_at_location_id: UUID | None
    location_id: UUID | None
    organization_id: UUID
    sort_name: str
    latitude: float | None = None
    longitude: float | None = None
    address_public: bool = False
    remote: bool = False
    free: bool = False
    hours_id: int | None = None
    title_words: str = ""
    type_bits: int = 0
    eligibility_bits: int = 0
    accessibility_bits: int = 0
    languages: str = ""
    areas: str = ""


COLUMNS = [f for f in SearchEntry._meta.concrete_fields if not f.primary_key]
if [f.attname for f in COLUMNS] != [f.name for f in fields(EntryRow)]:
    # A column added to the model must be added here too, or entries would lose it.
    raise TypeError("EntryRow must list SearchEntry's columns, in order")


def converter(field: Any) -> Callable[[Any], Any] | None:
    """None when the value is stored as it is; else how the field stores it (a UUID as
    32 hex digits where the database has no UUID type, as Django does)."""
    target = field.target_field if field.is_relation else field
    if isinstance(target, PLAIN):
        return None
    if isinstance(target, models.UUIDField):
        return None if connection.features.has_native_uuid_field else _hex
    return lambda value: field.get_db_prep_save(value, connection)


def _hex(value: UUID) -> str:
    return value.hex


# Where an entry's hours key stands among its values (set by the writer: ``index``).
HOURS = [f.attname for f in COLUMNS].index("hours_id")


def values_of(entries: Sequence[EntryRow]) -> list[list[Any]]:
    """Each entry's column values as the database stores them, in COLUMNS' order."""
    slots = [(f.attname, converter(f)) for f in COLUMNS]
    return [
        [_stored(getattr(entry, name), convert) for name, convert in slots] for entry in entries
    ]


def _stored(value: Any, convert: Callable[[Any], Any] | None) -> Any:
    return value if convert is None or value is None else convert(value)


def db_uuids(link: Link) -> tuple[Any, Any]:
    """A term link's UUIDs as the database stores them (32 hex digits on SQLite, as
    Django stores a UUID there)."""
    if connection.features.has_native_uuid_field:
        return link
    term, taxonomy = link
    return term.hex, None if taxonomy is None else taxonomy.hex


def insert_entries(entries: Sequence[list[Any]]) -> list[int]:
    """Insert entries (``values_of``) and return their new ids, in the same order."""
    if connection.vendor == "postgresql":
        return _copy_entries(entries)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in COLUMNS)
    row = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    table, key = quote(SearchEntry._meta.db_table), quote("id")
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(entries), BATCH):
            batch = entries[start : start + BATCH]
            params = [value for entry in batch for value in entry]
            values = ", ".join([row] * len(batch))
            sql = f"INSERT INTO {table} ({columns}) VALUES {values} RETURNING {key}"  # noqa: S608
            cursor.execute(sql, params)
            found = [pk for (pk,) in cursor.fetchall()]
            if len(found) != len(batch):
                raise RuntimeError("search entries: fewer ids returned than rows inserted")
            ids += found
    return ids


def _copy_entries(entries: Sequence[list[Any]]) -> list[int]:
    """PostgreSQL: the ids taken from the table's own sequence first (ascending, as a
    multi-row INSERT takes them, so the rows are the same), then the rows by COPY, which
    the server reads several times faster than the parameters of a large INSERT."""
    quote = connection.ops.quote_name
    table = quote(SearchEntry._meta.db_table)
    columns = ", ".join(quote(str(f.column)) for f in [SearchEntry._meta.pk, *COLUMNS])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(entries)],
        )
        ids = sorted(pk for (pk,) in cursor.fetchall())
        # Only quoted model metadata in the statement; the rows go as COPY data.
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for pk, entry in zip(ids, entries, strict=True):
                copy.write_row((pk, *entry))
    return ids
