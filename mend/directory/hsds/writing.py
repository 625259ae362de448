"""Writing checked records: batched upserts by id, and the directory lookup for checks.

Callers run ``write`` inside one transaction (``actions.do_import_hsds``). A record
updates only the fields it gave, so importing a third-party feed that says nothing of
``address_visibility`` never makes a hidden address public again.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice, repeat
from operator import attrgetter, itemgetter
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
    for names, part in by_fields(rows).items():
        groups.setdefault(tuple(sorted(names)), []).extend(part)
    for names, group in groups.items():
        # In key order, each batch extends the primary key index instead of scattering.
        group.sort(key=attrgetter("id.int"))
        statement = Upsert(table, names)
        for start in range(0, len(group), BATCH):
            batch = group[start : start + BATCH]
            statement.run(batch)
            progress.advance(len(batch))
    return Written(records=len(rows), created=manager.count() - before)


def by_fields(rows: list[CleanRow]) -> dict[tuple[str, ...], list[CleanRow]]:
    """The rows by the fields they give, in the order given (rows of one file share it:
    sorting each row's names cost more than the grouping)."""
    groups: dict[tuple[str, ...], list[CleanRow]] = {}
    for row in rows:
        groups.setdefault(tuple(row.values), []).append(row)
    return groups


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
                convert = self.converter(field)
                # A key is never None: its hex without uuid_hex's test (one call fewer a row).
                self.key = (position, attrgetter("hex") if convert is uuid_hex else convert)
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
        convert = functools.partial(field.get_db_prep_save, connection=self.connection)
        # Equal dates (and equal times) are stored alike; equal date-times in two time
        # zones, or equal decimals of two precisions, might not be: those are not memoized.
        exact = isinstance(field, models.DateField | models.TimeField)
        if exact and not isinstance(field, models.DateTimeField):
            return memoized(convert)
        return convert

    def run(self, rows: Sequence[CleanRow]) -> None:
        values = self.values(rows)
        if self.connection.vendor == "postgresql":
            self.copy(values)
            return
        # SQLite: one prepared statement for every row, stepped in C (Django rewrote each
        # %s of a large multi-row statement with a regular expression on every call).
        with self.connection.cursor() as cursor:
            cursor.executemany(self.sql(), values)

    def copy(self, values: list[tuple[Any, ...]]) -> None:
        """PostgreSQL: COPY into a temporary twin of the table, then one upsert from it.
        (psycopg parses a large multi-row statement slowly on every call; COPY is the
        database's own bulk path.)"""
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {self.staging} "
                f"(LIKE {self.table} INCLUDING DEFAULTS) ON COMMIT DROP"
            )
            with cursor.cursor.copy(f"COPY {self.staging} ({self.columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {self.table} ({self.columns}) "  # noqa: S608
                f"SELECT {self.columns} FROM {self.staging}{self.tail}"
            )
            cursor.execute(f"TRUNCATE {self.staging}")

    def sql(self) -> str:
        return f"INSERT INTO {self.table} ({self.columns}) VALUES {self.row}{self.tail}"  # noqa: S608

    def values(self, rows: Sequence[CleanRow]) -> list[tuple[Any, ...]]:
        """Each row's database values in column order, built a column at a time (the
        columns a row does not give hold their default)."""
        columns: list[Iterable[Any]] = [repeat(default) for default in self.template]
        position, convert = self.key
        ids = [row.id for row in rows]
        columns[position] = ids if convert is None else map(convert, ids)
        given = [row.values for row in rows]
        for position, name, convert in self.slots:
            column = map(itemgetter(name), given)
            columns[position] = column if convert is None else map(convert, column)
        return list(zip(*columns, strict=False))  # the defaults repeat without end


def memoized(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``convert`` once a distinct value: a column of dates or times repeats few."""
    done: dict[Any, Any] = {}

    def converted(value: Any) -> Any:
        try:
            return done[value]
        except KeyError:
            done[value] = result = convert(value)
            return result

    return converted


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
