"""Drafting a full rebuild's chunks of services in other processes (issue 15).

Drafting a chunk (reading its HSDS rows, ``gather``, and turning its services into
entries, ``drafts``) is about 70 % of a full rebuild's CPU time; writing the entries is the
rest, and stays in the rebuild's own process and transaction. With more than one core,
worker processes draft the next chunks while the rebuild writes the last ones
(docs/performance.md, "Session 13").

What a worker reads: the directory's committed rows, through a connection of its own to
the rebuild's database (the same settings, the test database's name included). It writes
nothing. The rebuild asks for workers only when it is its own transaction
(``index.rebuild_search_index``): inside an import's, the rows the import wrote are not
committed, and only the importing connection could read them. On its own, the rebuild
writes no directory row; on SQLite it holds the only write lock, so nothing changes them
until it commits; on PostgreSQL each of its queries saw the latest committed rows (read
committed), as a worker's do.

Drafted here instead, by the same function, chunk by chunk: a database no other process
can open (SQLite in memory, as the tests have it), fewer than ``FEWEST_CHUNKS`` chunks,
or ``SEARCH_INDEX_WORKERS`` of 0.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import nullcontext
from multiprocessing import get_context
from uuid import UUID

from django.conf import settings
from django.db import connection, transaction
from django.utils import translation

from mend.directory.hsds.writing import bulk_mode
from mend.directory.models import SEARCHED_STATUSES
from mend.lib.processes import same_django, start_django
from mend.search.drafts import Ready, drafts_for, ready
from mend.search.gather import gather, load_services, lookups_priced_cached

# Fewer chunks than this (of 500 services) are drafted here: starting a worker (a new
# Python importing Django and Mend) takes about a second.
FEWEST_CHUNKS = 20
# Chunks asked of each worker ahead of the one being written: enough to keep each busy,
# few enough that drafts waiting to be written stay a few megabytes.
AHEAD = 2


def draft_chunk(service_ids: Sequence[UUID]) -> list[Ready]:
    """The entries of a chunk's services that searches show, in the chunk's order."""
    services = load_services(service_ids, SEARCHED_STATUSES)
    related = gather([s.id for s in services])
    return ready([draft for service in services for draft in drafts_for(service, related)])


def drafted(chunks: Sequence[Sequence[UUID]], workers: int | None = None) -> Iterator[list[Ready]]:
    """Each chunk's entries, in the order of ``chunks``: from ``workers`` processes
    (``SEARCH_INDEX_WORKERS`` when None) where they can read this database, else here."""
    count = settings.SEARCH_INDEX_WORKERS if workers is None else workers
    if count < 1 or len(chunks) < FEWEST_CHUNKS or not shareable():
        yield from map(draft_chunk, chunks)
        return
    start = same_django(connection.alias)
    with ProcessPoolExecutor(
        count, mp_context=get_context("spawn"), initializer=start_django, initargs=start
    ) as pool:
        waiting: deque[Future[list[Ready]]] = deque()
        try:
            for chunk in chunks:
                waiting.append(pool.submit(_draft_elsewhere, chunk))
                if len(waiting) > count * AHEAD:
                    yield waiting.popleft().result()
            while waiting:
                yield waiting.popleft().result()
        finally:
            # A rebuild that fails (or stops reading) waits for no chunk it will not write.
            for future in waiting:
                future.cancel()


def shareable() -> bool:
    """Whether another process can open this connection's database."""
    name = str(connection.settings_dict["NAME"])
    # As Django's SQLite backend tells a database in memory (its test database's way).
    return connection.vendor != "sqlite" or not (name == ":memory:" or "mode=memory" in name)


def _draft_elsewhere(service_ids: Sequence[UUID]) -> list[Ready]:
    """``draft_chunk`` in a worker, as the rebuild drafts: in English, with no cyclic
    garbage collection while it makes the chunk's objects (they are acyclic), and reads
    by key priced as the rebuild prices them."""
    # A transaction for PostgreSQL's local setting only: SQLite's begin IMMEDIATE, asking
    # for the write lock that the rebuild holds, and reads need none.
    priced = transaction.atomic() if connection.vendor == "postgresql" else nullcontext()
    with translation.override("en"), bulk_mode(), priced, lookups_priced_cached():
        return draft_chunk(service_ids)
