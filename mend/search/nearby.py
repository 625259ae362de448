"""A per-process copy of the search index's positions and filter columns (ADR 0003).

"Help near me" is the commonest search. Answered from the database it costs two planned
queries over a latitude band of the position index; answered from this copy it costs a
look at the few grid cells around the place (docs/performance.md has the figures).

Freshness: every write to the index sets a new random ``IndexVersion`` in the same
transaction (``mend.search.index.new_version``). Each search reads that one row, and a
process whose copy has another version loads the index again before answering (about
0.8 s per 100,000 entries; web processes also load it at start-up), so a search never
answers from an older index than the database holds. "The database" is the one the
search reads: the read replica only when it holds the version known to be current
(``mend.search.replica``), else the primary. The copy holds nothing the index does not:
hidden and on-request locations are at their coarse grid positions here too.
"""

from __future__ import annotations

import logging
import math
import threading
from collections import defaultdict
from dataclasses import dataclass
from typing import Final

from django.db import DatabaseError, connections

from mend.lib.replica import read_alias
from mend.search.codes import Codes
from mend.search.gazetteer import Circle
from mend.search.models import IndexVersion, SearchEntry

log = logging.getLogger(__name__)
CELL_DEGREES = 0.25  # about 28 km north-south: a 40 km search reads 12 to 20 cells
LOAD_CHUNK = 10_000


# One entry: a plain tuple of numbers, strings and None, never an object of a class of
# ours. Python's garbage collector stops tracking such tuples, so the copy (some 100,000
# rows) adds nothing to the collector's full passes, where instances would add 0.2 s each.
Row = tuple[int, str, float, float, bool, bool, int | None, int, int, int, str, str, str]
COLUMNS = (
    "pk",
    "service_at_location_id",  # as 32 hex digits ("" for none): a string, not a UUID
    "latitude",
    "longitude",
    "remote",
    "free",
    "hours_id",
    "type_bits",
    "eligibility_bits",
    "accessibility_bits",
    "languages",
    "areas",
    "sort_name",
)
PK: Final = 0
SERVICE_AT_LOCATION: Final = 1
LATITUDE: Final = 2
LONGITUDE: Final = 3
REMOTE: Final = 4
FREE: Final = 5
HOURS: Final = 6
TYPES: Final = 7
ELIGIBILITY: Final = 8
ACCESSIBILITY: Final = 9
LANGUAGES: Final = 10
AREAS: Final = 11
SORT_NAME: Final = 12


ALL_TYPES = 0  # the cell key of every row in a cell, whatever its service types


@dataclass(frozen=True)
class Snapshot:
    version: str
    # Located rows (not remote, with a position) by (cell y, cell x, type bit): once under
    # ALL_TYPES and once under each service type bit they have, so a search for a type
    # reads only the rows of that type (most searches name one).
    cells: dict[tuple[int, int, int], list[Row]]
    remote: list[Row]  # phone and online services
    size: int

    def cells_over(self, box: tuple[float, float, float, float], type_mask: int) -> list[list[Row]]:
        """The lists of rows in the cells that cover the box (south, north, west, east),
        of any type in ``type_mask`` (0: of every type): a superset of the matches, in
        which a row of two wanted types comes twice."""
        south, north, west, east = box
        keys = _bits(type_mask) or [ALL_TYPES]
        return [
            self.cells[(y, x, key)]
            for y in range(cell(south), cell(north) + 1)
            for x in range(cell(west), cell(east) + 1)
            for key in keys
            if (y, x, key) in self.cells
        ]


def _bits(mask: int) -> list[int]:
    return [1 << n for n in range(mask.bit_length()) if mask & (1 << n)]


@dataclass(frozen=True)
class Wanted:
    """What a place search asks for, in the terms of ``database.filtered``."""

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
    seen: set[int] = set()
    type_mask = wanted.codes.any_types
    several = len(_bits(type_mask)) > 1
    for rows in snapshot.cells_over((south, north, west, east), type_mask):
        for row in rows:
            latitude, longitude = row[LATITUDE], row[LONGITUDE]
            if south <= latitude <= north and west <= longitude <= east and _passes(row, wanted):
                d2 = circle.distance2(latitude, longitude)
                if d2 <= limit and not (several and _again(row[PK], seen)):
                    found.append((row, d2))
    if wanted.include_remote:
        here = (" US ", f" {wanted.state} ") if wanted.state else (" US ",)
        for row in snapshot.remote:
            areas = row[AREAS]
            serves = not areas or any(code in areas for code in here)
            if serves and _passes(row, wanted):
                found.append((row, None))
    return found


def _again(pk: int, seen: set[int]) -> bool:
    """Whether ``pk`` was seen before (and remember it)."""
    if pk in seen:
        return True
    seen.add(pk)
    return False


def _passes(row: Row, wanted: Wanted) -> bool:
    return (
        (not wanted.free or row[FREE])
        and (wanted.open_profiles is None or row[HOURS] in wanted.open_profiles)
        and wanted.codes.accept(row[TYPES], row[ELIGIBILITY], row[ACCESSIBILITY], row[LANGUAGES])
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


def latest() -> Snapshot:
    """This process's copy as last loaded (loaded now if there is none), without asking
    the database whether it is current: the caller compares its ``version`` with the
    database's before answering (``documents.documents_for`` does, in its own query)."""
    snapshot = _snapshot
    return snapshot if snapshot is not None else current()


def warm() -> None:
    """Load the copy now (a web process starting), so that no visitor waits for it."""
    try:
        current()
    except DatabaseError:  # not migrated yet, or the database is down: the first search loads it
        log.warning("The search index was not loaded at start-up.", exc_info=True)


def forget() -> None:
    """Drop this process's copy; the next search loads it again (tests use it)."""
    global _snapshot
    with _lock:
        _snapshot = None


def version_sql(columns: str = "value") -> str:
    """The statement that reads the index's version (plain SQL: it runs for every place
    search, and the ORM would triple its cost); ``documents.documents_for`` joins it to its own."""
    table = connections[read_alias()].ops.quote_name(IndexVersion._meta.db_table)
    return f"SELECT {columns} FROM {table} WHERE id = 1"  # noqa: S608


def read_version(alias: str | None = None) -> str:
    """The index's version in ``alias``; by default in the database this read reads
    (``mend.lib.replica.read_alias``: the replica inside a public read that chose it)."""
    with connections[alias or read_alias()].cursor() as cursor:
        cursor.execute(version_sql())
        found = cursor.fetchone()
    return str(found[0]) if found else ""


def load(version: str) -> Snapshot:
    cells: dict[tuple[int, int, int], list[Row]] = defaultdict(list)
    remote: list[Row] = []
    shared: dict[str, str] = {}  # one string object per distinct value, not one per row
    size = 0
    rows = SearchEntry.objects.order_by("pk").values_list(*COLUMNS)
    for pk, sal, latitude, longitude, *filters, languages, areas, sort_name in rows.iterator(
        chunk_size=LOAD_CHUNK
    ):
        strings = (shared.setdefault(s, s) for s in (languages, areas, sort_name))
        position = (latitude or 0.0, longitude or 0.0)  # remote rows are never placed
        row: Row = (pk, sal.hex if sal else "", *position, *filters, *strings)
        size += 1
        if row[REMOTE]:
            remote.append(row)
        elif latitude is not None and longitude is not None:
            y, x = cell(latitude), cell(longitude)
            for key in [ALL_TYPES, *_bits(row[TYPES])]:
                cells[(y, x, key)].append(row)
    return Snapshot(version, dict(cells), remote, size)
