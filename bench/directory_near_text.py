"""Text near a place (``mend.search.memory``), the old way against the new, on an index
already built (sessions 7, 9 and 12, issue 15).

    MEND_ENV=test DATABASE_URL=sqlite:////tmp/copy.sqlite3 \\
        .venv/bin/python bench/directory_near_text.py [--queries 200] [--rounds 4]

The old way (sessions 7 to 11, as chosen on PostgreSQL up to 10,000 rows around the
place): every entry found near the place checks its own stored words in the full-text
index. The new way (session 12): each row of the search file is tested against the rows
with the words in the file's word lists (``mend.search.wordlists``). The queries are
``bench/directory_search.py``'s text + place shape (its texts, a bench ZIP code, 40 km,
first page). Rounds alternate old-new and new-old; each way is timed in wall and process
CPU time (SQLite runs in this process), p50/p95, with the load average, and by the count
of entries nearby. Writes nothing to the database (the search file is written once if
this copy has none).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from directory_search import TEXTS, zip_points  # noqa: E402  (bench/, beside this script)
from directory_text import arguments_then_django, load_average, percentile  # noqa: E402

BINS = (500, 1_000, 2_000, 4_000, 8_000, 16_000, 10**9)


def main() -> int:
    args = arguments_then_django(__doc__ or "", 200, 4)
    from mend.search import fulltext, memory, nearby, version
    from mend.search.params import SearchParams, resolve
    from mend.search.query import search_services

    snapshot = nearby.load(version.read_version())
    rng = random.Random(7)
    points = zip_points()
    params = [
        SearchParams(text=rng.choice(TEXTS), postcode=rng.choice(points)[0], radius_km=40)
        for _ in range(args.queries)
    ]
    nearby_counts = [len(nearby.find(snapshot, memory._wanted(resolve(p)))) for p in params]

    def old_with_words(r: Any, snapshot: Any, wanted: Any) -> tuple[Any, set[int]]:
        found = nearby.find(snapshot, wanted)
        pks = nearby.pks(snapshot.file, found)
        having = fulltext.having_words(pks, r.words)
        return nearby.only(found, pks, having), having

    def old(n: int) -> Any:
        with mock.patch.object(memory, "_with_words", old_with_words):
            return search_services(params[n])

    def new(n: int) -> Any:
        return search_services(params[n])

    ways: dict[str, Callable[[int], Any]] = {"old": old, "new": new}
    times: dict[str, list[tuple[float, float]]] = {way: [] for way in ways}
    totals = [new(n).total_items for n in range(len(params))]  # warm, and the figures
    for round_number in range(args.rounds):
        order = list(ways) if round_number % 2 == 0 else list(reversed(ways))
        for way in order:
            for n in range(len(params)):
                wall, cpu = time.perf_counter(), time.process_time()
                ways[way](n)
                times[way].append(
                    ((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)
                )
        print(f"round {round_number + 1} done (load {load_average()})", flush=True)
    report(params, nearby_counts, totals, times)
    return 0


def report(
    params: list[Any],
    nearby_counts: list[int],
    totals: list[int],
    times: dict[str, list[tuple[float, float]]],
) -> None:
    many = sum(count >= 1_000 for count in nearby_counts)
    print(
        f"{len(params)} queries: {statistics.mean(nearby_counts):,.0f} entries nearby on"
        f" average (max {max(nearby_counts):,}; {many} with 1,000 or more),"
        f" {statistics.mean(totals):,.0f} matches on average"
    )
    print(f"{'way':<8} {'wall p50':>9} {'wall p95':>9} {'cpu p50':>8} {'cpu p95':>8}")
    for way, pairs in times.items():
        walls, cpus = [w for w, _ in pairs], [c for _, c in pairs]
        print(
            f"{way:<8} {statistics.median(walls):9.1f} {percentile(walls, 0.95):9.1f}"
            f" {statistics.median(cpus):8.1f} {percentile(cpus, 0.95):8.1f}"
        )
    print(f"{'nearby up to':>12} {'queries':>8} " + " ".join(f"{w + ' cpu':>12}" for w in times))
    low = 0
    for high in BINS:
        chosen = [n for n, count in enumerate(nearby_counts) if low < count <= high]
        low = high
        if not chosen:
            continue
        medians = [
            statistics.median(pairs[n + k * len(params)][1] for n in chosen for k in range(rounds))
            for pairs in times.values()
            for rounds in [len(pairs) // len(params)]
        ]
        print(f"{high:>12,} {len(chosen):>8} " + " ".join(f"{m:12.1f}" for m in medians))
    print(f"(load {load_average()})")


if __name__ == "__main__":
    sys.exit(main())
