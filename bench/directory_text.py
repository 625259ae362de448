"""Nationwide text search by relevance, counted by the full-text index against the search
file's word lists (``mend.search.wordlists``), on an index already built (ADR 0017,
ADR 0018 addendum 2).

    MEND_ENV=test DATABASE_URL=sqlite:////tmp/copy.sqlite3 \\
        .venv/bin/python bench/directory_text.py [--queries 60] [--rounds 3]

Reads the database named by DATABASE_URL (a copy of a benchmark database whose index was
rebuilt with the title words: ``bench/directory_search.py --data`` keeps them unindexed),
and times each page shape (first, second, a deep and the last page of the bench's
nationwide texts and of other one- and two-word texts) in alternating rounds of the old
way (``search_in_database``: every count asked of the full-text index) and the new
(``search_services``: counted in the search file's word lists, written first if this
machine has none), printing p50/p95 of each, their ratio and the load average. Both ways
page by tiers (``mend.search.tiers``). Writes nothing to the database.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TEXTS = ("counseling", "legal advice", "crisis line", "support group", "abogado", "housing safe")
EXTRA = ("therapy", "legal", "rape crisis", "shelter", "counseling spanish", "support")
PAGES = ("first", "second", "deep", "last")


def load_average() -> str:
    return Path("/proc/loadavg").read_text(encoding="ascii").split()[0]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def page_number(shape: str, total: int, per_page: int) -> int:
    last = max(1, (total + per_page - 1) // per_page)
    return {"first": 1, "second": min(2, last), "deep": max(1, last // 3), "last": last}[shape]


def timed(run: Callable[[], Any]) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def arguments_then_django(
    doc: str, queries: int, rounds: int, parser: argparse.ArgumentParser | None = None
) -> argparse.Namespace:
    """The text benchmarks' ``--queries`` and ``--rounds`` (and any ``parser`` has), then
    Django set up on the database that DATABASE_URL names."""
    parser = parser or argparse.ArgumentParser()
    parser.description = doc.splitlines()[0]
    parser.add_argument("--queries", type=int, default=queries)
    parser.add_argument("--rounds", type=int, default=rounds)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mend.settings")
    import django

    django.setup()
    return args


def main() -> int:
    args = arguments_then_django(__doc__ or "", 60, 3)
    from mend.search import nearby, version
    from mend.search.params import SearchParams
    from mend.search.query import search_in_database, search_services

    nearby.load(version.read_version())
    rng = random.Random(7)
    texts = [rng.choice(TEXTS + EXTRA) for _ in range(args.queries)]
    totals = {text: search_services(SearchParams(text=text)).total_items for text in set(texts)}
    ways = {"old": search_in_database, "new": search_services}
    walls: dict[tuple[str, str], list[float]] = {}
    for round_number in range(args.rounds):
        for way in ("old", "new") if round_number % 2 == 0 else ("new", "old"):
            for shape in PAGES:
                for text in texts:
                    number = page_number(shape, totals[text], 20)
                    params = SearchParams(text=text, page=number)
                    wall = timed(partial(ways[way], params))
                    walls.setdefault((way, shape), []).append(wall)
        print(f"round {round_number + 1} done (load {load_average()})", flush=True)
    print(f"mean matches {statistics.mean(totals[t] for t in texts):,.0f}")
    columns = ("old p50", "old p95", "new p50", "new p95", "p95 new/old")
    print(f"{'page':<8} " + " ".join(f"{name:>8}" for name in columns))
    for shape in PAGES:
        old, new = walls[("old", shape)], walls[("new", shape)]
        o50, o95, n50, n95 = (
            statistics.median(old),
            percentile(old, 0.95),
            statistics.median(new),
            percentile(new, 0.95),
        )
        print(f"{shape:<8} {o50:8.1f} {o95:8.1f} {n50:8.1f} {n95:8.1f} {n95 / o95:12.2f}")
    print(f"(load {load_average()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
