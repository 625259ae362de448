"""The stored API documents: each entry's ``/service_at_locations`` list item, as JSON.

Rendered when the entry is built, so that the API sends a page of them as stored.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.db import connections
from ninja.responses import NinjaJSONEncoder

from mend.directory.models import Service, ServiceAtLocation
from mend.lib.replica import read_alias
from mend.search import hsds, nearby
from mend.search.models import SearchDocument, SearchEntry


def document(service: Service, sal: ServiceAtLocation) -> str:
    """The API's list item for ``sal``, rendered as the API renders it (ninja's encoder,
    None left out), so /service_at_locations can send it as stored."""
    sal.service = service  # already loaded, with its organization: no query per row
    out = hsds.ServiceAtLocationListOut.model_validate(sal).model_dump(exclude_none=True)
    return json.dumps(out, cls=NinjaJSONEncoder)


def documents_for(entry_ids: Sequence[int], *, version: str = "") -> list[str] | None:
    """The stored documents of these entries, in this order; rendered now for an entry
    that has none stored (indexed before documents were). Remote entries have none.

    With ``version`` (a search answered from an unverified copy of the index), the same
    query reads the index's version, and None means it differs: search again."""
    connection = connections[read_alias()]  # the replica inside a public read that chose it
    table = connection.ops.quote_name(SearchDocument._meta.db_table)
    marks = ", ".join(["%s"] * len(entry_ids))
    documents = f"SELECT entry_id, body FROM {table} WHERE entry_id IN ({marks})"  # noqa: S608
    parts = [documents] if marks else []
    if version:
        parts.append(nearby.version_sql("-1, value"))
    if not parts:
        return []
    # Plain SQL: it runs for every page of the API, where the ORM doubled its cost.
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), list(entry_ids))
        stored = dict(cursor.fetchall())
    if version and stored.pop(-1, "") != version:
        return None
    missing = [pk for pk in entry_ids if pk not in stored]
    if missing:
        stored |= _render_documents(missing)
    return [stored[pk] for pk in entry_ids if pk in stored]


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
