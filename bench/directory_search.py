"""Directory search at scale: index N services-at-locations, time the rebuild and queries.

    MEND_ENV=test .venv/bin/python bench/directory_search.py [--rows 100000] [--db both]
        [--data DIR] [--rebuild-only]

For each database (SQLite in a temporary file, and a throwaway PostgreSQL from
mend.lib.pgtemp) a child process creates the tables from the models (as the test runner
does), generates the rows in bulk (deterministic: seeded, spread across US ZIP codes),
settles the database, and prints, each beside its target:

- the full index rebuild's rate, timed on its own (target 2,000 entries a second);
- p50/p95 in-process latency of ``search_services`` for five query shapes, each timed
  over ``--queries`` different queries, first page of 20 results included: place +
  radius + type; + free + Spanish; + open now (p95 under 30 ms); free text near a place
  (p95 under 50 ms); free text across the whole country, a broad query that matches
  thousands (p95 under 100 ms);
- the search API's throughput as a ratio of ``/api/v1/ping``'s, both served by the same
  gunicorn (2 workers on 127.0.0.1) to a bounded load loop of 4 client threads,
  ``--requests`` each, in three alternating rounds (the median ratio counts; target 0.7).

``--data DIR`` keeps each database as generated (before indexing) in DIR, named by the
row count and the models it was made with, and reuses it on the next run: SQLite as a
copy of the file, PostgreSQL as a ``pg_dump`` archive restored into the new cluster;
``--generate-only`` stops there (generate and keep, measure nothing). ``--rebuild-only``
times the rebuild and stops (to compare two versions of the indexer on a kept database);
``--digest`` with it rebuilds at a fixed clock and prints a digest of each index table,
row by row, so that two versions' runs can be compared (they must print the same).
Exits non-zero if a target is missed. Only loopback traffic; every loop is bounded in
count and time.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from datetime import time as clock
from decimal import Decimal
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from settle import settle_after_bulk_load  # noqa: E402  (bench/, beside this script)

SHAPES = ("place+radius+type", "+free+language", "+open now", "text+place", "text, nationwide")
TEXTS = ("counseling", "legal advice", "crisis line", "support group", "abogado", "housing safe")
LOAD_THREADS = 4
LOAD_SECONDS_MAX = 60.0
ROUNDS = 3
WARM_UP = 200  # requests before the rounds, of searches no round sends
# p95 targets in milliseconds, per query shape (issue 15).
TARGET_P95_MS = dict(zip(SHAPES, (30.0, 30.0, 30.0, 50.0, 100.0), strict=True))
TARGET_RATIO = 0.7
TARGET_REBUILD = 2000  # entries a second
# A kept database is reused only with the models it was generated with.
MODELS = ("mend/directory/models.py", "mend/search/models.py")


def load_average() -> str:
    """The 1-minute load average (Linux): figures on a shared machine need it beside them."""
    try:
        return Path("/proc/loadavg").read_text(encoding="ascii").split()[0]
    except OSError:
        return "unknown"


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


# --- the parent: one child per database ---------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--data", type=Path, help="keep and reuse generated databases here")
    parser.add_argument(
        "--generate-only",
        action="store_true",
        help="generate the databases, keep them in --data and exit (nothing measured)",
    )
    parser.add_argument(
        "--rebuild-only", action="store_true", help="time the full index rebuild, nothing else"
    )
    parser.add_argument(
        "--digest", action="store_true", help="with --rebuild-only: print the tables' digests"
    )
    parser.add_argument("--child", choices=("sqlite", "postgres"))
    parser.add_argument("--keep", type=Path, help=argparse.SUPPRESS)  # the child's snapshot
    parser.add_argument("--reused", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    env = {**os.environ, "MEND_ENV": "test", "DJANGO_SETTINGS_MODULE": "mend.settings"}
    options = ["--rows", str(args.rows), "--queries", str(args.queries)]
    options += ["--requests", str(args.requests)]
    if args.generate_only:
        if not args.data:
            parser.error("--generate-only keeps what it generates: give --data DIR")
        options.append("--generate-only")
    options += ["--rebuild-only"] if args.rebuild_only else []
    options += ["--digest"] if args.digest else []
    failed = 0
    if args.data:
        args.data.mkdir(parents=True, exist_ok=True)
    if args.db in ("sqlite", "both"):
        with tempfile.TemporaryDirectory(prefix="mend-bench-") as folder:
            database = Path(folder) / "bench.sqlite3"
            extra = kept_sqlite(args, database)
            url = f"sqlite:///{database}"
            failed |= run_child("sqlite", options + extra, {**env, "DATABASE_URL": url})
    if args.db in ("postgres", "both"):
        from mend.lib.pgtemp import temporary_postgres

        with temporary_postgres() as url:
            extra = kept_postgres(args, url)
            failed |= run_child("postgres", options + extra, {**env, "DATABASE_URL": url})
    return 1 if failed else 0


def snapshot(args: argparse.Namespace, suffix: str) -> Path:
    digest = hashlib.sha256(b"".join((ROOT / name).read_bytes() for name in MODELS))
    return Path(args.data) / f"directory-{args.rows}-{digest.hexdigest()[:12]}.{suffix}"


def kept_sqlite(args: argparse.Namespace, database: Path) -> list[str]:
    """Options for the child: reuse a kept file (copied, so the kept one stays as
    generated), or keep the one it generates."""
    if not args.data:
        return []
    kept = snapshot(args, "sqlite3")
    if kept.exists():
        shutil.copyfile(kept, database)
        print(f"reusing {kept}", flush=True)
        return ["--reused"]
    return ["--keep", str(kept)]


def kept_postgres(args: argparse.Namespace, url: str) -> list[str]:
    if not args.data:
        return []
    from mend.lib.pgtemp import find_binary

    kept = snapshot(args, "pgdump")
    if kept.exists():
        restore = [find_binary("pg_restore"), "--no-owner", "-d", url, str(kept)]
        subprocess.run(restore, check=True)
        print(f"reusing {kept}", flush=True)
        return ["--reused"]
    return ["--keep", str(kept)]


def keep_database(path: Path) -> None:
    """Save the database as generated (the child calls this before indexing)."""
    from django.db import connection

    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(partial)])
    else:
        from mend.lib.pgtemp import find_binary

        dump = [find_binary("pg_dump"), "-Fc", "-Z", "1", "-f", str(partial)]
        subprocess.run([*dump, os.environ["DATABASE_URL"]], check=True)
    partial.rename(path)  # complete or absent: an interrupted run leaves no half file
    print(f"kept the generated database in {path}", flush=True)


def run_child(db: str, options: list[str], env: dict[str, str]) -> int:
    command = [sys.executable, __file__, "--child", db, *options]
    return subprocess.run(command, env=env, check=False, cwd=ROOT).returncode


# --- the child: set up, generate, index, measure --------------------------------------------


def child(args: argparse.Namespace) -> int:
    import django
    from django.conf import settings

    django.setup()
    # Tables straight from the models, as pytest --nomigrations does: the benchmark
    # measures the index, not the migration history.
    settings.MIGRATION_MODULES = {app.label: None for app in django.apps.apps.get_app_configs()}
    from django.core.management import call_command

    call_command("migrate", run_syncdb=True, verbosity=0)
    print(f"\n== {args.child}: {args.rows:,} services at locations ==", flush=True)
    if args.reused:
        places = zip_points()
    else:
        started = time.monotonic()
        places = generate(args.rows)
        print(f"generated the HSDS rows in {time.monotonic() - started:.0f} s", flush=True)
        if args.keep:
            keep_database(args.keep)
    if args.generate_only:
        return 0
    # Settled first, so that the rebuild is timed on its own, not beside autovacuum.
    settle_after_bulk_load(analyze_sqlite=False)
    results = [report_rebuild(fixed_clock=args.digest)]
    if args.digest:
        print_digests()
    if not args.rebuild_only:
        settle_after_bulk_load(analyze_sqlite=False)
        results += report_latency(places, args.queries)
        results.append(report_throughput(args.requests))
    print(f"\n{args.child}: figure, value, target", flush=True)
    for line, met in results:
        print(f"  {line:<58} {verdict(met)}", flush=True)
    missed = [line for line, met in results if not met]
    for miss in missed:
        print(f"TARGET MISSED ({args.child}): {miss}", flush=True)
    return 1 if missed else 0


def report_rebuild(*, fixed_clock: bool = False) -> tuple[str, bool]:
    from django.utils import timezone

    from mend.search.index import rebuild_search_index

    now = FIXED_CLOCK if fixed_clock else timezone.now()
    started, cpu = time.monotonic(), time.process_time()
    entries = rebuild_search_index(now=now)
    seconds, cpu = time.monotonic() - started, time.process_time() - cpu
    rate = entries / seconds
    # The process's CPU time beside the wall time: on a loaded machine only the CPU
    # time compares two runs (on PostgreSQL it leaves out the server's share).
    print(
        f"indexed {entries:,} entries in {seconds:.1f} s: {rate:,.0f} entries/s "
        f"({cpu:.1f} s of this process's CPU; load {load_average()})",
        flush=True,
    )
    return f"full rebuild {rate:,.0f} entries/s (>= {TARGET_REBUILD:,})", rate >= TARGET_REBUILD


FIXED_CLOCK = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # --digest: the same hours every run
# Every table the rebuild writes, in a total order (the version row is random: left out).
DIGESTED = {
    "search_searchentry": "id",
    "search_searchtext": "rowid",
    "search_entryterm": "id",
    "search_searchdocument": "entry_id",
    "search_hoursprofile": "id",
    "search_openinterval": "id",
    "search_indexchange": "id",
}


def print_digests() -> None:
    """A SHA-256 of each index table's rows, in primary-key order (the words of a
    PostgreSQL ``tsvector`` as text), and the row count."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table, order in DIGESTED.items():
            columns = "*"
            if table == "search_searchtext":
                pg = connection.vendor == "postgresql"
                columns = "rowid, words::text" if pg else "rowid, words"
            cursor.execute(f"SELECT {columns} FROM {table} ORDER BY {order}")  # noqa: S608
            digest, count = hashlib.sha256(), 0
            for row in cursor.fetchall():
                digest.update(repr(tuple(row)).encode())
                count += 1
            print(f"digest {table}: {count} rows {digest.hexdigest()[:16]}", flush=True)


# --- data -----------------------------------------------------------------------------------

WORDS = [
    "confidential",
    "support",
    "trained",
    "staff",
    "listen",
    "believe",
    "you",
    "safe",
    "space",
    "free",
    "advice",
    "rights",
    "options",
    "appointment",
    "walk",
    "in",
    "evening",
    "weekend",
    "family",
    "friends",
    "partner",
    "work",
    "school",
    "court",
    "protection",
    "order",
    "report",
    "police",
    "hospital",
    "nurse",
    "exam",
    "evidence",
    "therapy",
    "group",
    "peer",
    "healing",
    "trauma",
    "informed",
    "bilingual",
    "interpreter",
    "accessible",
    "transport",
    "childcare",
]
SCHEDULES: list[list[tuple[clock, clock, str, str]]] = [
    [(clock(9), clock(17), "WEEKLY", "MO,TU,WE,TH,FR")],
    [
        (clock(9), clock(12), "WEEKLY", "MO,TU,WE,TH,FR"),
        (clock(13), clock(17), "WEEKLY", "MO,TU,WE,TH,FR"),
    ],
    [(clock(0), clock(0), "WEEKLY", "MO,TU,WE,TH,FR,SA,SU")],
    [(clock(10), clock(20), "WEEKLY", "MO,WE,FR"), (clock(10), clock(14), "WEEKLY", "SA")],
    [(clock(18), clock(20), "MONTHLY", "1TU"), (clock(18), clock(20), "MONTHLY", "3TU")],
    [(clock(22), clock(6), "WEEKLY", "FR,SA")],
    [(clock(8), clock(18), "WEEKLY", "MO,TU,WE,TH")],
]


def zip_points() -> list[tuple[str, float, float, str, str, str]]:
    import zipcodes

    rows = zipcodes.filter_by(zip_code_type="STANDARD")  # type: ignore[no-untyped-call]
    return [
        (z["zip_code"], float(z["lat"]), float(z["long"]), z["city"], z["state"], z["timezone"])
        for z in rows
        if z["country"] == "US" and z["timezone"] and float(z["lat"]) != 0
    ]


def bulk(model: Any, rows: list[Any]) -> None:
    model.objects.bulk_create(rows, batch_size=5000)


class Rows:
    """Rows of one model written without model instances: one prepared statement for
    every row on SQLite, COPY on PostgreSQL.

    ``bulk_create`` built a model instance per row and compiled every value through its
    field (203 s for 100,000 rows). Here a row is the given values in ``names`` order;
    the other columns get the model's default, prepared once. Values go through the same
    preparation as the ORM's (``get_db_prep_save``), except the plain kinds stored as
    they are and UUIDs, stored as the field would (hex text on SQLite).
    """

    def __init__(self, model: Any, names: tuple[str, ...]) -> None:
        from django.db import connection, models

        self.connection = connection
        fields = model._meta.concrete_fields
        attnames = [field.attname for field in fields]
        self.template = [
            None
            if field.attname in names
            else field.get_db_prep_save(field.get_default(), connection)
            for field in fields
        ]
        plain = (models.CharField, models.TextField, models.FloatField, models.IntegerField,
                 models.BooleanField)  # fmt: skip
        self.slots: list[tuple[int, Callable[[Any], Any] | None]] = []
        for name in names:
            field = fields[attnames.index(name)]
            target = field.target_field if field.is_relation else field
            convert: Callable[[Any], Any] | None = None
            if isinstance(target, models.UUIDField):
                convert = None if connection.features.has_native_uuid_field else uuid_hex
            elif not isinstance(field, plain):
                convert = lambda value, field=field: field.get_db_prep_save(value, connection)  # noqa: E731
            self.slots.append((attnames.index(name), convert))
        quote = connection.ops.quote_name
        self.table = quote(model._meta.db_table)
        self.columns = ", ".join(quote(field.column) for field in fields)
        self.marks = ", ".join(["%s"] * len(fields))
        self.rows: list[list[Any]] = []

    def add(self, *values: Any) -> None:
        row = self.template.copy()
        for (position, convert), value in zip(self.slots, values, strict=True):
            row[position] = value if convert is None else convert(value)
        self.rows.append(row)

    def write(self) -> None:
        from django.db import transaction

        # One transaction: in autocommit each row of executemany would be its own.
        with transaction.atomic(), self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {self.table} ({self.columns}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                sql = f"INSERT INTO {self.table} ({self.columns}) VALUES ({self.marks})"  # noqa: S608
                cursor.executemany(sql, self.rows)
        self.rows = []


def uuid_hex(value: uuid.UUID) -> str:
    return value.hex


def generate(rows: int) -> list[tuple[str, float, float, str, str, str]]:
    """``rows`` services at locations (two per service) and 2 % as many remote services.

    The random numbers are drawn in the same order as when the rows were model instances
    (bench/directory_search_same.py compares what two versions generate)."""
    from mend.directory import models as m
    from mend.directory import taxonomy

    rng = random.Random(20261123)
    points = zip_points()
    terms = {
        t.id: m.TaxonomyTerm(id=t.id, code=t.code, name=str(t.name), taxonomy=t.taxonomy)
        for t in taxonomy.ALL_TERMS
    }
    bulk(m.TaxonomyTerm, list(terms.values()))
    organizations = Rows(m.Organization, ("id", "name", "description"))
    org_ids = []
    for n in range(max(1, rows // 10)):
        org_ids.append(uuid.UUID(int=rng.getrandbits(128)))
        organizations.add(org_ids[-1], f"Org {n}", "Fictional.")
    organizations.write()
    services = make_services(m, rng, org_ids, rows // 2 + rows // 50)
    for start in range(0, len(services), 10_000):
        chunk = services[start : start + 10_000]
        remote = [s for i, s in enumerate(chunk, start) if i >= rows // 2]
        located = [s for i, s in enumerate(chunk, start) if i < rows // 2]
        add_service_rows(m, rng, chunk)
        add_locations(m, rng, located, points)
        add_remote_areas(m, rng, remote)
    return points


def make_services(
    m: Any, rng: random.Random, organizations: list[uuid.UUID], count: int
) -> list[uuid.UUID]:
    """The services' ids, their rows written."""
    table = Rows(m.Service, ("id", "organization_id", "name", "description"))
    services = []
    for n in range(count):
        words = " ".join(rng.choice(WORDS) for _ in range(12))
        service = uuid.UUID(int=rng.getrandbits(128))
        organization = rng.choice(organizations)
        name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} Service {n}"
        table.add(service, organization, name, words)
        services.append(service)
        if len(table.rows) == 10_000:
            table.write()
    table.write()
    return services


def add_service_rows(m: Any, rng: random.Random, services: list[uuid.UUID]) -> None:
    from mend.directory import taxonomy

    attributes = Rows(m.Attribute, ("id", "link_id", "link_entity", "taxonomy_term_id"))
    languages = Rows(m.Language, ("id", "service_id", "code", "name"))
    costs = Rows(m.CostOption, ("id", "service_id", "amount", "currency"))
    schedules = Rows(m.Schedule, ("id", "service_id", "opens_at", "closes_at", "freq", "byday"))
    for service in services:
        for term in rng.sample(taxonomy.SERVICE_TYPES, rng.choice((1, 1, 2))) + rng.sample(
            taxonomy.ELIGIBILITIES, rng.choice((0, 1, 2))
        ):
            attributes.add(uuid.uuid4(), service, "service", term.id)
        languages.add(uuid.uuid4(), service, "en", "English")
        if rng.random() < 0.4:
            languages.add(uuid.uuid4(), service, "es", "Spanish")
        amount = Decimal(0) if rng.random() < 0.7 else Decimal(rng.choice((20, 40, 60)))
        costs.add(uuid.uuid4(), service, amount, "USD")
        for opens, closes, freq, byday in rng.choice(SCHEDULES):
            schedules.add(uuid.uuid4(), service, opens, closes, freq, byday)
    for table in (attributes, languages, costs, schedules):
        table.write()


def add_locations(
    m: Any,
    rng: random.Random,
    services: list[uuid.UUID],
    points: list[tuple[str, float, float, str, str, str]],
) -> None:
    locations = Rows(m.Location, ("id", "latitude", "longitude", "address_visibility", "time_zone"))
    addresses = Rows(
        m.Address,
        ("id", "location_id", "address_1", "city", "state_province", "postal_code", "country",
         "address_type"),
    )  # fmt: skip
    sals = Rows(m.ServiceAtLocation, ("id", "service_id", "location_id"))
    for service in services:
        for _ in range(2):
            postcode, lat, lng, city, state, zone = rng.choice(points)
            roll = rng.random()
            visibility = "hidden" if roll < 0.08 else "on_request" if roll < 0.12 else "public"
            location = uuid.uuid4()
            latitude = lat + rng.uniform(-0.05, 0.05)
            longitude = lng + rng.uniform(-0.05, 0.05)
            locations.add(location, latitude, longitude, visibility, zone)
            street = f"{rng.randint(1, 999)} Main St"
            addresses.add(uuid.uuid4(), location, street, city, state, postcode, "US", "physical")
            sals.add(uuid.uuid4(), service, location)
    for table in (locations, addresses, sals):
        table.write()


def add_remote_areas(m: Any, rng: random.Random, services: list[uuid.UUID]) -> None:
    from mend.search.gazetteer import STATE_NAMES

    areas = Rows(m.ServiceArea, ("id", "service_id", "name"))
    for s in services:
        areas.add(uuid.uuid4(), s, rng.choice([*STATE_NAMES.values(), "Nationwide"]))
    areas.write()


# --- latency --------------------------------------------------------------------------------


def shape_params(shape: str, rng: random.Random, points: list[Any]) -> Any:
    from mend.directory import taxonomy
    from mend.search.params import SearchParams

    postcode = rng.choice(points)[0]
    kind = rng.choice(taxonomy.SERVICE_TYPES).code
    base = SearchParams(postcode=postcode, radius_km=40, types=(kind,))
    if shape == "place+radius+type":
        return base
    if shape == "+free+language":
        return SearchParams(
            postcode=postcode, radius_km=40, types=(kind,), free=True, languages=("es",)
        )
    if shape == "+open now":
        return SearchParams(
            postcode=postcode,
            radius_km=40,
            types=(kind,),
            free=True,
            languages=("es",),
            open_now=True,
        )
    if shape == "text+place":
        return SearchParams(text=rng.choice(TEXTS), postcode=postcode, radius_km=40)
    return SearchParams(text=rng.choice(TEXTS))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report_latency(points: list[Any], queries: int) -> list[tuple[str, bool]]:
    """Print p50/p95 per shape; return each shape's figure and whether it met its target."""
    from mend.search.query import search_services

    results = []
    rng = random.Random(7)
    print(f"{'query shape':<20} {'p50 ms':>8} {'p95 ms':>8} {'mean hits':>10}  target", flush=True)
    for shape in SHAPES:
        params = [shape_params(shape, rng, points) for _ in range(queries)]
        for warm in params[:10]:
            search_services(warm)
        timings, totals = [], []
        for p in params:
            started = time.perf_counter()
            result = search_services(p)
            timings.append((time.perf_counter() - started) * 1000)
            totals.append(result.total_items)
        p50, p95 = statistics.median(timings), percentile(timings, 0.95)
        target = TARGET_P95_MS[shape]
        print(
            f"{shape:<20} {p50:8.1f} {p95:8.1f} {statistics.mean(totals):10.0f}  p95 < {target:.0f}"
            f"  {verdict(p95 < target)}  (load {load_average()})",
            flush=True,
        )
        results.append((f"{shape} p95 {p95:.1f} ms (< {target:.0f} ms)", p95 < target))
    return results


# --- throughput -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def gunicorn(port: int) -> Iterator[int]:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "mend.wsgi:application",
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        "2",
        "--log-level",
        "warning",
    ]
    # A session of its own, so that the master and its workers can be stopped together.
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                get(port, "/api/v1/ping")
                break
            except OSError:
                time.sleep(0.2)
        yield server.pid
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # workers still busy on a loaded machine
            os.killpg(server.pid, signal.SIGKILL)  # this server's own group: master, workers
            server.wait(timeout=30)


def get(port: int, path: str) -> int:
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def requests_per_second(port: int, paths: Callable[[int], str], count: int) -> float:
    """``count`` requests from LOAD_THREADS threads (bounded by LOAD_SECONDS_MAX too)."""
    per_thread = count // LOAD_THREADS
    errors: list[int] = []
    started = time.monotonic()

    def work(offset: int) -> None:
        for n in range(per_thread):
            if time.monotonic() - started > LOAD_SECONDS_MAX:
                return
            status = get(port, paths(offset * per_thread + n))
            if status != 200:
                errors.append(status)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(LOAD_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{len(errors)} requests failed, e.g. status {errors[0]}")
    return per_thread * LOAD_THREADS / (time.monotonic() - started)


def throughput_searches(count: int) -> list[str]:
    """``count`` distinct searches of the API (a ZIP code, 40 km and a service type),
    seeded: no request of the throughput rounds repeats another, so no cache could answer
    one from an earlier one. ``bench/directory_api.py`` times the same searches."""
    from mend.directory import taxonomy

    points = [point[0] for point in zip_points()]
    types = [kind.code for kind in taxonomy.SERVICE_TYPES]
    rng = random.Random(11)
    searches: dict[str, None] = {}  # in the order drawn
    while len(searches) < count:
        code, kind = rng.choice(points), rng.choice(types)
        searches[
            f"/api/v1/hsds/service_at_locations?postcode={code}&proximity=40000&type={kind}"
        ] = None
    return list(searches)


def round_of(searches: list[str]) -> Callable[[int], str]:
    return lambda n: searches[n]


def workers_cpu(master: int) -> float:
    """The CPU seconds (user and system) the gunicorn workers of ``master`` have used: each
    round's share of it, per request, is what a request costs the server, which the other
    work of a shared machine disturbs far less than the requests a second."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text(encoding="ascii").rsplit(")", 1)[1].split()
        except OSError:  # a process that ended meanwhile
            continue
        if int(fields[1]) == master:  # its parent
            total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def measured_round(
    port: int, master: int, path_of: Callable[[int], str], count: int
) -> tuple[float, float]:
    """Requests a second, and the workers' CPU milliseconds a request, of one round."""
    before = workers_cpu(master)
    rate = requests_per_second(port, path_of, count)
    return rate, (workers_cpu(master) - before) / count * 1000


def report_throughput(count: int) -> tuple[str, bool]:
    searches = throughput_searches(WARM_UP + count * ROUNDS)
    port = free_port()
    ratios = []
    with gunicorn(port) as master:
        requests_per_second(port, round_of(searches[:WARM_UP]), WARM_UP)  # both workers
        # Alternating rounds, the median ratio: a round lasts seconds, and on a shared
        # machine any one round can meet a busy moment. Each round its own searches.
        for number in range(ROUNDS):
            start = WARM_UP + number * count
            ping, ping_cpu = measured_round(port, master, lambda n: "/api/v1/ping", count)
            search_paths = round_of(searches[start : start + count])
            search, search_cpu = measured_round(port, master, search_paths, count)
            ratios.append(search / ping)
            print(
                f"throughput: ping {ping:.0f} req/s ({ping_cpu:.2f} ms of worker CPU a "
                f"request), search API {search:.0f} req/s ({search_cpu:.2f} ms), "
                f"ratio {search / ping:.2f} (load {load_average()})",
                flush=True,
            )
    ratio = statistics.median(ratios)
    print(f"throughput ratio, median of {ROUNDS} rounds: {ratio:.2f}", flush=True)
    rounds = ", ".join(f"{r:.2f}" for r in ratios)
    line = f"search API / ping {ratio:.2f} ({rounds}) (>= {TARGET_RATIO})"
    return line, ratio >= TARGET_RATIO


if __name__ == "__main__":
    sys.exit(main())
