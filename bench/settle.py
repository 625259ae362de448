"""Shared by the benchmarks: leave a freshly bulk-loaded database as it would be in use."""

from __future__ import annotations


def settle_after_bulk_load(*, analyze_sqlite: bool = True) -> None:
    """Leave the database as it would be after months of use, not seconds after a bulk load.

    Without this the timed requests compete with autovacuum of the fresh rows (which also
    leaves index-only scans visiting the table until the visibility map is set) and with
    checkpoints still writing them out (PostgreSQL), or with a WAL file of the whole load
    (SQLite). ``analyze_sqlite=False`` where the application itself never runs ANALYZE on
    SQLite (the search index: ADR 0003).
    """
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM (ANALYZE)")
            cursor.execute("CHECKPOINT")
            return
        if analyze_sqlite:
            cursor.execute("ANALYZE")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
