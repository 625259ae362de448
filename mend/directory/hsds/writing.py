"""Writing checked records: batched upserts by id, and the directory lookup for checks.

Callers run ``write`` inside one transaction (``actions.do_import_hsds``). A record
updates only the fields it gave, so importing a third-party feed that says nothing of
``address_visibility`` never makes a hidden address public again.
"""

from __future__ import annotations

import contextlib
import gc
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db import connections, models, router

from mend.directory.hsds import spec
from mend.directory.hsds.checking import Checked, CleanRow
from mend.directory.hsds.problems import NoProgress, Progress

BATCH = 2000
LOOKUP_BATCH = 500


@dataclass(frozen=True)
class Written:
    records: int
    created: int

    @property
    def updated(self) -> int:
        return self.records - self.created


def existing_ids(table: str, ids: set[uuid.UUID]) -> set[uuid.UUID]:
    """The ``ids`` that are already rows of ``table`` (batched, never one query a row)."""
    model = spec.BY_NAME[table].model
    found: set[uuid.UUID] = set()
    pending = iter(sorted(ids))
    while batch := list(islice(pending, LOOKUP_BATCH)):
        found.update(model._default_manager.filter(pk__in=batch).values_list("pk", flat=True))
    return found


def delete_directory() -> None:
    """Remove every directory record (``import_hsds --replace``), children first so the
    cascades find nothing left to collect."""
    for table in reversed(spec.TABLES):
        table.model._default_manager.all().delete()


@contextlib.contextmanager
def bulk_mode() -> Iterator[None]:
    """For the length of a large import: no cyclic garbage collection (the records are
    acyclic, and collections over a heap of a million dicts dominated the run time), and
    on SQLite a 256 MB page cache (random UUID keys touch pages all over each index)."""
    connection = connections["default"]
    previous = None
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            previous = int(cursor.fetchone()[0])
            cursor.execute("PRAGMA cache_size = -262144")
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        if previous is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {previous:d}")


def write(checked: Checked, progress: Progress | None = None) -> dict[str, Written]:
    progress = progress or NoProgress()
    progress.begin("writing", sum(len(rows) for rows in checked.values()))
    written: dict[str, Written] = {}
    for table in spec.TABLES:
        rows = checked.get(table.name)
        if rows:
            written[table.name] = write_table(table, list(rows.values()), progress)
    progress.end()
    return written


def write_table(table: spec.Table, rows: list[CleanRow], progress: Progress) -> Written:
    manager = table.model._default_manager
    before = manager.count()
    # Rows that give the same fields share one upsert statement.
    groups: dict[tuple[str, ...], list[CleanRow]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row.values)), []).append(row)
    for names, group in groups.items():
        # In key order, each batch extends the primary key index instead of scattering.
        group.sort(key=lambda row: row.id.int)
        statement = Upsert(table, names)
        for start in range(0, len(group), BATCH):
            batch = group[start : start + BATCH]
            statement.run(batch)
            progress.advance(len(batch))
    return Written(records=len(rows), created=manager.count() - before)


# Values of these fields are stored as they are; the others go through Django's own
# conversion for the database in use (UUIDs, dates, times, decimals, JSON).
PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.FloatField)


class Upsert:
    """``INSERT ... ON CONFLICT (id) DO UPDATE`` of the given fields, for many rows:
    one prepared statement for every row on SQLite, COPY and INSERT ... SELECT on PostgreSQL.

    Not ``bulk_create``: Django compiles a bulk insert value by value, which cost several
    times the database's own work on a large import (bench/directory_import.py). Values
    still go through each model field's ``get_db_prep_save`` (or its plain equivalent);
    fields a row does not give get the model's default on insert and are left alone on
    update. SQLite 3.24+ and PostgreSQL share the ON CONFLICT syntax.
    """

    def __init__(self, table: spec.Table, names: tuple[str, ...]) -> None:
        self.connection = connections[router.db_for_write(table.model)]
        given = {table.by_name[name].column: name for name in names}
        fields = table.model._meta.concrete_fields
        # Each row starts as a copy of the defaults; only the given columns are filled in.
        self.template: list[Any] = []
        self.slots: list[tuple[int, str, Any]] = []  # (position, HSDS name, conversion)
        self.key: tuple[int, Any] = (0, None)  # the id's (position, conversion)
        for position, field in enumerate(fields):
            name = "id" if field.primary_key else given.get(field.attname)
            if name is None:
                default = field.get_db_prep_save(field.get_default(), self.connection)
                self.template.append(default)
            elif field.primary_key:
                self.template.append(None)
                self.key = (position, self.converter(field))
            else:
                self.template.append(None)
                self.slots.append((position, name, self.converter(field)))
        quote = self.connection.ops.quote_name
        updates = ", ".join(
            f"{quote(column)} = EXCLUDED.{quote(column)}"
            for column in self.column_names(fields, given)
        )
        # Only names quoted from the models' own metadata go into the SQL; values are
        # always parameters (or COPY data).
        self.table = quote(table.model._meta.db_table)
        self.staging = quote(f"import_{table.model._meta.db_table}")
        self.columns = ", ".join(quote(str(field.column)) for field in fields)
        self.row = f"({', '.join(['%s'] * len(fields))})"
        self.tail = f" ON CONFLICT ({quote('id')}) " + (
            f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
        )

    @staticmethod
    def column_names(fields: Sequence[Any], given: dict[str, str]) -> list[str]:
        """The columns an update sets: those the rows gave (never the key)."""
        return [str(f.column) for f in fields if not f.primary_key and f.attname in given]

    def converter(self, field: Any) -> Any:
        """None when values are stored as they are; else a function of the value."""
        target = field.target_field if field.is_relation else field
        if isinstance(target, models.UUIDField):
            if self.connection.features.has_native_uuid_field:
                return None
            return uuid_hex  # what UUIDField stores on SQLite, without its per-call checks
        if isinstance(field, PLAIN_FIELDS):
            return None
        return lambda value: field.get_db_prep_save(value, self.connection)

    def run(self, rows: Sequence[CleanRow]) -> None:
        if self.connection.vendor == "postgresql":
            self.copy(rows)
            return
        # SQLite: one prepared statement for every row, stepped in C (Django rewrote each
        # %s of a large multi-row statement with a regular expression on every call).
        with self.connection.cursor() as cursor:
            cursor.executemany(self.sql(), [self.values(row) for row in rows])

    def copy(self, rows: Sequence[CleanRow]) -> None:
        """PostgreSQL: COPY into a temporary twin of the table, then one upsert from it.
        (psycopg parses a large multi-row statement slowly on every call; COPY is the
        database's own bulk path.)"""
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {self.staging} "
                f"(LIKE {self.table} INCLUDING DEFAULTS) ON COMMIT DROP"
            )
            with cursor.cursor.copy(f"COPY {self.staging} ({self.columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(self.values(row))
            cursor.execute(
                f"INSERT INTO {self.table} ({self.columns}) "  # noqa: S608
                f"SELECT {self.columns} FROM {self.staging}{self.tail}"
            )
            cursor.execute(f"TRUNCATE {self.staging}")

    def sql(self) -> str:
        return f"INSERT INTO {self.table} ({self.columns}) VALUES {self.row}{self.tail}"  # noqa: S608

    def values(self, row: CleanRow) -> list[Any]:
        given = row.values
        out = self.template.copy()
        position, convert = self.key
        out[position] = row.id if convert is None else convert(row.id)
        for position, name, convert in self.slots:
            value = given[name]
            out[position] = value if convert is None else convert(value)
        return out


def uuid_hex(value: uuid.UUID | None) -> str | None:
    return None if value is None else value.hex


def upsert(model: type[models.Model], objects: Sequence[models.Model], columns: list[str]) -> None:
    """A small upsert of model instances (the Mend taxonomy): the ORM is fast enough."""
    manager = model._default_manager
    if columns:
        manager.bulk_create(
            objects, update_conflicts=True, unique_fields=["id"], update_fields=columns
        )
    else:
        manager.bulk_create(objects, ignore_conflicts=True)
