"""Text searches with FTS5 prefixes asked as prefixes (old) or as the stored words they
stand for (new, ``fulltext.fts5_prefix``), on an index already built (session 7).

    MEND_ENV=test DATABASE_URL=sqlite:////tmp/copy.sqlite3 \\
        .venv/bin/python bench/directory_text_prefix.py [--queries 100] [--rounds 4]

Times ``search_services`` for ``bench/directory_search.py``'s two text shapes (its texts
nationwide, and near a bench ZIP code within 40 km; first page) in rounds that alternate
old-new and new-old, in wall and process CPU time (SQLite runs in this process), p50 and
p95, with the load average. Writes nothing to the database.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from directory_search import TEXTS, zip_points  # noqa: E402  (bench/, beside this script)
from directory_text import arguments_then_django, load_average, percentile  # noqa: E402


def main() -> int:
    args = arguments_then_django(__doc__ or "", 100, 4)
    from mend.search import fulltext, nearby, version
    from mend.search.params import SearchParams
    from mend.search.query import search_services

    nearby.load(version.read_version())
    rng = random.Random(7)
    points = zip_points()
    shapes: dict[str, list[Any]] = {
        "nationwide": [SearchParams(text=rng.choice(TEXTS)) for _ in range(args.queries)],
        "near": [
            SearchParams(text=rng.choice(TEXTS), postcode=rng.choice(points)[0], radius_km=40)
            for _ in range(args.queries)
        ],
    }
    new = fulltext.fts5_prefix

    def old(prefix: str, most: int | None = None) -> str:
        return f'"{prefix}"*'

    times: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for round_number in range(args.rounds):
        ways = ("old", "new") if round_number % 2 == 0 else ("new", "old")
        for way in ways:
            fulltext.fts5_prefix = old if way == "old" else new
            for shape, params in shapes.items():
                for p in params:
                    wall, cpu = time.perf_counter(), time.process_time()
                    search_services(p)
                    times.setdefault((shape, way), []).append(
                        ((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)
                    )
        fulltext.fts5_prefix = new
        print(f"round {round_number + 1} done (load {load_average()})", flush=True)
    print(f"{'shape, way':<16} {'wall p50':>9} {'wall p95':>9} {'cpu p50':>8} {'cpu p95':>8}")
    for (shape, way), pairs in sorted(times.items()):
        walls, cpus = [w for w, _ in pairs], [c for _, c in pairs]
        print(
            f"{shape + ', ' + way:<16} {statistics.median(walls):9.1f}"
            f" {percentile(walls, 0.95):9.1f} {statistics.median(cpus):8.1f}"
            f" {percentile(cpus, 0.95):8.1f}"
        )
    print(f"(load {load_average()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
