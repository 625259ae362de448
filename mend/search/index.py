"""Building the search index from the HSDS tables (ADR 0003): the rebuild driver.

``rebuild_search_index()`` rebuilds everything (it follows the directory's
``directory_changed`` signal, which an import and a demo load send; ``manage.py
rebuild_search_index`` runs it too); ``rebuild_search_index(ids)`` rebuilds some
services' rows (the admin's saves announce their services); ``refresh_hours()`` moves the
precomputed opening intervals forward (run daily).

The parts, one concern each: ``gather`` loads a chunk's related HSDS rows, ``drafts``
turns a service into entries (what they protect about hidden and on-request locations is
said there), ``hours_profiles`` precomputes opening intervals, ``documents`` renders the
API's stored list items, ``workers`` drafts a full rebuild's chunks in other processes.
This module writes them, in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from django.db import connection, models, transaction
from django.utils import translation

from mend.directory.hsds.writing import bulk_mode, copy_rows, indexes_built_after
from mend.directory.models import Service
from mend.search import changes, fulltext, version, workers
from mend.search.bulk import HOURS, insert_entries
from mend.search.drafts import Ready
from mend.search.gather import lookups_priced_cached
from mend.search.hours_profiles import ProfileCache, rule_from_json, store_intervals
from mend.search.models import (
    EntryTerm,
    HoursProfile,
    IndexVersion,
    OpenInterval,
    SearchDocument,
    SearchEntry,
    SearchText,
)

CHUNK = 500


def chunks[T](items: Sequence[T], size: int | None = None) -> Iterator[Sequence[T]]:
    size = size or CHUNK  # read when called: a test makes chunks small
    for start in range(0, len(items), size):
        yield items[start : start + size]


def rebuild_search_index(service_ids: Iterable[UUID] | None = None, *, now: datetime) -> int:
    """Rebuild the rows of ``service_ids`` (every service when None), in one transaction,
    and return how many entries were written. Services no longer active lose their rows.
    Opening hours are precomputed from ``now``: callers pass the clock explicitly, so a
    test's index and its searches agree whatever day it runs on. In ``bulk_mode``, as
    an import is: no cyclic garbage collection while it makes a million small objects,
    and on SQLite a page cache that holds the index it writes all over."""
    # A full rebuild is drafted in worker processes (``mend.search.workers``), which see
    # only committed rows: not when the caller's transaction may have written some (an
    # import's, rebuilt in its own transaction), which only this connection can read.
    elsewhere = service_ids is None and not connection.in_atomic_block
    with transaction.atomic(), translation.override("en"), bulk_mode(), lookups_priced_cached():
        # Every write takes the version row first: writes queue there, not on entry rows
        # (where a full rebuild and an edit could each hold what the other waits for).
        previous = changes.begin()
        if service_ids is None:
            _clear_everything()
            ids: list[UUID] = list(Service.objects.order_by("id").values_list("id", flat=True))
        else:
            ids = list(dict.fromkeys(service_ids))
            removed = _entries_of(ids)
            for chunk in chunks(ids):
                SearchEntry.objects.filter(service_id__in=chunk).delete()
        profiles = ProfileCache(now)
        full = service_ids is None
        # A full rebuild fills its tables whole: their indexes are built once, after.
        with indexes_built_after(FILLED, empty=full):
            drafted = workers.drafted(list(chunks(ids)), None if elsewhere else 0)
            written = sum(_write(rows, profiles, full=full) for rows in drafted)
        if full:
            fulltext.store_every_word()
            HoursProfile.objects.filter(entries__isnull=True).delete()
            analyze()
            new_version()
        else:
            new_version(logged=(previous, removed, _entries_of(ids)))
    return written


def _entries_of(service_ids: Sequence[UUID]) -> list[int]:
    return [pk for chunk in chunks(service_ids) for pk in changes.entries_of(chunk)]


def new_version(logged: tuple[str, list[int], list[int]] | None = None) -> None:
    """Tell every process that the index changed (``mend.search.nearby``); this one
    knows at once, when the write commits, that it is current (``mend.search.version``:
    its own searches see it, and a replica without it is behind). ``logged``: the version
    replaced and the entries removed and added, which search files catch up with
    (``mend.search.changes``)."""
    value = uuid4().hex
    if logged is not None:
        changes.record(value, *logged)
    IndexVersion.objects.update_or_create(pk=1, defaults={"value": value})
    transaction.on_commit(lambda: version.learn(value))


def analyze() -> None:
    """Fresh PostgreSQL planner statistics after a full rebuild: without them it drives
    text searches near a place from the token index instead of the position index.
    Not on SQLite: there, statistics on the two-valued ``remote`` column make the planner
    give up the multi-index OR for a full scan (ADR 0003)."""
    if connection.vendor != "postgresql":
        return
    tables = [m._meta.db_table for m in (SearchEntry, SearchText, OpenInterval, HoursProfile)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def refresh_hours(*, now: datetime) -> int:
    """Recompute every profile's open intervals from ``now``; returns the profile count."""
    profiles = list(HoursProfile.objects.all())
    with transaction.atomic():
        OpenInterval.objects.all().delete()
        for profile in profiles:
            rules = [rule_from_json(item) for item in profile.rules]
            store_intervals(profile, rules, now)
    return len(profiles)


def _clear_everything() -> None:
    """Every index row gone, children first, each table in one DELETE. Not the ORM's
    ``delete()``: an entry's reverse relations keep Django from deleting entries in one
    statement, so it read every entry into a model instance first and deleted them 100
    at a time (a million instances, and 10,200 statements, at a million entries)."""
    changes.forget_all()
    fulltext.clear()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in (EntryTerm, SearchDocument, SearchEntry, OpenInterval, HoursProfile):
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608


# The tables a full rebuild fills row by row (OpenInterval's rows come a profile at a time).
FILLED = (SearchEntry, EntryTerm, SearchDocument)


def _write(rows: list[Ready], profiles: ProfileCache, *, full: bool) -> int:
    """Write a chunk's entries (their hours profiles made here, on first use)."""
    for row in rows:
        profile = profiles.get(*row.hours)
        row.values[HOURS] = profile.pk if profile is not None else None
    written = list(zip(insert_entries([row.values for row in rows]), rows, strict=True))
    fulltext.insert([(pk, row.words) for pk, row in written if row.words], words=not full)
    insert_rows(
        EntryTerm,
        ("entry_id", "term_id", "taxonomy_id"),
        [(pk, *link) for pk, row in written for link in row.links],
    )
    insert_rows(
        SearchDocument,
        ("entry_id", "body"),
        [(pk, row.document) for pk, row in written if row.document],
    )
    return len(rows)


def insert_rows(
    model: type[models.Model], columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """Plain INSERTs for the millions of small token rows: building a model instance per
    row made the full rebuild several times slower. On SQLite one prepared statement for
    every row (``executemany``: Django rewrote each %s of a large multi-row statement
    with a regular expression on every call); on PostgreSQL, COPY (psycopg parses a
    large multi-row statement slowly on every call)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            copy_rows(cursor, f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN", rows)
        return
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608
        cursor.executemany(sql, rows)
