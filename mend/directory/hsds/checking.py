"""Checking read records: coerce every value, merge nested duplicates, require what
HSDS (and Mend) require, and resolve references, collecting every problem.

Guarantee: when ``Problems.has_errors`` is false, every value in the result can be
stored as it is, and every hard reference resolves (in this import or in the directory).
The database is reached only through ``lookup``, so this module stays testable alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from operator import methodcaller
from typing import Any, NamedTuple

from mend.directory.hsds import spec
from mend.directory.hsds.coerce import Invalid, is_empty, to_uuid
from mend.directory.hsds.problems import NoProgress, Problems, Progress, Where
from mend.directory.hsds.profile import translations_problem
from mend.directory.hsds.reading import RawRecord, RawTable, Read

INVALID: Any = object()  # a value already reported; never written
UUID_KINDS = frozenset({"uuid", "ref"})
MISSING: Any = object()

# (table name, ids) -> the ids that exist in the directory already
Lookup = Callable[[str, set[uuid.UUID]], set[uuid.UUID]]


class CleanRow(NamedTuple):
    """One checked record. A named tuple (a large import makes one a record); its
    ``values`` are filled in and merged in place."""

    id: uuid.UUID
    values: dict[str, Any]  # HSDS field name -> stored value, for the fields given
    where: Where
    nested: bool


Checked = dict[str, dict[uuid.UUID, CleanRow]]


def nothing_exists(table: str, ids: set[uuid.UUID]) -> set[uuid.UUID]:
    return set()


def check(
    records: Iterable[Read],
    problems: Problems,
    lookup: Lookup = nothing_exists,
    progress: Progress | None = None,
) -> Checked:
    progress = progress or NoProgress()
    records = list(records)
    checked: Checked = {}
    uuids: dict[str, uuid.UUID] = {}  # ids recur (a service's id in every child row)
    progress.begin("checking", sum(len(r) if isinstance(r, RawTable) else 1 for r in records))
    for count, record in enumerate(records, start=1):
        if isinstance(record, RawTable):
            check_table(record, checked, problems, uuids)
            progress.advance(len(record))
            continue
        check_record(record, checked, problems, uuids)
        if count % 5000 == 0:
            progress.advance(5000)
    progress.end()
    check_required(checked, problems)
    check_references(checked, problems, lookup)
    return checked


def check_record(
    record: RawRecord, checked: Checked, problems: Problems, uuids: dict[str, uuid.UUID]
) -> None:
    table = spec.BY_NAME[record.table]
    row = clean_record(record, table, problems, uuids)
    if row is not None:
        merge(checked.setdefault(table.name, {}), row, table, problems)


def check_table(
    raw: RawTable, checked: Checked, problems: Problems, uuids: dict[str, uuid.UUID]
) -> None:
    """A CSV file's rows, column by column: each distinct value of a column is cleaned
    once. At the first value that would be reported (or an id given twice), the file is
    checked record by record instead, so every problem is reported exactly as it always
    was, in the same order."""
    if not clean_table(raw, checked.setdefault(raw.table, {}), uuids):
        for record in raw.records():
            check_record(record, checked, problems, uuids)


def clean_table(
    raw: RawTable, rows: dict[uuid.UUID, CleanRow], uuids: dict[str, uuid.UUID]
) -> bool:
    """Add the file's rows to ``rows`` and return True; or, when any value has a problem,
    return False having added nothing."""
    table = spec.BY_NAME[raw.table]
    names = raw.names
    if "id" not in names or len(set(names)) != len(names):
        return False
    columns = list(zip(*raw.rows, strict=True)) or [()] * len(names)
    ids = clean_ids(columns[names.index("id")], uuids)
    if ids is None:
        return False
    given: list[str] = []
    cleaned: list[Sequence[Any]] = []
    for name, column in zip(names, columns, strict=True):
        if name != "id":
            values = clean_column(table, table.by_name[name], column, uuids)
            if values is None:
                return False
            given.append(name)
            cleaned.append(values)
    source = raw.source
    each = zip(*cleaned, strict=True) if cleaned else repeat((), len(ids))
    fresh = {
        record_id: CleanRow(
            record_id, dict(zip(given, values, strict=True)), Where(source, f"row {n}"), False
        )
        for record_id, n, values in zip(ids, raw.numbers, each, strict=True)
    }
    # An id given twice in the file, or already given in another file, is reported.
    if len(fresh) != len(ids) or not rows.keys().isdisjoint(fresh):
        return False
    rows.update(fresh)  # (a dict's update reuses the hashes of its keys)
    return True


def clean_ids(column: Sequence[str], uuids: dict[str, uuid.UUID]) -> list[uuid.UUID] | None:
    """The column's ids; None if one is empty or not a UUID."""
    ids: list[uuid.UUID] = []
    for raw in column:
        value = uuids.get(raw)
        if value is None:
            if raw == "":
                return None
            try:  # (CSV cells are text: to_uuid's other cases cannot arise)
                value = uuids[raw] = uuid.UUID(raw)
            except ValueError:
                return None
        ids.append(value)
    return ids


def clean_column(
    table: spec.Table, field: spec.Field, column: Sequence[str], uuids: dict[str, uuid.UUID]
) -> list[Any] | None:
    """The column's stored values, or None if any value would be reported (an error or a
    warning). ``clean_value`` does not depend on the record, so one call a distinct value
    gives every row its value."""
    if field.kind in UUID_KINDS:
        # References to ids read before (a service's id in each of its rows) are parsed.
        known = list(map(uuids.get, column))
        if set(map(type, known)) == {uuid.UUID}:
            return known
    distinct = set(column)
    if is_plain_text(table, field.name, distinct):
        if "" not in distinct:
            return list(column)  # the text as given
        empty = None if field.required else table.empties[field.name]
        return [empty if raw == "" else raw for raw in column]
    probe = Problems()
    row = CleanRow(uuid.UUID(int=0), {}, Where(table.path, ""), False)
    stored: dict[str, Any] = {}
    for raw in distinct:
        stored[raw] = clean_value(table, field, raw, row, probe, uuids)
        if probe.items:
            return None
    return list(map(stored.__getitem__, column))


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


def is_plain_text(table: spec.Table, name: str, distinct: set[str]) -> bool:
    """Whether every value is text stored as it is (none too long for its column)."""
    if name not in table.text_lengths or not distinct:
        return False
    most = table.text_lengths[name]
    return all(type(raw) is str for raw in distinct) and (
        most is None or max(map(len, distinct)) <= most
    )


def clean_value(
    table: spec.Table,
    field: spec.Field,
    raw: Any,
    row: CleanRow,
    problems: Problems,
    uuids: dict[str, uuid.UUID] | None = None,
) -> Any:
    if raw is None or raw == "":
        if field.if_empty:
            problems.error(row.where, field.name, field.if_empty, row.id)
            return INVALID
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
        given = [row.values for row in rows.values()]
        if all(all_given(given, field) for field in required):
            continue  # the common case, column by column; else report row by row
        for row in rows.values():
            for field in required:
                value = row.values.get(field, MISSING)
                if value is MISSING or value is None or value == "":
                    problems.error(row.where, field, "required", row.id)


def all_given(given: list[dict[str, Any]], field: str) -> bool:
    """Whether every row has a value for ``field``; False also when unsure (mixed
    types), so that the rows are then looked at one by one."""
    values = list(map(methodcaller("get", field, MISSING), given))
    kinds = set(map(type, values))
    if kinds == {str}:
        return "" not in values
    # MISSING and INVALID are plain objects; any other type is never empty.
    return not kinds & {str, type(None), object}


def check_references(checked: Checked, problems: Problems, lookup: Lookup) -> None:
    """Every reference must point at a record in this import or in the directory. Hard
    ones (a service's organization, a service-at-location's service and location) are
    errors when they do not; soft ones are kept as given, with a warning (ADR 0002)."""
    wanted = wanted_targets(checked)
    found = {target: lookup(target, ids) for target, ids in wanted.items()}
    if all(ids == found[target] for target, ids in wanted.items()):
        return  # every reference resolves: nothing to report
    pending: dict[str, dict[uuid.UUID, list[tuple[CleanRow, spec.Field]]]] = {}
    for name, rows in checked.items():
        refs = [f for f in spec.BY_NAME[name].fields if f.kind == "ref"]
        for row in rows.values() if refs else ():
            for field in refs:
                target = row.values.get(field.name)
                if isinstance(target, uuid.UUID) and target not in checked.get(field.target, {}):
                    pending.setdefault(field.target, {}).setdefault(target, []).append((row, field))
    for target_table, users_of in pending.items():
        for target, users in users_of.items():
            if target not in found[target_table]:
                for row, field in users:
                    report_unresolved(row, field, target, problems)


def wanted_targets(checked: Checked) -> dict[str, set[uuid.UUID]]:
    """Table name -> the ids that references point at but this import does not hold
    (column by column: a reference column repeats few distinct ids)."""
    wanted: dict[str, set[uuid.UUID]] = {}
    for name, rows in checked.items():
        given = [row.values for row in rows.values()]
        for field in spec.BY_NAME[name].fields if given else ():
            if field.kind != "ref":
                continue
            held = checked.get(field.target, {})
            missing = {t for t in unheld(given, field.name, held) if isinstance(t, uuid.UUID)}
            if missing:
                wanted.setdefault(field.target, set()).update(missing)
    return wanted


def unheld(given: list[dict[str, Any]], name: str, held: dict[uuid.UUID, CleanRow]) -> list[Any]:
    """The distinct values of field ``name`` that are not keys of ``held``. A reference
    parsed from the same text as the id it points at is the very same UUID object
    (``uuids`` in ``check``), so most are settled by identity; hashing a UUID runs
    Python code, and a large import holds millions of references."""
    values = list(map(methodcaller("get", name), given))
    distinct = dict(zip(map(id, values), values, strict=True))
    held_objects = set(map(id, held))
    return [t for key, t in distinct.items() if key not in held_objects and t not in held]


def report_unresolved(
    row: CleanRow, field: spec.Field, target: uuid.UUID, problems: Problems
) -> None:
    reason = f"{field.target} {target} is neither in this import nor in the directory"
    if field.hard:
        problems.error(row.where, field.name, reason, row.id)
    else:
        problems.warn(row.where, field.name, reason + "; kept as given", row.id)
