"""Directory import benchmark: N service-at-location rows of HSDS, on SQLite and PostgreSQL.

    MEND_ENV=test .venv/bin/python bench/directory_import.py --rows 100000

Generates a deterministic HSDS CSV data package (or tabular JSON with --format json): N
services, each at its own location with an address, a phone, a schedule and a service
type attribute, from N/10 organizations. Then, for each database, a child process
migrates a fresh database, runs the importer (``do_import_hsds``, checks included, search
index rebuild excluded) and reports the time, beside the target. Exits non-zero below
the target of 5,000 services a second on either database. Beside each time: the Python
process's CPU time per 1,000 records (on a loaded machine the wall-clock time mostly
measures the other work; the CPU time much less).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
NAMESPACE = uuid.UUID("9b1f0d7e-3c2a-4f5b-8e6d-1a2b3c4d5e6f")
# The Mend taxonomy's "counselling" term (mend/directory/taxonomy.py), created by the child.
TAXONOMY = uuid.UUID("6f1c3e5a-9d1b-4c0e-8f7a-2b5d4e6c8a10")
COUNSELLING = str(uuid.uuid5(TAXONOMY, "mend-service-type:counselling"))
TARGET = 5000  # services a second, on each database
RESOURCES = {
    "organizations.csv": "organization",
    "services.csv": "service",
    "locations.csv": "location",
    "service_at_location.csv": "service_at_location",
    "addresses.csv": "address",
    "phones.csv": "phone",
    "schedules.csv": "schedule",
    "attributes.csv": "attribute",
}
TZ = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")


def make_id(table: str, number: int) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{table}:{number}"))


def rows_for(n: int) -> dict[str, list[dict[str, Any]]]:
    """Deterministic HSDS rows: the same ``n`` always gives the same data."""
    tables: dict[str, list[dict[str, Any]]] = {}

    def add(table: str, **row: Any) -> None:
        tables.setdefault(table, []).append(row)

    for o in range(max(1, n // 10)):
        add("organizations.csv", id=make_id("org", o), name=f"Organization {o}",
            description="A benchmark organization.", email=f"org{o}@example.org")  # fmt: skip
    for i in range(n):
        service, location = make_id("service", i), make_id("location", i)
        add("services.csv", id=service, organization_id=make_id("org", i % max(1, n // 10)),
            name=f"Service {i}", description="Counselling for survivors.", status="active",
            assured_date="2026-10-01", fees_description="Free.")  # fmt: skip
        add("locations.csv", id=location, location_type="physical", name=f"Office {i}",
            latitude=30 + (i % 1000) / 100, longitude=-90 - (i % 700) / 100,
            address_visibility="hidden" if i % 20 == 0 else "public", time_zone=TZ[i % 4],
            translations={"es": {"name": f"Oficina {i}"}})  # fmt: skip
        add(
            "service_at_location.csv",
            id=make_id("sal", i),
            service_id=service,
            location_id=location,
        )
        add("addresses.csv", id=make_id("address", i), location_id=location,
            address_1=f"{i} Example Street", city="Chicago", state_province="IL",
            postal_code=f"{60601 + i % 50}", country="US", address_type="physical")  # fmt: skip
        add("phones.csv", id=make_id("phone", i), service_id=service,
            number=f"+1-312-555-01{i % 100:02d}", type="voice")  # fmt: skip
        add("schedules.csv", id=make_id("schedule", i), service_at_location_id=make_id("sal", i),
            freq="WEEKLY", byday="MO,TU,WE,TH,FR", opens_at="09:00", closes_at="17:00")  # fmt: skip
        add("attributes.csv", id=make_id("attribute", i), link_id=service, link_entity="service",
            link_type="service_type", taxonomy_term_id=COUNSELLING)  # fmt: skip
    return tables


def write_package(folder: Path, tables: dict[str, list[dict[str, Any]]]) -> None:
    resources = []
    for path, rows in tables.items():
        columns = list(dict.fromkeys(key for row in rows[:1] for key in row))
        with (folder / path).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for row in rows:
                writer.writerow([cell(row.get(column)) for column in columns])
        resources.append({"name": RESOURCES[path], "path": path})
    descriptor = {"profile": "tabular-data-package", "resources": resources}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def cell(value: Any) -> str:
    if value is None:
        return ""
    return json.dumps(value) if isinstance(value, dict) else str(value)


def write_json(path: Path, tables: dict[str, list[dict[str, Any]]]) -> None:
    """The same data as tabular HSDS JSON ({"services.csv": [rows]})."""
    path.write_text(json.dumps(tables), encoding="utf-8")


def child(source: Path, services: int) -> None:
    """Runs in a fresh process whose DATABASE_URL names the database under test."""
    import django
    from django.core.management import call_command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mend.settings_test")
    django.setup()
    from django.db import connection
    from django.utils import timezone

    from mend.directory.actions import do_import_hsds, ensure_mend_taxonomy

    call_command("migrate", verbosity=0)
    ensure_mend_taxonomy()
    stages = StageTimes()
    started, cpu_started = time.perf_counter(), time.process_time()
    report = do_import_hsds(source, reindex=False, progress=stages, now=timezone.now())
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started  # the load of other work disturbs it less
    records = sum(written.records for written in report.written.values())
    result = {
        "database": connection.vendor,
        "ok": report.ok,
        "errors": [str(p) for p in report.problems.errors[:5]],
        "seconds": seconds,
        "cpu": cpu,
        "services": services,
        "records": records,
        "stages": stages.summary(seconds),
    }
    print(json.dumps(result))


class StageTimes:
    """A progress sink that only notes how long reading, checking and writing took."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.current: tuple[str, float] | None = None

    def begin(self, stage: str, total: int | None) -> None:
        name = "reading" if stage.endswith(".csv") else stage
        self.current = (name, time.perf_counter())

    def advance(self, amount: int) -> None:
        pass

    def end(self) -> None:
        if self.current is not None:
            name, started = self.current
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
            self.current = None

    def summary(self, total: float) -> str:
        known = sum(self.seconds.values())
        parts = [f"{name} {seconds:.1f}s" for name, seconds in self.seconds.items()]
        return ", ".join([*parts, f"other {total - known:.1f}s"])


def run_child(source: Path, services: int, database_url: str) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": database_url, "MEND_ENV": "test"}
    command = [sys.executable, __file__, "--child", str(source), "--rows", str(services)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def report(result: dict[str, Any]) -> float:
    """Print one line of the table; return services a second."""
    if not result["ok"]:
        raise SystemExit(f"import failed: {result['errors']}")
    seconds = result["seconds"]
    rate = result["services"] / seconds
    verdict = "met" if rate >= TARGET else "MISSED"
    print(
        f"{result['database']:<12}{seconds:>9.1f}{rate:>14,.0f}"
        f"{result['records'] / seconds:>14,.0f}"
        f"   >= {TARGET:,}  {verdict}   ({result['stages']}; "
        f"CPU {result['cpu'] / result['records'] * 1e6:.1f} ms/1,000 records; "
        f"load {load_average()})",
        flush=True,
    )
    return float(rate)


def load_average() -> str:
    """The 1-minute load average (Linux): figures on a shared machine need it beside them."""
    try:
        return Path("/proc/loadavg").read_text(encoding="ascii").split()[0]
    except OSError:
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child, options.rows)
        return
    with tempfile.TemporaryDirectory(prefix="mend-bench-") as temporary:
        folder = Path(temporary)
        tables = rows_for(options.rows)
        source = folder / "package"
        source.mkdir()
        if options.format == "csv":
            write_package(source, tables)
        else:
            source = folder / "directory.json"
            write_json(source, tables)
        total = sum(len(rows) for rows in tables.values())
        print(f"directory import: {options.rows:,} service-at-location rows, {total:,} records, "
              f"{options.format.upper()}")  # fmt: skip
        print(f"{'database':<12}{'seconds':>9}{'services/s':>14}{'records/s':>14}   target")
        sqlite_url = f"sqlite:///{folder / 'bench.sqlite3'}"
        rates = {"SQLite": report(run_child(source, options.rows, sqlite_url))}
        if not options.skip_postgres:
            from mend.lib.pgtemp import temporary_postgres

            with temporary_postgres() as url:
                rates["PostgreSQL"] = report(run_child(source, options.rows, url))
    missed = [f"{name} {rate:,.0f}" for name, rate in rates.items() if rate < TARGET]
    if missed:
        raise SystemExit(f"TARGET MISSED: import {', '.join(missed)} < {TARGET:,} services/s")


if __name__ == "__main__":
    main()
