"""The search API's cost per request against ``/api/v1/ping``'s, in process, on an index
already built; and a check that two versions of the API answer the same bytes.

    MEND_ENV=test DJANGO_SETTINGS_MODULE=mend.settings \\
        DATABASE_URL=sqlite:////tmp/copy.sqlite3 \\
        .venv/bin/python bench/directory_api.py [--requests 2000] [--rounds 3]
        [--profile search|ping] [--save FILE] [--compare FILE]

Reads the database named by DATABASE_URL (a copy of a benchmark database whose index was
rebuilt: ``bench/directory_search.py --data`` keeps them unindexed). Each request goes
through Django's WSGI handler, every middleware included, as gunicorn would call it
(without the HTTP parsing, the same for both). The bench's searches are those of
``bench/directory_search.py`` (a ZIP code, 40 km and a service type, a different query
each request). Rounds alternate ping and search, and the figure is CPU time per request
(``time.process_time``), which other processes on a loaded machine disturb far less than
wall time; the ratio ping / search stands for the throughput ratio. The load average is
printed beside each round.

``--save FILE`` answers a fixed, seeded set of varied requests (every filter, paging,
sorts, refusals, unknown and repeated parameters) and writes each status and body;
``--compare FILE`` answers the same set and exits non-zero unless every response is
byte-identical to the saved one (run ``--save`` with the old code, ``--compare`` with the
new, on the same database and the same day). Writes nothing to the database.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SERVICE_TYPES = ("counseling", "legal", "hotline", "shelter", "medical", "advocacy")


def load_average() -> str:
    return Path("/proc/loadavg").read_text(encoding="ascii").split()[0]


def wsgi_get(handler: Callable[..., Any], path: str) -> tuple[str, bytes]:
    """One GET through the WSGI handler: its status line and body."""
    route, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": route,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    status: list[str] = []

    def start_response(line: str, headers: list[tuple[str, str]], exc: Any = None) -> None:
        status.append(line)

    response = handler(environ, start_response)
    try:
        body = b"".join(response)
    finally:
        response.close()
    return status[0], body


def zip_codes() -> list[str]:
    import zipcodes

    rows = zipcodes.filter_by(zip_code_type="STANDARD")  # type: ignore[no-untyped-call]
    return [z["zip_code"] for z in rows if z["country"] == "US" and z["timezone"]]


def bench_searches(count: int) -> list[str]:
    """The throughput searches of bench/directory_search.py (the same, in the same order)."""
    from directory_search import throughput_searches  # bench/, beside this script

    return throughput_searches(count)


def cpu_per_request(handler: Callable[..., Any], paths: list[str]) -> float:
    started = time.process_time()
    for path in paths:
        status, _ = wsgi_get(handler, path)
        if not status.startswith("200"):
            raise RuntimeError(f"{path}: {status}")
    return (time.process_time() - started) / len(paths) * 1000


def measure(handler: Callable[..., Any], count: int, rounds: int) -> None:
    searches = bench_searches(count)
    pings = ["/api/v1/ping"] * count
    for paths in (searches[:200], pings[:200]):  # warm: the search file, the URL resolver
        cpu_per_request(handler, paths)
    ratios = []
    for number in range(rounds):
        ping = cpu_per_request(handler, pings)
        search = cpu_per_request(handler, searches)
        ratios.append(ping / search)
        print(
            f"round {number + 1}: ping {ping:.3f} ms CPU, search {search:.3f} ms CPU, "
            f"ping/search {ping / search:.2f} (load {load_average()})",
            flush=True,
        )
    print(f"median ping/search {statistics.median(ratios):.2f}", flush=True)


def quick_ab(handler: Callable[..., Any], count: int, rounds: int) -> None:
    """Ping, search with QuickQuery and search through ninja's validation (QuickQuery
    switched off), in alternating blocks of 50 requests in this one process: the three
    see the same load. Prints CPU ms per request and the ping/search ratios."""
    from mend.lib import quickquery

    reads = quickquery.quick_values
    searches = bench_searches(count)
    cpu_per_request(handler, searches[:200])
    spent = {"ping": 0.0, "quick": 0.0, "ninja": 0.0}
    for number in range(rounds):
        for start in range(0, count, 50):
            block = searches[start : start + 50]
            for way in ("ping", "quick", "ninja") if start % 100 else ("ninja", "quick", "ping"):
                quickquery.quick_values = reads if way == "quick" else lambda *a: None
                paths = ["/api/v1/ping"] * len(block) if way == "ping" else block
                spent[way] += cpu_per_request(handler, paths) * len(block)
        quickquery.quick_values = reads
        ping, quick, ninja = (spent[way] / (count * (number + 1)) for way in spent)
        print(
            f"after round {number + 1}: CPU ms per request: ping {ping:.3f}, search {quick:.3f} "
            f"(ninja's validation: {ninja:.3f}); ping/search {ping / quick:.2f} "
            f"(ninja's: {ping / ninja:.2f}) (load {load_average()})",
            flush=True,
        )


def profile(handler: Callable[..., Any], count: int, which: str) -> None:
    paths = bench_searches(count) if which == "search" else ["/api/v1/ping"] * count
    cpu_per_request(handler, paths[:200])
    profiler = cProfile.Profile()
    profiler.enable()
    cpu_per_request(handler, paths)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)


def varied_requests(count: int) -> list[str]:
    """Seeded requests over every parameter of the two search endpoints, valid or not."""
    from mend.directory import taxonomy

    rng = random.Random(23)
    points = zip_codes()
    codes = [t.code for t in taxonomy.SERVICE_TYPES]
    # Within the 30 days open_at allows, the same string whichever run of the day asks.
    soon = (date.today() + timedelta(days=2)).isoformat()
    choices: list[Callable[[], list[tuple[str, str]]]] = [
        lambda: [("postcode", rng.choice(points))],
        lambda: [("proximity", str(rng.choice((1000, 40000, 200000, 0, 600000))))],
        lambda: [("place", rng.choice(("Springfield, IL", "Boston", "10001", "Nowhere, ZZ")))],
        lambda: [("lat", f"{rng.uniform(25, 48):.4f}"), ("lng", f"{rng.uniform(-122, -70):.4f}")],
        lambda: [("radius_km", rng.choice(("5", "40", "150", "0", "501", "x")))],
        lambda: [("type", rng.choice(codes)) for _ in range(rng.randint(1, 2))],
        lambda: [("type", "nonsense")],
        lambda: [("free", rng.choice(("true", "false", "1", "yes", "maybe")))],
        lambda: [("language", rng.choice(("es", "ES", "fr", "e1", "zh")))],
        lambda: [("eligibility", rng.choice(("lgbtq", "youth", "nonsense")))],
        lambda: [("accessibility", rng.choice(("wheelchair", "nonsense")))],
        lambda: [("open_at", f"{soon}T{rng.randint(0, 23):02d}:30:00")],
        lambda: [("open_at", "2001-01-01T10:00:00")],
        lambda: [("include_remote", rng.choice(("true", "false")))],
        lambda: [("sort", rng.choice(("", "distance", "relevance", "name", "size")))],
        lambda: [("search", rng.choice(("counseling", "legal advice", "abogado", "x\x01")))],
        lambda: [("page", rng.choice(("1", "2", "7", "0", "100001", "a")))],
        lambda: [("per_page", rng.choice(("1", "5", "20", "100", "101", "0")))],
        lambda: [("format", rng.choice(("json", "ndjson")))],
        lambda: [("full", rng.choice(("false", "true")))],
        lambda: [("minimal", "false")],
        lambda: [("modified_after", rng.choice(("2020-01-01T00:00:00", "yesterday")))],
        lambda: [
            ("organization_id", rng.choice(("not-a-uuid", "0" * 8 + "-0000-0000-0000-" + "0" * 12)))
        ],
        lambda: [("taxonomy_term_id", "0" * 8 + "-0000-0000-0000-" + "0" * 12)],
        lambda: [("taxonomy_id", "nope")],
        lambda: [("postcode", "10001"), ("postcode", "10002")],
        lambda: [("colour", "red")],
        lambda: [("postcode", "99999")],
        lambda: [("place", "x" * 101)],
    ]
    paths = []
    for _ in range(count):
        endpoint = rng.choice(("service_at_locations", "service_at_locations", "services"))
        params = [("postcode", rng.choice(points))] if rng.random() < 0.6 else []
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            params += rng.choice(choices)()
        paths.append(f"/api/v1/hsds/{endpoint}?{urlencode(params)}")
    return paths


def answers(handler: Callable[..., Any], count: int) -> dict[str, list[str]]:
    return {
        path: [status, body.decode()]
        for path in varied_requests(count)
        for status, body in [wsgi_get(handler, path)]
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", choices=("search", "ping"))
    parser.add_argument("--quick-ab", action="store_true", help="QuickQuery on and off")
    parser.add_argument(
        "--only",
        choices=("search", "ping"),
        help="answer 50 then --requests of these, nothing else (for valgrind: run twice "
        "with two counts, the difference of the instruction counts is per request)",
    )
    parser.add_argument("--save", type=Path)
    parser.add_argument("--compare", type=Path)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mend.settings")
    from django.core.wsgi import get_wsgi_application

    handler = get_wsgi_application()
    if args.save or args.compare:
        got = answers(handler, args.requests)
        if args.save:
            args.save.write_text(json.dumps(got), encoding="utf-8")
            print(f"saved {len(got)} answers", flush=True)
            return 0
        assert args.compare is not None
        saved = json.loads(args.compare.read_text(encoding="utf-8"))
        differ = [path for path in got if got[path] != saved.get(path)]
        statuses = statistics.multimode(status for status, _ in got.values())
        print(f"{len(got)} answers, {len(differ)} differ (most common status {statuses})")
        for path in differ[:10]:
            print(f"  {path}\n    old {saved.get(path)}\n    new {got[path]}")
        return 1 if differ else 0
    if args.quick_ab:
        quick_ab(handler, args.requests, args.rounds)
    elif args.only:
        paths = bench_searches(50 + args.requests)
        if args.only == "ping":
            paths = ["/api/v1/ping"] * len(paths)
        cpu_per_request(handler, paths)
    elif args.profile:
        profile(handler, args.requests, args.profile)
    else:
        measure(handler, args.requests, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
