"""Writing many search entries at once, without the ORM's per-value compilation.

``insert_entries`` does what ``SearchEntry.objects.bulk_create`` did for the rebuild
(one multi-row INSERT per batch, the new ids read back with RETURNING and set on the
instances, in the order given, as Django's own bulk_create relies on), at a fraction of
its cost: Django compiled each of the 17 values of every entry through its field, which
was about a sixth of a full rebuild's time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models

from mend.search.models import SearchEntry

BATCH = 500  # rows per INSERT: 17 columns stay well within SQLite's 32,766 parameters
# Stored as they are (the database adapter converts them); the keys are integers.
PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.FloatField,
    models.BooleanField,
)


def converter(field: Any) -> Callable[[Any], Any] | None:
    """None when the value is stored as it is; else the field's own conversion."""
    target = field.target_field if field.is_relation else field
    if isinstance(target, PLAIN):
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def insert_entries(entries: Sequence[SearchEntry]) -> None:
    """Insert ``entries`` (new, without ids) and give each its id."""
    fields = [f for f in SearchEntry._meta.concrete_fields if not f.primary_key]
    slots = [(f.attname, converter(f)) for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    table, key = quote(SearchEntry._meta.db_table), quote("id")
    with connection.cursor() as cursor:
        for start in range(0, len(entries), BATCH):
            batch = entries[start : start + BATCH]
            params: list[Any] = []
            for entry in batch:
                for attname, convert in slots:
                    value = getattr(entry, attname)
                    params.append(value if convert is None or value is None else convert(value))
            values = ", ".join([row] * len(batch))
            sql = f"INSERT INTO {table} ({columns}) VALUES {values} RETURNING {key}"  # noqa: S608
            cursor.execute(sql, params)
            ids = [found for (found,) in cursor.fetchall()]
            for entry, pk in zip(batch, ids, strict=True):
                entry.pk = pk
                entry._state.adding = False
                entry._state.db = connection.alias
