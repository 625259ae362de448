"""Exporting the directory as HSDS: nested JSON or a CSV data package.

Every row is read through ``Privacy.redact`` (public unless ``include_private``). Nested
JSON follows the HSDS examples: a record nested in another omits the reference that
nesting already states, and empty optional values are left out. The CSV package has
every HSDS column in the published order, then Mend's profile columns, and a
datapackage.json generated from the same spec (so service_capacity and unit declare
their ``id`` field).
"""

from __future__ import annotations

import csv
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from mend.directory.hsds import spec
from mend.directory.hsds.privacy import Privacy
from mend.directory.hsds.problems import NoProgress, Progress
from mend.directory.taxonomy import PROFILE_URI

ATTRIBUTION = (
    "Human Services Data Specification: an Open Referral resource (https://openreferral.org/)"
)
SHAPES = {
    "services": "service",
    "organizations": "organization",
    "service_at_locations": "service_at_location",
}
CHUNK = 2000


def table_rows(table: spec.Table, privacy: Privacy) -> Iterator[dict[str, Any]]:
    """The table's rows as HSDS-named values, redacted, in id order."""
    names = [field.name for field in table.fields]
    query = table.model._default_manager.order_by("pk").values_list(
        *[field.column for field in table.fields]
    )
    for values in query.iterator(chunk_size=CHUNK):
        row = privacy.redact(table.name, dict(zip(names, values, strict=True)))
        if row is not None:
            yield row


# --- values -----------------------------------------------------------------------------


def datetime_text(value: datetime) -> str:
    """UTC with a Z, to the millisecond when that is exact (as the HSDS examples)."""
    value = value.astimezone(UTC).replace(tzinfo=None)
    micro = value.microsecond
    precision = "seconds" if not micro else "milliseconds" if micro % 1000 == 0 else "microseconds"
    return value.isoformat(timespec=precision) + "Z"


def number_text(value: float | Decimal) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def json_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return datetime_text(value)
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float | Decimal):
        return number_text(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
    return str(json_value(value))


# --- nested JSON ------------------------------------------------------------------------


class Store:
    """Whole tables, loaded once on first use, with indexes built as nesting needs them."""

    def __init__(self, privacy: Privacy) -> None:
        self.privacy = privacy
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.indexes: dict[tuple[str, str], dict[Any, list[dict[str, Any]]]] = {}

    def all(self, table: str) -> list[dict[str, Any]]:
        if table not in self.rows:
            self.rows[table] = list(table_rows(spec.BY_NAME[table], self.privacy))
        return self.rows[table]

    def find(self, table: str, field: str, value: Any) -> list[dict[str, Any]]:
        key = (table, field)
        if key not in self.indexes:
            index: dict[Any, list[dict[str, Any]]] = {}
            for row in self.all(table):
                index.setdefault(row[field], []).append(row)
            self.indexes[key] = index
        return self.indexes[key].get(value, [])


@cache
def omitted(table: str) -> frozenset[str]:
    return spec.nesting_fields(spec.BY_NAME[table])


def nest(
    store: Store, table: spec.Table, row: dict[str, Any], came_from: tuple[str, str] | None = None
) -> dict[str, Any]:
    """One record as a nested HSDS object. ``came_from`` (parent table, linking field)
    stops the way back up: a service's organization does not list its services again."""
    out = scalar_fields(table, row)
    for relation in table.relations:
        if (relation.table, relation.field) == came_from:
            continue
        child_table = spec.BY_NAME[relation.table]
        back = (table.name, relation.field)
        if relation.many:
            children = store.find(relation.table, relation.field, row["id"])
            if children:
                out[relation.key] = [nest(store, child_table, c, back) for c in children]
        elif row.get(relation.field) is not None:
            found = store.find(relation.table, "id", row[relation.field])
            if found:
                out[relation.key] = nest(store, child_table, found[0], back)
            else:
                out[relation.field] = json_value(row[relation.field])  # kept: points outside
    return out


def scalar_fields(table: spec.Table, row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    skip = omitted(table.name)
    for field in table.fields:
        value = row.get(field.name)
        if field.name in skip:
            continue
        if value is None or value == "" or value == {}:
            if field.required and field.kind in ("str", "text"):
                out[field.name] = ""  # HSDS requires the key even when we hold nothing
            continue
        out[field.name] = json_value(value)
    return out


def export_json(
    path: Path, shape: str, privacy: Privacy, progress: Progress | None = None
) -> dict[str, int]:
    """Write a JSON array of nested records (HSDS's *_package shape); return counts."""
    progress = progress or NoProgress()
    table = spec.BY_NAME[SHAPES[shape]]
    store = Store(privacy)
    rows = store.all(table.name)
    progress.begin(shape, len(rows))
    documents = []
    for row in rows:
        documents.append(nest(store, table, row))
        progress.advance(1)
    progress.end()
    with path.open("w", encoding="utf-8") as handle:
        json.dump(documents, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
    return {name: len(rows) for name, rows in store.rows.items()}


# --- CSV data package -------------------------------------------------------------------


def export_csv(folder: Path, privacy: Privacy, progress: Progress | None = None) -> dict[str, int]:
    """Write one CSV per table and datapackage.json into ``folder``; return counts."""
    progress = progress or NoProgress()
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for table in spec.TABLES:
        progress.begin(table.path, None)
        counts[table.name] = write_csv(folder / table.path, table, privacy, progress)
        progress.end()
    with (folder / "datapackage.json").open("w", encoding="utf-8") as handle:
        json.dump(descriptor(), handle, ensure_ascii=False, indent=2)
        handle.write("\n")
    return counts


def write_csv(path: Path, table: spec.Table, privacy: Privacy, progress: Progress) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([field.name for field in table.fields])
        for row in table_rows(table, privacy):
            writer.writerow([cell(value) for value in row.values()])
            count += 1
            if count % CHUNK == 0:
                progress.advance(CHUNK)
    return count


FRICTIONLESS_TYPES = {
    "uuid": ("string", "uuid"),
    "ref": ("string", "uuid"),
    "whole": ("integer", ""),
    "float": ("number", ""),
    "decimal": ("number", ""),
    "date": ("date", ""),
    "datetime": ("datetime", ""),
    "time": ("time", ""),
    "translations": ("object", ""),
    "bool": ("boolean", ""),
}


def field_descriptor(field: spec.Field) -> dict[str, Any]:
    kind, form = FRICTIONLESS_TYPES.get(field.kind, ("string", ""))
    out: dict[str, Any] = {"name": field.name, "type": kind}
    if form:
        out["format"] = form
    constraints: dict[str, Any] = {"required": field.required}
    if field.choices:
        constraints["enum"] = list(field.choices)
    out["constraints"] = constraints
    if field.profile:
        out["description"] = f"Mend survivor profile ({PROFILE_URI})"
    return out


def resource_descriptor(table: spec.Table) -> dict[str, Any]:
    refs = [f for f in table.fields if f.kind == "ref"]
    return {
        "name": table.name,
        "path": table.path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {
            "fields": [field_descriptor(field) for field in table.fields],
            "primaryKey": "id",
            "foreignKeys": [
                {"fields": f.name, "reference": {"resource": f.target, "fields": "id"}}
                for f in refs
            ],
        },
    }


def descriptor() -> dict[str, Any]:
    return {
        "name": "mend_directory",
        "title": "Mend support directory: HSDS 3.1 with the Mend survivor profile",
        "profile": "tabular-data-package",
        "hsds_version": "3.1",
        "hsds_profile": PROFILE_URI,
        "sources": [{"title": ATTRIBUTION, "path": "https://openreferral.org/"}],
        "resources": [resource_descriptor(table) for table in spec.TABLES],
    }
