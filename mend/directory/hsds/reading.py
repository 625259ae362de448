"""Reading HSDS files into flat, unchecked records.

Accepted: nested JSON (one service, organization, service-at-location, location,
taxonomy or taxonomy term; a list of them; or an HSDS ``Page`` envelope with
``contents``), tabular JSON (``{"services.csv": [rows]}``, as examples/tabular.json), and
a CSV data package (a folder with datapackage.json and CSV files).

Nothing here touches the database. Values stay as given (CSV cells, JSON values);
``checking`` coerces and validates them.
"""

from __future__ import annotations

import csv
import difflib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from mend.directory.hsds import spec
from mend.directory.hsds.problems import NoProgress, Problems, Progress, Where

PROFILE_FIELDS = ("address_visibility", "time_zone", "translations")


@dataclass(slots=True)
class RawRecord:
    """One record as read. ``implied`` links come from nesting (the parent's id, a nested
    object's id) and must agree with the record's own; ``defaults`` apply only where the
    record says nothing (an attribute's link_entity is the table it is nested in)."""

    table: str
    where: Where
    values: dict[str, Any]
    implied: dict[str, Any] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    nested: bool = False  # occurrences of one id in nested JSON merge; in tables they clash


@dataclass(slots=True)
class RawTable:
    """The rows of one CSV file as read, every one with the same columns. A large import
    is checked column by column; ``records()`` gives exactly the records that reading it
    row by row would, for the checks that report a problem."""

    table: str
    source: str
    names: list[str]  # the HSDS columns kept, in header order
    rows: list[list[str]]  # each row's cells of those columns
    numbers: list[int]  # each row's spreadsheet row number (the header is row 1)

    def __len__(self) -> int:
        return len(self.rows)

    def records(self) -> Iterator[RawRecord]:
        names, source = self.names, self.source
        for number, cells in zip(self.numbers, self.rows, strict=True):
            where = Where(source, f"row {number}")
            yield RawRecord(self.table, where, dict(zip(names, cells, strict=True)))


Read = RawRecord | RawTable  # what reading gives: records, or a CSV file's rows at once


def read_path(
    path: Path, problems: Problems, kind: str | None = None, progress: Progress | None = None
) -> list[Read]:
    """Records from a .json file, a datapackage.json, or a folder holding one."""
    progress = progress or NoProgress()
    if path.is_dir():
        return read_package(path, problems, progress)
    if path.name == "datapackage.json":
        return read_package(path.parent, problems, progress)
    if path.suffix.lower() != ".json" or not path.is_file():
        problems.error(
            Where(str(path), "file"), "", "give a .json file or a folder with datapackage.json"
        )
        return []
    document = load_json(path, problems)
    if document is None:
        return []
    return list(read_document(document, path.name, problems, kind))


def load_json(path: Path, problems: Problems) -> Any:
    try:
        with path.open(encoding="utf-8-sig") as handle:
            return json.load(handle)
    except (OSError, UnicodeDecodeError) as error:
        problems.error(Where(path.name, "file"), "", f"cannot be read: {error}")
    except json.JSONDecodeError as error:
        where = Where(path.name, f"line {error.lineno}, column {error.colno}")
        problems.error(where, "", f"is not valid JSON: {error.msg}")
    return None


def read_document(
    document: Any, source: str, problems: Problems, kind: str | None = None
) -> list[RawRecord]:
    """Records from a parsed JSON document (also used for data built in memory)."""
    if kind is not None and kind not in spec.BY_NAME:
        problems.error(Where(source, "/"), "", f"{kind!r} is not an HSDS table name")
        return []
    out: list[RawRecord] = []
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        items = [(f"/contents/{i}", item) for i, item in enumerate(document["contents"])]
    elif isinstance(document, dict) and document and all(k.endswith(".csv") for k in document):
        return read_tabular_json(document, source, problems)
    elif isinstance(document, list):
        items = [(f"/{i}", item) for i, item in enumerate(document)]
    else:
        items = [("", document)]
    for pointer, item in items:
        table = kind or detect_table(item)
        if table is None:
            problems.error(Where(source, pointer or "/"), "", _undetected(item))
            continue
        walk(item, spec.BY_NAME[table], Where(source, pointer or "/"), {}, {}, out, problems)
    return out


def _undetected(item: Any) -> str:
    if not isinstance(item, dict):
        return "expected an object"
    return (
        "cannot tell which HSDS record this is (service, organization, "
        "service_at_location, location, taxonomy or taxonomy_term); say it with --kind"
    )


def detect_table(item: Any) -> str | None:
    """The top-level table that fits ``item`` best: its required fields are all there,
    and fewest keys are foreign to it. A tie is no answer: guessing would risk writing
    a record into the wrong table."""
    if not isinstance(item, dict):
        return None
    keys = set(item)
    scores: dict[str, int] = {}
    for name in spec.TOP_LEVEL:
        table = spec.BY_NAME[name]
        required = {f.name for f in table.fields if f.required and f.kind != "ref"}
        if required <= keys:
            scores[name] = len(keys - table.keys)
    best = sorted(scores, key=scores.__getitem__)
    if not best or (len(best) > 1 and scores[best[0]] == scores[best[1]]):
        return None
    return best[0]


def walk(
    obj: Any,
    table: spec.Table,
    where: Where,
    implied: dict[str, Any],
    defaults: dict[str, Any],
    out: list[RawRecord],
    problems: Problems,
) -> None:
    """Flatten one nested object and everything under it into ``out``."""
    if not isinstance(obj, dict):
        problems.error(where, "", f"expected a {table.name} object")
        return
    values = {key: value for key, value in obj.items() if key in table.by_name}
    for key in obj:
        if key not in table.keys:
            unknown_key(key, table, where, obj.get("id"), problems)
    record = RawRecord(table.name, where, values, dict(implied), dict(defaults), nested=True)
    relations = [r for r in table.relations if r.key in obj]
    for relation in relations:
        child = obj[relation.key]
        if not relation.many and isinstance(child, dict) and "id" in child:
            record.implied[relation.field] = child["id"]
    out.append(record)
    for relation in relations:
        walk_relation(obj, record, relation, out, problems)


def walk_relation(
    obj: dict[str, Any],
    record: RawRecord,
    relation: spec.Relation,
    out: list[RawRecord],
    problems: Problems,
) -> None:
    child_table = spec.BY_NAME[relation.table]
    value = obj[relation.key]
    pointer = f"{record.where.record.rstrip('/')}/{relation.key}"
    if not relation.many:
        if value is None:
            return
        defaults = {}
        if relation.inherit:
            own = record.values.get(relation.inherit, record.implied.get(relation.inherit))
            defaults[relation.inherit] = own
        where = Where(record.where.source, pointer)
        walk(value, child_table, where, {}, defaults, out, problems)
        return
    if not isinstance(value, list):
        problems.error(record.where, relation.key, "must be an array", obj.get("id"))
        return
    implied = {relation.field: obj.get("id")}
    defaults = {relation.entity: record.table} if relation.entity else {}
    for i, item in enumerate(value):
        where = Where(record.where.source, f"{pointer}/{i}")
        walk(item, child_table, where, implied, defaults, out, problems)


#: Tables whose rows say where a location is, and words of a field that marks one private.
PRIVATE_TABLES = frozenset({"location", "address"})
PRIVACY_WORDS = re.compile(
    r"visib|privat|confiden|hidden|hide|secret|undisclosed|protected", re.IGNORECASE
)


def unknown_key(
    key: str, table: spec.Table, where: Where, record_id: Any, problems: Problems
) -> None:
    """Unknown keys are ignored, except near-misses of profile fields: a misspelt
    address_visibility would silently publish a shelter's address."""
    close = difflib.get_close_matches(key, PROFILE_FIELDS, n=1, cutoff=0.75)
    if close:
        problems.error(where, key, f"unknown field; did you mean {close[0]}?", record_id)
    elif table.name in PRIVATE_TABLES and PRIVACY_WORDS.search(key):
        # A feed's own way of marking a shelter private ("confidential", "visibility")
        # would be ignored, and a new location published (found by a review).
        message = (
            "unknown field; a location's address is kept private only by "
            "address_visibility (public, on_request or hidden): ignoring this field "
            "would publish it"
        )
        problems.error(where, key, message, record_id)
    else:
        problems.warn(where, key, f"not an HSDS {table.name} field; ignored", record_id)


def read_tabular_json(document: dict[str, Any], source: str, problems: Problems) -> list[RawRecord]:
    out: list[RawRecord] = []
    for name, rows in document.items():
        table = spec.BY_PATH.get(name)
        if table is None:
            problems.warn(Where(source, f"/{name}"), "", "not an HSDS table; ignored")
            continue
        if not isinstance(rows, list):
            problems.error(Where(source, f"/{name}"), "", "must be an array of rows")
            continue
        for i, row in enumerate(rows):
            where = Where(source, f"/{name}/{i}")
            if not isinstance(row, dict):
                problems.error(where, "", "expected an object")
                continue
            for key in row:
                if key not in table.by_name:
                    unknown_key(key, table, where, row.get("id"), problems)
            values = {k: v for k, v in row.items() if k in table.by_name}
            out.append(RawRecord(table.name, where, values))
    return out


def read_package(folder: Path, problems: Problems, progress: Progress) -> list[Read]:
    """Records from the CSV files a data package names (or, without datapackage.json,
    from the HSDS file names). Column names come from each file's header: the
    descriptor's field lists are not relied on (HSDS 3.1's own lists service_capacity
    and unit with a primary key ``id`` that their fields omit)."""
    out: list[Read] = []
    for table, path in package_files(folder, problems):
        progress.begin(path.name, None)
        out.append(read_csv(path, table, problems, progress))
        progress.end()
    return out


def package_files(folder: Path, problems: Problems) -> list[tuple[spec.Table, Path]]:
    descriptor_path = folder / "datapackage.json"
    if not descriptor_path.is_file():
        problems.warn(
            Where(folder.name, "datapackage.json"), "", "missing; reading HSDS file names"
        )
        return [(t, folder / t.path) for t in spec.TABLES if (folder / t.path).is_file()]
    descriptor = load_json(descriptor_path, problems)
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list):
        problems.error(Where("datapackage.json", "/resources"), "", "must be an array")
        return []
    found = []
    for i, resource in enumerate(resources):
        entry = package_entry(
            folder, resource, Where("datapackage.json", f"/resources/{i}"), problems
        )
        if entry is not None:
            found.append(entry)
    return found


def package_entry(
    folder: Path, resource: Any, where: Where, problems: Problems
) -> tuple[spec.Table, Path] | None:
    if not isinstance(resource, dict) or not isinstance(resource.get("path"), str):
        problems.error(where, "path", "a resource needs a path")
        return None
    name, relative = resource.get("name"), resource["path"]
    table = spec.BY_NAME.get(name) if isinstance(name, str) else None
    table = table or spec.BY_PATH.get(Path(relative).name)
    if table is None:
        problems.warn(where, "name", f"{name!r} is not an HSDS table; ignored")
        return None
    path = (folder / relative).resolve()
    # A descriptor must not make us read files outside its own folder.
    if not path.is_relative_to(folder.resolve()):
        problems.error(where, "path", f"{relative!r} is outside the package folder")
        return None
    if not path.is_file():
        problems.warn(where, "path", f"{relative} is missing; no {table.name} records read")
        return None
    return table, path


def read_csv(path: Path, table: spec.Table, problems: Problems, progress: Progress) -> RawTable:
    out = RawTable(table.name, path.name, [], [], [])
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            columns = csv_columns(header or [], table, path.name, problems)
            if columns is None:
                return out
            width = len(header or [])
            out.names = [name for _, name in columns]
            # Most files hold HSDS columns only: their rows are kept as the reader gave them.
            keep = None if len(columns) == width else [i for i, _ in columns]
            read_rows(reader, out, width, keep, problems, progress)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        problems.error(Where(path.name, "file"), "", f"cannot be read: {error}")
        return RawTable(table.name, path.name, out.names, [], [])
    return out


def read_rows(
    reader: Iterator[list[str]],
    out: RawTable,
    width: int,
    keep: list[int] | None,
    problems: Problems,
    progress: Progress,
) -> None:
    number = 1  # the header's row
    while chunk := list(islice(reader, 5000)):
        if keep is None and set(map(len, chunk)) == {width}:
            # The common case, in C: every row whole, none blank, no column to drop.
            out.rows.extend(chunk)
            out.numbers.extend(range(number + 1, number + 1 + len(chunk)))
        else:
            read_each(chunk, number, out, width, keep, problems)
        number += len(chunk)
        progress.advance(len(chunk))


def read_each(
    chunk: list[list[str]],
    last: int,
    out: RawTable,
    width: int,
    keep: list[int] | None,
    problems: Problems,
) -> None:
    for number, row in enumerate(chunk, start=last + 1):
        if not row:
            continue
        if len(row) != width:
            where = Where(out.source, f"row {number}")
            problems.error(where, "", f"has {len(row)} cells; the header has {width}")
            continue
        out.rows.append(row if keep is None else [row[i] for i in keep])
        out.numbers.append(number)


def csv_columns(
    header: list[str], table: spec.Table, source: str, problems: Problems
) -> list[tuple[int, str]] | None:
    where = Where(source, "row 1 (header)")
    if "id" not in header:
        problems.error(where, "id", "the header has no id column")
        return None
    for name in header:
        if name not in table.by_name:
            unknown_key(name, table, where, None, problems)
    duplicates = {name for name in header if header.count(name) > 1}
    for name in sorted(duplicates):
        problems.error(where, name, "column appears more than once")
    return [(i, name) for i, name in enumerate(header) if name in table.by_name]
