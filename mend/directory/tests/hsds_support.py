"""Shared helpers for the HSDS import and export tests.

The official examples and schemas are read from ../shared by relative path (they are
not part of the project; see ../shared/data/README.md).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
import unittest
from datetime import UTC, datetime, time
from functools import cache
from pathlib import Path
from typing import Any
from uuid import UUID

from django.core.management import CommandError, call_command
from jsonschema import Draft202012Validator, FormatChecker

from mend.directory.hsds import spec

HSDS = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "hsds-3.1"
EXAMPLES = HSDS / "examples"
COMPILED = HSDS / "schema" / "compiled"
PROFILE_KEYS = frozenset({"address_visibility", "time_zone", "translations", "offered_remotely"})
TIME_KEYS = frozenset({"opens_at", "closes_at"})
DATETIME_KEYS = frozenset({"last_modified", "updated"})
# The organization of the CSV example package (``csv_example_copy``).
ORGANIZATION = UUID("d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610")


def csv_example_copy(case: unittest.TestCase) -> Path:
    """A writable copy of the official CSV example package, removed after ``case``."""
    folder = Path(tempfile.mkdtemp()) / "package"
    case.addCleanup(shutil.rmtree, folder.parent)
    shutil.copytree(EXAMPLES / "csv", folder)
    for path in folder.iterdir():
        path.chmod(0o644)  # the shared examples are read-only
    return folder


def append_row(path: Path, **values: str) -> None:
    """One more row at the end of a CSV file, by column name (the others empty)."""
    with path.open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    with path.open("a", newline="", encoding="utf-8") as handle:
        csv.DictWriter(handle, fieldnames=header).writerow(values)


def nothing_written(case: unittest.TestCase) -> None:
    """Every directory table is empty: an import refused wrote nothing."""
    for table in spec.TABLES:
        case.assertEqual(table.model._default_manager.count(), 0, table.name)


def run(command: str, *args: str) -> str:
    """Run a management command quietly (no progress bar); return what it printed."""
    out = io.StringIO()
    call_command(command, *args, "--no-progress", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def import_hsds(*args: str) -> str:
    return run("import_hsds", *args)


def failing_import(*args: str) -> tuple[str, str]:
    """Run an import that must fail; return what it printed and the command's error."""
    out = io.StringIO()
    try:
        call_command("import_hsds", *args, "--no-progress", stdout=out, stderr=io.StringIO())
    except CommandError as error:
        return out.getvalue(), str(error)
    raise AssertionError("the import should have failed")


@cache
def validator(name: str) -> Draft202012Validator:
    schema = json.loads((COMPILED / f"{name}.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


def schema_errors(name: str, document: Any) -> list[str]:
    """Every way ``document`` breaks the published compiled schema ``name``."""
    errors = validator(name).iter_errors(document)
    return [f"{list(error.absolute_path)}: {error.message}" for error in errors]


def normalise(value: Any, key: str = "") -> Any:
    """A form in which equal HSDS data compares equal: Mend's profile extension keys
    dropped, times as HH:MM:SS, date-times as UTC instants, numbers as floats, and
    arrays in a fixed order (HSDS gives arrays no meaning by order)."""
    if isinstance(value, dict):
        return {k: normalise(v, k) for k, v in value.items() if k not in PROFILE_KEYS}
    if isinstance(value, list):
        items = [normalise(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, default=str))
    if isinstance(value, str) and value and key in TIME_KEYS:
        return time.fromisoformat(value).isoformat()
    if isinstance(value, str) and value and key in DATETIME_KEYS:
        return datetime.fromisoformat(value).astimezone(UTC)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def read_package(folder: Path) -> dict[str, dict[str, dict[str, str]]]:
    """Every CSV of a package: file name -> id -> row."""
    tables = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(newline="", encoding="utf-8-sig") as handle:
            tables[path.name] = {row["id"]: row for row in csv.DictReader(handle)}
    return tables


def cell(value: str, key: str) -> Any:
    """A CSV cell in comparable form (numbers and date-times by value)."""
    if not value:
        return value
    if key in DATETIME_KEYS:
        return datetime.fromisoformat(value).astimezone(UTC)
    try:
        return float(value)
    except ValueError:
        return value


def everything_in(folder_or_file: Path) -> str:
    """All the text of an export (one file, or every file of a folder)."""
    if folder_or_file.is_file():
        return folder_or_file.read_text(encoding="utf-8")
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder_or_file.iterdir()))
