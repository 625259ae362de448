"""The stored API documents: each entry's ``/service_at_locations`` list item, as JSON.

Rendered when the entry is built, so that the API sends a page of them as stored.

What is guaranteed: ``document()`` gives, byte for byte, what the API's schema
(``hsds.ServiceAtLocationListOut``, validated from the records and dumped without None)
gives through ninja's encoder: it reads the same fields, in the same order, through the
schema's own resolvers (so a hidden address stays withheld), and leaves out blank optional
text as the schema does. It walks a plan made from the schema's fields once, instead of
validating each record (the validation was half of a full rebuild's time); a field of a
type the plan cannot copy as it is makes the module refuse to load, so the two cannot
quietly drift apart.
"""

from __future__ import annotations

import functools
import operator
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Union, cast, get_args, get_origin
from uuid import UUID

from django.db import connections
from ninja.responses import NinjaJSONEncoder

from mend.directory.models import Service, ServiceAtLocation
from mend.lib.replica import read_alias
from mend.search import hsds, nearby
from mend.search import version as index_version
from mend.search.models import SearchDocument, SearchEntry

# Types whose values the schema keeps as the model holds them (float also takes an int).
PLAIN_TYPES = (UUID, str, int, float, bool, date, datetime)


@dataclass(frozen=True)
class Slot:
    """How to copy one schema field: read it, leave out blank optional text, nest."""

    name: str
    read: Callable[[Any], Any]
    blank_is_absent: bool
    as_float: bool
    nested: tuple[Slot, ...] | None
    as_text: bool = False  # a UUID, written as the encoder writes it (str), up front


def plan(schema: type[hsds.Out]) -> tuple[Slot, ...]:
    """The schema's fields in its order, read as its resolvers (or attributes) read them."""
    slots = []
    for name, info in schema.model_fields.items():
        kinds = [k for k in get_args(info.annotation) if k is not type(None)]
        if get_origin(info.annotation) not in (Union, types.UnionType):
            kinds = [info.annotation]
        if len(kinds) != 1 or not isinstance(kinds[0], type):
            raise TypeError(f"{schema.__name__}.{name}: cannot copy {info.annotation}")
        kind = kinds[0]
        nested = plan(kind) if issubclass(kind, hsds.Out) else None
        if nested is None and (kind not in PLAIN_TYPES or info.metadata):
            raise TypeError(f"{schema.__name__}.{name}: cannot copy {info.annotation}")
        resolver = getattr(schema, f"resolve_{name}", None)
        read = resolver if resolver is not None else _attribute(name)
        optional = not info.is_required()
        slots.append(Slot(name, read, optional, kind is float, nested, kind is UUID))
    return tuple(slots)


def _attribute(name: str) -> Callable[[Any], Any]:
    return operator.attrgetter(name)


def render(slots: tuple[Slot, ...], obj: Any) -> dict[str, Any]:
    """What ``model_validate(obj).model_dump(exclude_none=True)`` gives, for a plan."""
    out: dict[str, Any] = {}
    for slot in slots:
        value = slot.read(obj)
        if value is None or (value == "" and slot.blank_is_absent):
            continue
        if slot.nested is not None:
            value = render(slot.nested, value)
        elif slot.as_float and type(value) is int:
            value = float(value)
        elif slot.as_text and type(value) is UUID:
            # What the encoder would write (``Encoder.default``), without its call back
            # into Python for every id.
            value = str(value)
        out[slot.name] = value
    return out


LIST_ITEM = plan(hsds.ServiceAtLocationListOut)


class Encoder(NinjaJSONEncoder):
    """Ninja's encoder, asked first whether a value is a UUID (most of the values it is
    given are), which it would answer with ``str()`` after a chain of other checks."""

    def default(self, o: Any) -> Any:
        if type(o) is UUID:
            return str(o)
        return super().default(o)


ENCODER = Encoder()  # what json.dumps(..., cls=NinjaJSONEncoder) makes for every call


def document(service: Service, sal: ServiceAtLocation) -> str:
    """The API's list item for ``sal``, rendered as the API renders it (ninja's encoder,
    None left out), so /service_at_locations can send it as stored."""
    sal.service = service  # already loaded, with its organization: no query per row
    return ENCODER.encode(render(LIST_ITEM, sal))


def documents_for(entry_ids: Sequence[int], *, version: str = "") -> list[str] | None:
    """The stored documents of these entries, in this order; rendered now for an entry
    that has none stored (indexed before documents were). Remote entries have none.

    With ``version`` (a search answered from an unverified copy of the index), the
    documents come from the search file of that copy where it holds them (an entry
    unchanged since the file was written), the rest from the database; and unless this
    process knows the current version (``mend.search.version.trusted``), the same query
    reads it. None means the copy is not current: search again."""
    if not entry_ids and not version:
        return []
    known = index_version.trusted() if version else None
    if known is not None and known != version:
        return None
    bodies = in_file(entry_ids, nearby.answered_at(version) if version else None)
    if known is not None and None not in bodies:  # the commonest page: all in the file
        return cast(list[str], bodies)
    stored = {pk: body for pk, body in zip(entry_ids, bodies, strict=True) if body is not None}
    rest = [pk for pk in entry_ids if pk not in stored]
    check = bool(version) and known is None
    asked_at = index_version.clock()
    if rest or check:
        stored |= _stored(rest, check)
    if check and not _is_current(stored.pop(-1, ""), version, asked_at):
        return None
    missing = [pk for pk in entry_ids if pk not in stored]
    if missing:
        stored |= _render_documents(missing)
    return [stored[pk] for pk in entry_ids if pk in stored]


def _stored(entry_ids: list[int], with_version: bool) -> dict[int, str]:
    """The stored documents of these entries, and the index's version under the key -1."""
    alias = read_alias()  # the replica inside a public read that chose it
    # Plain SQL: it runs for every page of the API, where the ORM doubled its cost.
    with connections[alias].cursor() as cursor:
        cursor.execute(_documents_sql(alias, len(entry_ids), with_version), entry_ids)
        return dict(cursor.fetchall())


def _is_current(found: str, version: str, asked_at: float) -> bool:
    """Whether ``found``, the version the page's query read, is ``version``; learned as
    the primary's version at ``asked_at`` when it was read from the primary."""
    if index_version.on_primary_outside_writes():
        index_version.learn(found, asked_at)
    return found == version


def in_file(entry_ids: Sequence[int], snapshot: nearby.Snapshot | None) -> list[str | None]:
    """For each of these entries, the document the snapshot's file holds, or None: none
    when the entry is no longer in the index as the file has it (removed since; an entry
    id is never reused, so a changed entry is another id, in the overlay, whose document
    the database holds)."""
    if snapshot is None:
        return [None] * len(entry_ids)
    bodies = snapshot.file.documents_of(entry_ids)
    if snapshot.removed.isdisjoint(entry_ids):  # the commonest: nothing removed nearby
        return bodies
    return [
        None if pk in snapshot.removed else body for pk, body in zip(entry_ids, bodies, strict=True)
    ]


@functools.lru_cache(maxsize=256)
def _documents_sql(alias: str, count: int, with_version: bool) -> str:
    """The statement of ``documents_for`` (made once per page size, not per request)."""
    table = connections[alias].ops.quote_name(SearchDocument._meta.db_table)
    marks = ", ".join(["%s"] * count)
    documents = f"SELECT entry_id, body FROM {table} WHERE entry_id IN ({marks})"  # noqa: S608
    parts = [documents] if count else []
    if with_version:
        parts.append(index_version.version_sql(alias, "-1, value"))
    return " UNION ALL ".join(parts)


def _render_documents(entry_ids: list[int]) -> dict[int, str]:
    entries = SearchEntry.objects.filter(pk__in=entry_ids, service_at_location__isnull=False)
    entries = entries.select_related(
        "service_at_location__location", "service_at_location__service__organization"
    )
    return {
        e.pk: document(e.service_at_location.service, e.service_at_location)
        for e in entries
        if e.service_at_location is not None
    }
