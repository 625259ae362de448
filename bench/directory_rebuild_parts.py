"""Two parts of the full rebuild, each the old way against the new, on an index already
built (session 10, issue 15).

    MEND_ENV=test DATABASE_URL=postgres://... \\
        .venv/bin/python bench/directory_rebuild_parts.py [--queries 16] [--rounds 1]

- **Gathering**: ``--queries`` random chunks of 500 services read with ``gather`` (what
  a rebuild reads for each chunk), at the database's own price of a page read by key and
  at the rebuild's (``gather.lookups_priced_cached``), alternating; mean ms a chunk.
- **Clearing**: ``index._clear_everything`` against the ORM's ``delete()`` of each table
  (session 9's way), each in a transaction rolled back after its deferred constraint
  checks have run (PostgreSQL; SQLite checks every key of the database instead); wall
  and process CPU seconds. Run once each per round: at a million entries a round takes
  several minutes. Both ways run on the schema the database has: on one migrated past
  0010 (or made from today's models) the entries' hours key has no constraint, so the
  old way here leaves out the per-profile scans that session 10's 321.8 s included.

Reads the database named by DATABASE_URL (a copy of a benchmark database, indexed) and
writes nothing: every change is rolled back.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from directory_text import arguments_then_django, load_average  # noqa: E402

CHUNK = 500


@contextmanager
def rolled_back() -> Iterator[None]:
    """A transaction whose every change is undone when the block ends."""
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def main() -> int:
    args = arguments_then_django(__doc__ or "", 16, 1)
    from mend.directory.models import SEARCHED_STATUSES, Service
    from mend.search import gather, index

    ids = list(Service.objects.order_by("id").values_list("id", flat=True))
    rng = random.Random(5)
    starts = [rng.randrange(0, max(len(ids) - CHUNK, 1)) for _ in range(args.queries)]
    prices: dict[str, Callable[[], Any]] = {
        "database's price": nullcontext,
        "rebuild's price": gather.lookups_priced_cached,
    }
    spent = dict.fromkeys(prices, 0.0)
    for n, start in enumerate(starts):
        for name in list(prices) if n % 2 == 0 else list(reversed(prices)):
            with rolled_back(), prices[name]():
                started = time.perf_counter()
                services = gather.load_services(ids[start : start + CHUNK], SEARCHED_STATUSES)
                gather.gather([service.id for service in services])
                spent[name] += time.perf_counter() - started
    for name, seconds in spent.items():
        print(f"gathering at the {name}: {seconds / len(starts) * 1000:.0f} ms a chunk")
    print(f"(load {load_average()})", flush=True)
    clears = {"ORM delete() (session 9)": orm_clear, "one DELETE a table": index._clear_everything}
    for round_number in range(args.rounds):
        for name in list(clears) if round_number % 2 == 0 else list(reversed(clears)):
            wall, cpu = timed_clear(clears[name])
            print(f"clearing, {name}: {wall:.1f} s wall, {cpu:.1f} s CPU (load {load_average()})")
    return 0


def orm_clear() -> None:
    """``index._clear_everything`` as session 9 had it."""
    from mend.search import changes, fulltext
    from mend.search.models import (
        EntryTerm,
        HoursProfile,
        OpenInterval,
        SearchDocument,
        SearchEntry,
    )

    changes.forget_all()
    fulltext.clear()
    for model in (EntryTerm, SearchDocument, SearchEntry, OpenInterval, HoursProfile):
        model._default_manager.all().delete()


def timed_clear(clear: Callable[[], None]) -> tuple[float, float]:
    from django.db import connection

    with rolled_back():
        started, cpu = time.monotonic(), time.process_time()
        clear()
        with connection.cursor() as cursor:
            pg = connection.vendor == "postgresql"
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE" if pg else "PRAGMA foreign_key_check")
        return time.monotonic() - started, time.process_time() - cpu
    raise AssertionError("unreachable")


if __name__ == "__main__":
    sys.exit(main())
