"""A per-process copy of the search index's positions and filter columns (ADR 0003).

"Help near me" is the commonest search. Answered from the database it costs two planned
queries over a latitude band of the position index; answered from this copy it costs a
look at the few grid cells around the place (docs/performance.md has the figures).

Freshness: every write to the index sets a new random ``IndexVersion`` in the same
transaction (``mend.search.index.new_version``). Each search reads that one row, and a
process whose copy has another version loads the index again before answering (about
half a second per 100,000 entries), so a search never answers from an older index than
the database holds. The copy holds nothing the index does not: hidden and on-request
locations are at their coarse grid positions here too.
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict
from dataclasses import dataclass
from uuid import UUID

from django.db import connection

from mend.search.codes import Codes
from mend.search.gazetteer import Circle
from mend.search.models import IndexVersion, SearchEntry

CELL_DEGREES = 0.25  # about 28 km north-south: a 40 km search reads 12 to 20 cells
LOAD_CHUNK = 10_000


@dataclass(frozen=True, slots=True)
class Row:
    """The columns of one ``SearchEntry`` that a place search filters and sorts on."""

    pk: int
    service_at_location_id: UUID | None
    latitude: float | None
    longitude: float | None
    remote: bool
    free: bool
    hours_id: int | None
    type_bits: int
    eligibility_bits: int
    accessibility_bits: int
    languages: str
    areas: str
    sort_name: str


COLUMNS = tuple(Row.__dataclass_fields__)


@dataclass(frozen=True)
class Snapshot:
    version: str
    cells: dict[tuple[int, int], list[Row]]  # located rows (not remote, with a position)
    remote: list[Row]  # phone and online services
    size: int

    def cells_over(self, south: float, north: float, west: float, east: float) -> list[list[Row]]:
        """The cells that cover the box (their rows are a superset of the box's)."""
        return [
            self.cells[(y, x)]
            for y in range(cell(south), cell(north) + 1)
            for x in range(cell(west), cell(east) + 1)
            if (y, x) in self.cells
        ]


@dataclass(frozen=True)
class Wanted:
    """What a place search asks for, in the terms of ``query.filtered``."""

    circle: Circle
    state: str  # remote services serving this state (or the whole country) come too
    include_remote: bool
    codes: Codes
    free: bool
    open_profiles: frozenset[int] | None  # None: any hours


def matches(snapshot: Snapshot, wanted: Wanted) -> list[tuple[Row, float | None]]:
    """Rows that pass every filter, each with its squared distance (None if remote)."""
    found: list[tuple[Row, float | None]] = []
    circle = wanted.circle
    south, north, west, east = circle.box()
    limit = circle.radius_km * circle.radius_km
    for rows in snapshot.cells_over(south, north, west, east):
        for row in rows:
            latitude, longitude = row.latitude or 0.0, row.longitude or 0.0  # never None here
            if south <= latitude <= north and west <= longitude <= east and _passes(row, wanted):
                d2 = circle.distance2(latitude, longitude)
                if d2 <= limit:
                    found.append((row, d2))
    if wanted.include_remote:
        here = (" US ", f" {wanted.state} ") if wanted.state else (" US ",)
        for row in snapshot.remote:
            serves = not row.areas or any(code in row.areas for code in here)
            if serves and _passes(row, wanted):
                found.append((row, None))
    return found


def _passes(row: Row, wanted: Wanted) -> bool:
    return (
        (not wanted.free or row.free)
        and (wanted.open_profiles is None or row.hours_id in wanted.open_profiles)
        and wanted.codes.accept(
            row.type_bits, row.eligibility_bits, row.accessibility_bits, row.languages
        )
    )


def cell(degrees: float) -> int:
    return math.floor(degrees / CELL_DEGREES)


_lock = threading.Lock()
_snapshot: Snapshot | None = None


def current() -> Snapshot:
    """The copy of the index as the database holds it now (loaded again if it changed)."""
    global _snapshot
    version = read_version()
    snapshot = _snapshot
    if snapshot is not None and snapshot.version == version:
        return snapshot
    with _lock:  # one load per process, whatever the number of threads
        if _snapshot is None or _snapshot.version != version:
            _snapshot = load(version)
        return _snapshot


def forget() -> None:
    """Drop this process's copy (tests; and when an entry it names has gone)."""
    global _snapshot
    with _lock:
        _snapshot = None


def read_version() -> str:
    # Plain SQL: this runs before every place search, and the ORM would triple its cost.
    table = connection.ops.quote_name(IndexVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {table} WHERE id = 1")  # noqa: S608
        found = cursor.fetchone()
    return str(found[0]) if found else ""


def load(version: str) -> Snapshot:
    cells: dict[tuple[int, int], list[Row]] = defaultdict(list)
    remote: list[Row] = []
    shared: dict[str, str] = {}  # one string object per distinct value, not one per row
    size = 0
    rows = SearchEntry.objects.order_by("pk").values_list(*COLUMNS)
    for values in rows.iterator(chunk_size=LOAD_CHUNK):
        *head, languages, areas, sort_name = values
        strings = (shared.setdefault(s, s) for s in (languages, areas, sort_name))
        row = Row(*head, *strings)
        size += 1
        if row.remote:
            remote.append(row)
        elif row.latitude is not None and row.longitude is not None:
            cells[(cell(row.latitude), cell(row.longitude))].append(row)
    return Snapshot(version, dict(cells), remote, size)
