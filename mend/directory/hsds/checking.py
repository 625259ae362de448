"""Checking read records: coerce every value, merge nested duplicates, require what
HSDS (and Mend) require, and resolve references, collecting every problem.

Guarantee: when ``Problems.has_errors`` is false, every value in the result can be
stored as it is, and every hard reference resolves (in this import or in the directory).
The database is reached only through ``lookup``, so this module stays testable alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from mend.directory.hsds import spec
from mend.directory.hsds.coerce import Invalid, is_empty, to_uuid
from mend.directory.hsds.problems import NoProgress, Problems, Progress, Where
from mend.directory.hsds.profile import translations_problem
from mend.directory.hsds.reading import RawRecord

INVALID: Any = object()  # a value already reported; never written
UUID_KINDS = frozenset({"uuid", "ref"})
MISSING: Any = object()

# (table name, ids) -> the ids that exist in the directory already
Lookup = Callable[[str, set[uuid.UUID]], set[uuid.UUID]]


@dataclass(slots=True)
class CleanRow:
    id: uuid.UUID
    values: dict[str, Any]  # HSDS field name -> stored value, for the fields given
    where: Where
    nested: bool


Checked = dict[str, dict[uuid.UUID, CleanRow]]


def nothing_exists(table: str, ids: set[uuid.UUID]) -> set[uuid.UUID]:
    return set()


def check(
    records: Iterable[RawRecord],
    problems: Problems,
    lookup: Lookup = nothing_exists,
    progress: Progress | None = None,
) -> Checked:
    progress = progress or NoProgress()
    records = list(records)
    checked: Checked = {}
    uuids: dict[str, uuid.UUID] = {}  # ids recur (a service's id in every child row)
    progress.begin("checking", len(records))
    for count, record in enumerate(records, start=1):
        table = spec.BY_NAME[record.table]
        row = clean_record(record, table, problems, uuids)
        if row is not None:
            merge(checked.setdefault(table.name, {}), row, table, problems)
        if count % 5000 == 0:
            progress.advance(5000)
    progress.end()
    check_required(checked, problems)
    check_references(checked, problems, lookup)
    return checked


def clean_record(
    record: RawRecord,
    table: spec.Table,
    problems: Problems,
    uuids: dict[str, uuid.UUID] | None = None,
) -> CleanRow | None:
    uuids = {} if uuids is None else uuids
    raw_id = record.values.get("id")
    if is_empty(raw_id):
        problems.error(record.where, "id", "required")
        return None
    try:
        record_id = uuids.get(raw_id) if isinstance(raw_id, str) else None
        record_id = record_id or to_uuid(raw_id)
    except Invalid as error:
        problems.error(record.where, "id", str(error))
        return None
    if isinstance(raw_id, str):
        uuids[raw_id] = record_id
    row = CleanRow(record_id, {}, record.where, record.nested)
    fields = table.by_name
    plain = plain_fields(table)
    for name, raw in record.values.items():
        if name == "id":
            continue
        # The common case inline (a million values in a large import): a value with no
        # further check, already seen or coerced without a problem. Anything else, and
        # every problem, goes through clean_value.
        fast = plain.get(name)
        if fast is not None and raw is not None and raw != "":
            coercer, is_uuid = fast
            if is_uuid and raw in uuids:
                row.values[name] = uuids[raw]
                continue
            try:
                value = coercer(raw)
            except Invalid:
                pass
            else:
                if is_uuid and isinstance(raw, str):
                    uuids[raw] = value
                row.values[name] = value
                continue
        row.values[name] = clean_value(table, fields[name], raw, row, problems, uuids)
    for name, raw in record.implied.items():
        if raw is not None:
            add_implied(table, fields[name], raw, row, problems)
    for name, raw in record.defaults.items():
        if name not in row.values and not is_empty(raw):
            row.values[name] = clean_value(table, fields[name], raw, row, problems)
    return row


_PLAIN: dict[str, dict[str, tuple[Callable[[Any], Any], bool]]] = {}


def plain_fields(table: spec.Table) -> dict[str, tuple[Callable[[Any], Any], bool]]:
    """The table's fields whose coerced value is stored as it is (no check, no advice,
    not translations): name -> (coercer, whether it is a UUID)."""
    if table.name not in _PLAIN:
        _PLAIN[table.name] = {
            field.name: (table.coercers[field.name], field.kind in UUID_KINDS)
            for field in table.fields
            if field.check is None and field.advice is None and field.kind != "translations"
        }
    return _PLAIN[table.name]


def clean_value(
    table: spec.Table,
    field: spec.Field,
    raw: Any,
    row: CleanRow,
    problems: Problems,
    uuids: dict[str, uuid.UUID] | None = None,
) -> Any:
    if raw is None or raw == "":
        # A required field left empty stays empty (and is reported), even where the
        # model has a default (a service's status).
        return None if field.required else table.empties[field.name]
    if uuids is not None and field.kind in UUID_KINDS and raw in uuids:
        return uuids[raw]
    try:
        value = table.coercers[field.name](raw)
    except Invalid as error:
        problems.error(row.where, field.name, str(error), row.id)
        return INVALID
    reason = field.check(value) if field.check else None
    if field.kind == "translations":
        reason = translations_problem(value, table.text_fields)
    if reason:
        problems.error(row.where, field.name, reason, row.id)
        return INVALID
    doubt = field.advice(value) if field.advice else None
    if doubt:
        problems.warn(row.where, field.name, doubt, row.id)
    if uuids is not None and field.kind in UUID_KINDS and isinstance(raw, str):
        uuids[raw] = value
    return value


def add_implied(
    table: spec.Table, field: spec.Field, raw: Any, row: CleanRow, problems: Problems
) -> None:
    """A link that nesting gives must agree with the one the record states, if any."""
    value = clean_value(table, field, raw, row, problems)
    given = row.values.get(field.name, MISSING)
    if given is MISSING or given is INVALID or is_empty(given):
        row.values[field.name] = value
    elif value is not INVALID and given != value:
        reason = f"is {given}, but the record it is nested in (or holds) says {value}"
        problems.error(row.where, field.name, reason, row.id)


def merge(
    rows: dict[uuid.UUID, CleanRow], row: CleanRow, table: spec.Table, problems: Problems
) -> None:
    """Nested JSON repeats a record wherever it belongs (a phone under its service and
    under its location): the occurrences merge, and must not disagree. In tables an id
    is given once."""
    first = rows.get(row.id)
    if first is None:
        rows[row.id] = row
        return
    if not (first.nested and row.nested):
        problems.error(
            row.where, "id", f"this {table.name} id was already given at {first.where}", row.id
        )
        return
    for name, value in row.values.items():
        old = first.values.get(name, MISSING)
        if old is MISSING or old is INVALID:
            first.values[name] = value
        elif value is not INVALID and old != value:
            reason = f"is {_show(value)} here but {_show(old)} at {first.where}"
            problems.error(row.where, name, reason, row.id)


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_required(checked: Checked, problems: Problems) -> None:
    for name, rows in checked.items():
        table = spec.BY_NAME[name]
        required = [f.name for f in table.fields if f.required and f.name != "id"]
        for row in rows.values():
            for field in required:
                value = row.values.get(field, MISSING)
                if value is MISSING or value is None or value == "":
                    problems.error(row.where, field, "required", row.id)


def check_references(checked: Checked, problems: Problems, lookup: Lookup) -> None:
    """Every reference must point at a record in this import or in the directory. Hard
    ones (a service's organization, a service-at-location's service and location) are
    errors when they do not; soft ones are kept as given, with a warning (ADR 0002)."""
    pending: dict[str, dict[uuid.UUID, list[tuple[CleanRow, spec.Field]]]] = {}
    for name, rows in checked.items():
        refs = [f for f in spec.BY_NAME[name].fields if f.kind == "ref"]
        for row in rows.values() if refs else ():
            for field in refs:
                target = row.values.get(field.name)
                if isinstance(target, uuid.UUID) and target not in checked.get(field.target, {}):
                    pending.setdefault(field.target, {}).setdefault(target, []).append((row, field))
    for target_table, wanted in pending.items():
        found = lookup(target_table, set(wanted))
        for target, users in wanted.items():
            if target not in found:
                for row, field in users:
                    report_unresolved(row, field, target, problems)


def report_unresolved(
    row: CleanRow, field: spec.Field, target: uuid.UUID, problems: Problems
) -> None:
    reason = f"{field.target} {target} is neither in this import nor in the directory"
    if field.hard:
        problems.error(row.where, field.name, reason, row.id)
    else:
        problems.warn(row.where, field.name, reason + "; kept as given", row.id)
