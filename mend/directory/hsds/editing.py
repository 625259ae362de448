"""The HSDS checks an editor's form runs before anything is saved.

The same field rules an import is held to (``spec``: required fields, choices, each
field's ``check`` and ``advice``, translations of the record's own free text), so a
record an editor saves would pass an import of it. A few rules span two fields (an age
range, a validity period, a recurrence without a frequency); they are errors here and
on no other path, because a form can ask a person to fix them at once.

Pure: values in, problems out, each naming the HSDS field it concerns, so the admin can
put it next to that field. An error means the record is not saved; a warning is saved
and shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mend.directory.hsds import spec
from mend.directory.hsds.coerce import is_empty
from mend.directory.hsds.problems import ERROR, WARNING
from mend.directory.hsds.profile import translations_problem

SKIPPED_KINDS = frozenset({"uuid", "ref"})  # ids and links: the form's own fields decide
RECURRENCE_PARTS = ("byday", "bymonthday", "byweekno", "byyearday", "interval", "count")
FREQUENCIES = spec.BY_NAME["schedule"].by_name["freq"].choices


@dataclass(frozen=True)
class FieldProblem:
    field: str  # the model field's name; "" for the record as a whole
    reason: str
    level: str = ERROR


def record_problems(table_name: str, values: Mapping[str, Any]) -> list[FieldProblem]:
    """Every problem with one record's values, keyed by the model's field names (the
    HSDS names but for a renamed reference). Fields not in ``values`` are not checked:
    a form checks the fields it shows."""
    table = spec.BY_NAME[table_name]
    by_column = {field.column: field for field in table.fields}
    problems: list[FieldProblem] = []
    for name, value in values.items():
        field = by_column.get(name)
        if field is None or field.kind in SKIPPED_KINDS:
            continue
        problems.extend(value_problems(table, field, value))
    problems.extend(span_problems(table_name, values))
    return problems


def value_problems(table: spec.Table, field: spec.Field, value: Any) -> list[FieldProblem]:
    if is_empty(value):
        return [FieldProblem(field.column, "HSDS requires this field")] if field.required else []
    if field.kind == "choice" and value not in field.choices:
        return [FieldProblem(field.column, f"{value!r} is not one of {', '.join(field.choices)}")]
    if field.kind == "translations":
        reason = translations_problem(value, table.text_fields)
        return [FieldProblem(field.column, reason)] if reason else []
    reason = field.check(value) if field.check else None
    if reason:
        return [FieldProblem(field.column, reason)]
    doubt = field.advice(value) if field.advice else None
    return [FieldProblem(field.column, doubt, WARNING)] if doubt else []


def span_problems(table_name: str, values: Mapping[str, Any]) -> list[FieldProblem]:
    problems = []
    low, high = values.get("minimum_age"), values.get("maximum_age")
    if low is not None and high is not None and low > high:
        problems.append(FieldProblem("maximum_age", f"is below the minimum age ({low})"))
    start, end = values.get("valid_from"), values.get("valid_to")
    if start is not None and end is not None and end < start:
        problems.append(FieldProblem("valid_to", f"is before “valid from” ({start})"))
    if table_name == "schedule" and is_empty(values.get("freq", "")):
        given = [part for part in RECURRENCE_PARTS if not is_empty(values.get(part))]
        if given:
            reason = f"say how often ({' or '.join(FREQUENCIES)}) for {', '.join(given)}"
            problems.append(FieldProblem("freq", reason))
    return problems
