"""Writing checked records: batched upserts by id, and the directory lookup for checks.

Callers run ``write`` inside one transaction (``actions.do_import_hsds``). A record
updates only the fields it gave, so importing a third-party feed that says nothing of
``address_visibility`` never makes a hidden address public again.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice, repeat
from operator import attrgetter, itemgetter
from typing import Any

from django.db import connections, models, router
from psycopg.adapt import PyFormat, Transformer

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


@contextlib.contextmanager
def indexes_built_after(filled: Sequence[type[models.Model]], *, empty: bool) -> Iterator[None]:
    """On SQLite, for tables filled whole from ``empty`` (a full search-index rebuild, a
    first import): their secondary indexes dropped, and created again once every row
    is in (one sorted build each, instead of an insert into every index for every row).
    Keys and unique columns keep theirs (SQLite's own, which cannot be dropped), so a
    duplicate id is still refused as it is inserted. Inside the caller's transaction: a
    write that fails rolls the drop back with everything else. Not on PostgreSQL, where
    dropping an index would lock out every reader of the table until the commit."""
    connection = connections["default"]
    if not empty or connection.vendor != "sqlite":
        yield
        return
    tables = [model._meta.db_table for model in filled]
    marks = ", ".join(["%s"] * len(tables))
    with connection.cursor() as cursor:
        # Placeholders only in the SQL; the table names are parameters.
        where = f"type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})"
        cursor.execute(f"SELECT name, sql FROM sqlite_master WHERE {where}", tables)  # noqa: S608
        found: list[tuple[str, str]] = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        for _, sql in found:
            cursor.execute(sql)  # as the schema had it, read from sqlite_master above


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
    # Rows that give the same fields share one statement.
    groups: dict[tuple[str, ...], list[CleanRow]] = {}
    for names, part in by_fields(rows).items():
        groups.setdefault(tuple(sorted(names)), []).extend(part)
    # The checked rows of a table have distinct ids, so into a table that was empty (a
    # first import, or --replace) every row is new: a plain insert, without the conflict
    # check a row, and the table's indexes built once every row is in. (The transaction
    # holds the table from the count on: SQLite's is IMMEDIATE; on PostgreSQL a row added
    # meanwhile by another writer makes the insert fail, and the import is refused whole.)
    fresh = before == 0
    with indexes_built_after([table.model], empty=fresh):
        for names, group in groups.items():
            # In key order, each batch extends the primary key index instead of scattering.
            group.sort(key=attrgetter("id.int"))
            Upsert(table, names, fresh=fresh).write(group, progress)
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
    With ``fresh`` (the table was empty), a plain ``INSERT``.

    Not ``bulk_create``: Django compiles a bulk insert value by value, which cost several
    times the database's own work on a large import (bench/directory_import.py). Values
    still go through each model field's ``get_db_prep_save`` (or its plain equivalent);
    fields a row does not give get the model's default on insert and are left alone on
    update. SQLite 3.24+ and PostgreSQL share the ON CONFLICT syntax.

    A row carries only its id and the fields it gives. The defaults of the others are
    written once a statement: binding a service's 25 values a row took SQLite longer than
    storing them, and most of them are the same empty text.
    """

    def __init__(self, table: spec.Table, names: tuple[str, ...], *, fresh: bool) -> None:
        self.connection = connections[router.db_for_write(table.model)]
        self.sqlite = self.connection.vendor == "sqlite"
        self.fresh = fresh
        given = {table.by_name[name].column: name for name in names}
        fields = table.model._meta.concrete_fields
        quote = self.connection.ops.quote_name
        # What each row gives, in column order: the id ("id"), a field (its HSDS name),
        # or a default bound with every row (None): (name, conversion or the value).
        self.given: list[tuple[str | None, Any]] = []
        row_columns: list[str] = []  # the columns a row gives, in column order
        placeholders: list[str] = []  # SQLite: each column's placeholder or default's SQL text
        selected: list[str] = []  # PostgreSQL: each column, from the staging table or not
        self.defaults: list[Any] = []  # PostgreSQL: the defaults' parameters, in order
        for field in fields:
            column = quote(str(field.column))
            name = "id" if field.primary_key else given.get(field.attname)
            if name is None:
                default = field.get_db_prep_save(field.get_default(), self.connection)
                text = sql_text(default) if self.sqlite else None
                if text is not None:  # SQLite: in the statement itself
                    placeholders.append(text)
                elif self.sqlite or fresh:  # with every row (PostgreSQL: straight COPY)
                    bound = default if self.sqlite else copy_text(self.connection, default)
                    self.given.append((None, bound))
                    row_columns.append(column)
                    placeholders.append("%s")
                else:  # PostgreSQL: a parameter of the insert from the staging table
                    self.defaults.append(default)
                    selected.append("%s")
                continue
            convert = self.converter(field)
            if field.primary_key and convert is uuid_hex:
                convert = attrgetter("hex")  # a key is never None: one call fewer a row
            self.given.append((name, convert))
            row_columns.append(column)
            placeholders.append("%s")
            selected.append(column)
        updates = ", ".join(
            f"{quote(column)} = EXCLUDED.{quote(column)}"
            for column in self.column_names(fields, given)
        )
        # Only names quoted from the models' own metadata go into the SQL, and only the
        # models' own defaults as SQL text (sql_text); imported values are always
        # parameters (or COPY data).
        self.table = quote(table.model._meta.db_table)
        self.columns = ", ".join(quote(str(field.column)) for field in fields)
        self.row_columns = ", ".join(row_columns)
        self.values_sql = ", ".join(placeholders)
        self.selected = ", ".join(selected)
        # A temporary table for each set of columns (its name from their list).
        digest = hashlib.sha256(self.row_columns.encode()).hexdigest()[:16]
        self.staging = quote(f"import_{table.model._meta.db_table}_{digest}")
        if fresh:
            self.tail = ""
        else:
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
            # 32 hex digits: what UUIDField stores on SQLite (without its checks a call),
            # and text that PostgreSQL's COPY reads into a uuid column (psycopg's dumper
            # of a UUID is Python code, called back for each value).
            return uuid_hex
        if isinstance(field, PLAIN_FIELDS):
            return None
        convert = functools.partial(field.get_db_prep_save, connection=self.connection)
        # Equal dates (and equal times) are stored alike; equal date-times in two time
        # zones, or equal decimals of two precisions, might not be: those are not memoized.
        exact = isinstance(field, models.DateField | models.TimeField)
        if exact and not isinstance(field, models.DateTimeField):
            return memoized(convert)
        return convert

    def write(self, rows: Sequence[CleanRow], progress: Progress) -> None:
        """Every row, ``BATCH`` at a time: each batch's values are built as it is written."""
        batches = (rows[start : start + BATCH] for start in range(0, len(rows), BATCH))
        if not self.sqlite:
            self.copy(self.streamed(batches, progress))
            return
        # SQLite: one prepared statement for every row, stepped in C (Django rewrote each
        # %s of a large multi-row statement with a regular expression on every call).
        with self.connection.cursor() as cursor:
            for batch in batches:
                cursor.executemany(self.sql(), self.values(batch))
                progress.advance(len(batch))

    def streamed(
        self, batches: Iterable[Sequence[CleanRow]], progress: Progress
    ) -> Iterator[tuple[Any, ...]]:
        for batch in batches:
            yield from self.values(batch)
            progress.advance(len(batch))

    def copy(self, values: Iterable[tuple[Any, ...]]) -> None:
        """PostgreSQL: COPY the rows' own values into a temporary table, then one
        insert from it that adds the defaults; into a table that was empty, COPY
        straight into it. (psycopg parses a large multi-row statement slowly on every
        call; COPY is the database's own bulk path.) One COPY for all the rows, fed as
        they are built: the server stores rows on the other core meanwhile (a COPY a
        batch left each side waiting for the other, a third of the writing time)."""
        with self.connection.cursor() as cursor:
            if self.fresh:  # every row is new: straight into the table, defaults and all
                with self.connection.wrap_database_errors:  # Django's errors, as below
                    copy_rows(cursor, self.copy_sql(self.table), values)
                return
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {self.staging} ON COMMIT DROP AS "  # noqa: S608
                f"SELECT {self.row_columns} FROM {self.table} WITH NO DATA"
            )
            copy_rows(cursor, self.copy_sql(self.staging), values)
            cursor.execute(
                f"INSERT INTO {self.table} ({self.columns}) "  # noqa: S608
                f"SELECT {self.selected} FROM {self.staging}{self.tail}",
                self.defaults,
            )
            cursor.execute(f"TRUNCATE {self.staging}")

    def copy_sql(self, table: str) -> str:
        return f"COPY {table} ({self.row_columns}) FROM STDIN"

    def sql(self) -> str:
        return f"INSERT INTO {self.table} ({self.columns}) VALUES ({self.values_sql}){self.tail}"  # noqa: S608

    def values(self, rows: Sequence[CleanRow]) -> list[tuple[Any, ...]]:
        """Each row's parameters in column order, built a column at a time."""
        ids = [row.id for row in rows]
        given = [row.values for row in rows]
        columns: list[Iterable[Any]] = []
        for name, convert in self.given:
            if name is None:
                columns.append(repeat(convert))  # a default bound with every row
                continue
            column = ids if name == "id" else map(itemgetter(name), given)
            columns.append(column if convert is None else map(convert, column))
        return list(zip(*columns, strict=False))  # the defaults repeat without end


def copy_rows(cursor: Any, statement: str, rows: Iterable[tuple[Any, ...]]) -> None:
    """PostgreSQL's bulk path: ``rows`` through ``statement``, a ``COPY ... FROM STDIN``
    (which names only quoted model metadata), on a Django ``cursor``."""
    with cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def copy_text(connection: Any, value: Any) -> Any:
    """PostgreSQL: a default as COPY's text format sends it, dumped once for every row.
    (psycopg dumps each row's values anew: a JSON default cost a ``json.dumps`` for every
    row, 410,000 of them in the bench's first import.) The same bytes go to the server:
    COPY escapes the text of each value alike, whatever dumped it."""
    if value is None or isinstance(value, str):
        return value
    connection.ensure_connection()
    dumper = Transformer(connection.connection).get_dumper(value, PyFormat.TEXT)
    dumped = dumper.dump(value)
    return None if dumped is None else bytes(dumped).decode()


def sql_text(value: Any) -> str | None:
    """A model's default as SQLite SQL text, or None when it should stay a parameter.
    Only ever called with the models' own defaults, never with imported values."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and "\x00" not in value:
        return "'" + value.replace("'", "''") + "'"
    return None


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
