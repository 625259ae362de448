"""What the read replica costs a public read: latency with and without DATABASE_REPLICA_URL.

    MEND_ENV=test .venv/bin/python bench/replica.py [--requests 400]

Starts a throwaway primary and streaming replica (``mend.lib.pgtemp``), loads the demo
directory into the primary, waits until the replica holds it, then times, in one process
each (Django's test client, no network server), the HSDS API near a place and the "Find
help" results page: once reading the replica (the lag rule checks it before each read)
and once with the primary only. Also prints the queries one request sends to each
database, and the cost of the lag rule's decision alone (``choose_alias``).

Prints figures only; no target (issue 15 sets none for the replica's overhead).
Only loopback traffic; every loop is bounded in count.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROUTES = {
    "API near a place": "/api/v1/hsds/service_at_locations?place=Chicago,%20IL&radius_km=40",
    "results page": "/help/?place=Chicago,%20IL&radius_km=40",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--child", choices=("setup", "replica", "primary"))
    args = parser.parse_args()
    if args.child:
        return child(args)
    from mend.lib.pgtemp import temporary_postgres_with_replica

    env = {**os.environ, "MEND_ENV": "test", "DJANGO_SETTINGS_MODULE": "mend.settings"}
    with temporary_postgres_with_replica() as (primary, replica):
        env["DATABASE_URL"] = primary
        for name in ("setup", "replica", "primary"):
            extra = {"DATABASE_REPLICA_URL": replica} if name != "primary" else {}
            command = [sys.executable, __file__, "--child", name, "--requests", str(args.requests)]
            subprocess.run(command, env={**env, **extra}, check=True, cwd=ROOT)
    return 0


def child(args: argparse.Namespace) -> int:
    import django

    django.setup()
    if args.child == "setup":
        setup()
        return 0
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mend.lib.replica import configured

    client = Client()
    print(f"\n== reading {'the replica' if configured() else 'the primary only'} ==")
    for name, url in ROUTES.items():
        for _ in range(20):  # warm: the in-memory copy, templates, catalogues
            assert client.get(url).status_code == 200
        timings = []
        for _ in range(args.requests):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[round(0.95 * (len(timings) - 1))]
        counts = []
        for alias in connections:
            with CaptureQueriesContext(connections[alias]) as queries:
                client.get(url)
            counts.append(f"{alias} {len(queries)}")
        print(
            f"{name:<18} p50 {statistics.median(timings):6.2f} ms  p95 {p95:6.2f} ms"
            f"  queries: {', '.join(counts)}"
        )
    if configured():
        report_decision()
    return 0


def report_decision() -> None:
    from mend.search import replica

    timings = []
    for _ in range(2000):
        started = time.perf_counter()
        assert replica.choose_alias() == "replica"
        timings.append((time.perf_counter() - started) * 1e6)
    print(f"choose_alias alone: median {statistics.median(timings):.0f} µs (one replica query)")


def setup() -> None:
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from mend.directory.actions import do_load_demo
    from mend.search.version import read_version

    call_command("migrate", verbosity=0)
    do_load_demo(now=timezone.now())
    deadline = time.monotonic() + 60
    while read_version("replica") != read_version("default"):
        if time.monotonic() > deadline:
            raise RuntimeError("the replica did not catch up within a minute")
        time.sleep(0.05)
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_searchentry")
        print(f"demo directory loaded: {cursor.fetchone()[0]} search entries")


if __name__ == "__main__":
    sys.exit(main())
