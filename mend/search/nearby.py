"""The search copy of every web process: a file mapped read-only and shared by all the
processes of a machine, plus the entries changed since it was written (ADR 0003, ADR 0018).

"Help near me" is the commonest search. Answered from the database it costs two planned
queries over a latitude band of the position index; answered here it costs a look at the
few grid cells around the place (docs/performance.md has the figures).

The file (``mend.search.searchfile``) holds the positions and filter columns of the index
at one ``IndexVersion``, as fixed-width arrays, with the grid cells as lists of rows. Each
search takes the database's version as this process knows it (``mend.search.version``: a
primary-key lookup, at most once each half second unless this process wrote). When it differs
from what this process answers from:

- a newer file written by another process on this machine is mapped;
- else the entries changed since the file's version are read from the change log
  (``mend.search.changes``: the entries removed, and the rows of those added, by
  primary key), an overlay merged at query time: an edit is searchable at the next
  search, without reloading anything;
- else (no file yet, a full rebuild, a cascade, too many changes) the database answers
  (``current`` returns None), and the file is written again, in the background in a web
  process, while one process of the machine holds the writer's lock.

So a search never answers from an older index than the database held half a second
before it began (or than this process's own last write). "The database" is
the one the search reads: the read replica only when it holds the version known to be
current (``mend.search.replica``), else the primary. The copy holds nothing the index
does not: hidden and on-request locations are at their coarse grid positions here too.
"""

from __future__ import annotations

import logging
import operator
import threading
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress
from typing import Any, Final

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from mend.lib.replica import read_alias
from mend.search import changes, native, searchfile
from mend.search import version as index_version
from mend.search.codes import Codes
from mend.search.gazetteer import KM_PER_DEGREE_LAT, Circle
from mend.search.models import SearchEntry
from mend.search.searchfile import (
    ALL_TYPES,
    FLAG_FREE,
    Refused,
    SearchFile,
    cell_keys,
    slots,
)

log = logging.getLogger(__name__)
LOAD_CHUNK = 500

# An entry changed since the file was written: a plain tuple of numbers, strings and None
# (which the garbage collector stops tracking), in the order of ``searchfile.COLUMNS``.
Row = tuple[int, float, float, bool, bool, int | None, int, int, int, str, str, str]
PK: Final = 0
LATITUDE: Final = 1
LONGITUDE: Final = 2
REMOTE: Final = 3
FREE: Final = 4
HOURS: Final = 5
TYPES: Final = 6
ELIGIBILITY: Final = 7
ACCESSIBILITY: Final = 8
LANGUAGES: Final = 9
AREAS: Final = 10
SORT_NAME: Final = 11

# A match: (entry pk, folded sort name, squared distance in km² or None for a remote
# service).
Match = tuple[int, str, float | None]


@dataclass(frozen=True)
class Snapshot:
    """The index at ``version``: the file's rows but ``removed``, and ``overlay``."""

    version: str
    file: SearchFile
    removed: frozenset[int] = frozenset()
    overlay: tuple[Row, ...] = ()

    @property
    def size(self) -> int:
        return self.file.size - len(self.removed) + len(self.overlay)


@dataclass(frozen=True)
class Wanted:
    """What a place search asks for, in the terms of ``database.filtered``."""

    circle: Circle
    state: str  # remote services serving this state (or the whole country) come too
    include_remote: bool
    codes: Codes
    free: bool
    open_profiles: frozenset[int] | None  # None: any hours
    box: tuple[float, float, float, float] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "box", self.circle.box())

    def serves(self, areas: str) -> bool:
        """Whether a remote service with these areas serves the place (as the SQL)."""
        if not areas or " US " in areas:
            return True
        return bool(self.state) and f" {self.state} " in areas


@dataclass
class Found:
    """The matches of a place search, not yet named: reading each one's folded name costs
    more than finding it, and a page by distance needs it only for its own rows
    (``memory``). A reference is a row number of the file, or a changed entry's ``Row``."""

    # Squared, of each located match. The file's rows and their distances come as arrays
    # (no Python object for each: ``_located``), a list when changed entries join them.
    distances: Sequence[float] = field(default_factory=list)
    located: Sequence[int | Row] = field(default_factory=list)
    remote: list[int | Row] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.located) + len(self.remote)


def matches(snapshot: Snapshot, wanted: Wanted) -> list[Match]:
    """Entries that pass every filter, each with its squared distance (None if remote)."""
    return named(snapshot.file, find(snapshot, wanted))


def named(f: SearchFile, found: Found) -> list[Match]:
    """Every match of ``found``, named: the located ones, then the remote ones."""
    located = zip(found.located, found.distances, strict=True)
    return [match_of(f, ref, d2) for ref, d2 in located] + [
        match_of(f, ref, None) for ref in found.remote
    ]


def pks(f: SearchFile, found: Found) -> list[int]:
    """The entries of ``found``, in its order (located, then remote)."""
    return _pks(f, found.located) + _pks(f, found.remote)


def _pks(f: SearchFile, refs: Sequence[int | Row]) -> list[int]:
    try:
        # Row numbers of the file only (the commonest: nothing changed nearby since it
        # was written): read by the column's own method, no Python code per row.
        return list(map(f.pk.__getitem__, refs))
    except TypeError:  # a changed entry's Row among them
        return [pk_of(f, ref) for ref in refs]


def pk_of(f: SearchFile, ref: int | Row) -> int:
    return f.pk[ref] if isinstance(ref, int) else ref[PK]


def only(found: Found, pks: list[int], keep: frozenset[int] | set[int]) -> Found:
    """The matches of ``found`` whose entry is in ``keep``, in their order; ``pks`` are
    their entries (``pks``)."""
    kept = list(map(keep.__contains__, pks))
    located, remote = kept[: len(found.located)], kept[len(found.located) :]
    return Found(
        distances=list(compress(found.distances, located)),
        located=list(compress(found.located, located)),
        remote=list(compress(found.remote, remote)),
    )


def find(snapshot: Snapshot, wanted: Wanted, having: Callable[[int], Any] | None = None) -> Found:
    """The entries that pass every filter: the file's (but those removed since) and the
    overlay's; of the file's, only the rows ``having`` passes when given (a search's
    words, ``wordlists.tester``: the overlay's are the caller's to check)."""
    f, found = snapshot.file, Found()
    located, distances = _located(f, wanted)
    rows: Sequence[int] = _kept(snapshot, wanted, located, types_known=True)
    if having is not None:
        rows = list(filter(having, rows))
    if len(rows) < len(located):  # some filtered out: their distances go too
        distance_of = dict(zip(located, distances, strict=True))
        distances = array("d", map(distance_of.__getitem__, rows))
    found.located = rows
    found.distances = distances
    if wanted.include_remote:
        remote = _remote(snapshot, wanted)
        found.remote = list(remote if having is None else filter(having, remote))
    _changed(snapshot, wanted, found)
    return found


def match_of(f: SearchFile, ref: int | Row, d2: float | None) -> Match:
    if isinstance(ref, int):
        return (f.pk[ref], f.string(f.sort_name[ref]), d2)
    return (ref[PK], ref[SORT_NAME], d2)


def _slots(wanted: Wanted) -> list[int]:
    return slots(wanted.codes.any_types) or [ALL_TYPES]


def _located(f: SearchFile, wanted: Wanted) -> tuple[array[int], array[float]]:
    """The rows of the cells that cover the circle's box, under the wanted types, that
    lie in the circle, and their squared distances, before any other filter: the hot
    loop of a place search (every row of those cells goes through it), in C when the
    module is built (``make setup``), else in Python; the two give the same rows in the
    same order with the same doubles (tests compare them). A row listed under two of the
    wanted types is kept once, at its first place. Arrays: no Python object is made for
    a row until a filter or the page reads it."""
    wanted_slots = _slots(wanted)
    keys = cell_keys(wanted.box, wanted_slots)
    if native.LOCATED is None:
        rows = chain.from_iterable(_cell_lists(f, keys))
        located, distances = located_in_python(f, rows, wanted)
    else:
        circle = wanted.circle
        limit = circle.radius_km * circle.radius_km
        centre = (circle.latitude, circle.longitude)
        shape = (*centre, KM_PER_DEGREE_LAT, circle.km_per_degree_lng, limit)
        sections = (f.keys, f.starts, f.members, f.member_points)
        found, found_d2 = native.LOCATED(*sections, f.size, keys, wanted.box, shape)
        located, distances = array("i", found), array("d", found_d2)
    if len(wanted_slots) == 1:  # each row is in one list of a cell, and in one cell
        return located, distances
    first = dict(zip(located, distances, strict=True))  # a key keeps its first place
    return array("i", first), array("d", first.values())


def _cell_lists(f: SearchFile, keys: list[int]) -> list[Any]:
    """The file's lists of rows (views, not copies) of these cell keys (those it has)."""
    starts, members = f.starts, f.members
    lists = []
    for key in keys:
        k = bisect_left(f.keys, key)
        if k < len(f.keys) and f.keys[k] == key:
            lists.append(members[starts[k] : starts[k + 1]])
    return lists


def located_in_python(
    f: SearchFile, rows: Iterable[int], wanted: Wanted
) -> tuple[array[int], array[float]]:
    """Those of ``rows`` (placed, not remote) in the circle, and their squared
    distances: ``_located``'s loop in Python (the lists chained in C by the caller), and
    the C module's reference. The distance is computed inline, with
    ``Circle.distance2``'s operations in its order (the same bits as the SQL's)."""
    circle = wanted.circle
    south, north, west, east = wanted.box
    limit = circle.radius_km * circle.radius_km
    centre_lat, centre_lng = circle.latitude, circle.longitude
    km_lat, km_lng = KM_PER_DEGREE_LAT, circle.km_per_degree_lng
    latitudes, longitudes = f.latitude, f.longitude
    inside, distances = array("i"), array("d")
    for i in rows:
        latitude = latitudes[i]
        if latitude < south or latitude > north:
            continue
        longitude = longitudes[i]
        if longitude < west or longitude > east:
            continue
        dy = (latitude - centre_lat) * km_lat
        dx = (longitude - centre_lng) * km_lng
        d2 = dy * dy + dx * dx
        if d2 <= limit:
            inside.append(i)
            distances.append(d2)
    return inside, distances


def _remote(snapshot: Snapshot, wanted: Wanted) -> Sequence[int]:
    """The file's remote rows that serve the place and pass every filter."""
    f = snapshot.file
    rows: list[int] = []
    for areas, start, end in f.remote_groups:
        if wanted.serves(areas):
            rows += f.remote[start:end]
    return _kept(snapshot, wanted, rows)


def _kept(
    snapshot: Snapshot, wanted: Wanted, rows: Sequence[int], types_known: bool = False
) -> Sequence[int]:
    """The rows of the file that pass the filters of ``wanted`` (as
    ``database.filtered``) and were not removed since it was written, in their order.
    One filter at a time over the whole list (the types first: they leave the fewest),
    each a chain of ``map`` over the columns' own methods, so that no Python code runs
    per row: a remote search at a million entries reads thousands of rows.
    ``types_known``: the rows come from the lists of the wanted types (so "any of these
    types" holds)."""
    f, codes = snapshot.file, wanted.codes
    if codes.any_types and not types_known:
        rows = _where(rows, f.types, codes.any_types.__and__)
    for mask, column in (
        (codes.all_types, f.types),
        (codes.eligibility, f.eligibility),
        (codes.accessibility, f.accessibility),
    ):
        if mask:  # all of the mask's bits
            rows = _where(rows, column, mask.__and__, mask.__eq__)
    if wanted.free:
        rows = _where(rows, f.flags, FLAG_FREE.__and__)
    if wanted.open_profiles is not None:
        rows = _where(rows, f.hours, wanted.open_profiles.__contains__)
    for code in codes.languages:
        # Few distinct language columns: each is decoded and asked about once.
        word = f" {code} "
        having = {n for n in set(map(f.languages.__getitem__, rows)) if word in f.short_string(n)}
        rows = _where(rows, f.languages, having.__contains__)
    if snapshot.removed:
        rows = _where(rows, f.pk, snapshot.removed.__contains__, operator.not_)
    return rows


def _where(rows: Sequence[int], column: Any, *tests: Callable[[Any], Any]) -> list[int]:
    """The rows whose value in ``column`` passes the tests, applied in turn (each to the
    last one's answer: ``mask.__and__`` then ``mask.__eq__``)."""
    values = map(column.__getitem__, rows)
    for test in tests:
        values = map(test, values)
    return list(compress(rows, values))


def _changed(snapshot: Snapshot, wanted: Wanted, found: Found) -> None:
    """Add the overlay's rows that match, each checked in full (they are few)."""
    circle = wanted.circle
    south, north, west, east = wanted.box
    limit = circle.radius_km * circle.radius_km
    located: list[Row] = []
    distances: list[float] = []
    for row in snapshot.overlay:
        if not _passes(row, wanted):
            continue
        if row[REMOTE]:
            if wanted.include_remote and wanted.serves(row[AREAS]):
                found.remote.append(row)
            continue
        latitude, longitude = row[LATITUDE], row[LONGITUDE]
        if south <= latitude <= north and west <= longitude <= east:
            d2 = circle.distance2(latitude, longitude)
            if d2 <= limit:
                located.append(row)
                distances.append(d2)
    if located:  # the file's arrays become lists that hold Rows too
        found.located = [*found.located, *located]
        found.distances = [*found.distances, *distances]


def _passes(row: Row, wanted: Wanted) -> bool:
    return (
        (not wanted.free or row[FREE])
        and (wanted.open_profiles is None or row[HOURS] in wanted.open_profiles)
        and wanted.codes.accept(row[TYPES], row[ELIGIBILITY], row[ACCESSIBILITY], row[LANGUAGES])
    )


# --- this process's state -------------------------------------------------------------------


@dataclass
class _State:
    file: SearchFile | None = None  # the file this process mapped last
    snapshot: Snapshot | None = None
    # (version, file identity) for which no snapshot could be made: not tried again
    # until either changes, so a process waiting for a new file does not ask at each search.
    failed: tuple[str, Any] | None = None
    writer: threading.Thread | None = None
    refused: tuple[int, int, int, int] | None = None  # the identity of a file refused


_lock = threading.Lock()
_state = _State()


def current() -> Snapshot | None:
    """The index as the database holds it now (``version.for_search``: as this process
    knows it, within half a second), or None when this process cannot answer from a file at
    that version yet (the caller asks the database)."""
    version = index_version.for_search()
    snapshot = _state.snapshot
    if snapshot is not None and snapshot.version == version:
        return snapshot
    with _lock:  # one refresh per process, whatever the number of threads
        return _refresh(version, read_alias(), write_now=not settings.SEARCH_FILE_IN_BACKGROUND)


def latest() -> Snapshot | None:
    """This process's copy as last made (made now if there is none), without asking the
    database whether it is current: the caller compares its ``version`` with the
    database's before answering (``documents.documents_for`` does, in its own query)."""
    snapshot = _state.snapshot
    return snapshot if snapshot is not None else current()


def answered_at(version: str) -> Snapshot | None:
    """This process's copy if it is at ``version`` (the one a search just answered from),
    else None."""
    snapshot = _state.snapshot
    return snapshot if snapshot is not None and snapshot.version == version else None


def warm() -> None:
    """Map the file now (a web process starting). If this machine has none at the current
    version, start writing it in the background (seconds to a minute at a million
    entries: longer than a worker may take to boot); the database answers meanwhile."""
    try:
        with _lock:
            background = settings.SEARCH_FILE_IN_BACKGROUND
            _refresh(
                index_version.read_version(DEFAULT_DB_ALIAS),
                DEFAULT_DB_ALIAS,
                write_now=not background,
            )
    except DatabaseError:  # not migrated yet, or the database is down: the first search tries
        log.warning("The search index was not loaded at start-up.", exc_info=True)


def forget() -> None:
    """Drop this process's copy and mapping, and the index version it learned; the next
    search maps the file again (tests)."""
    index_version.forget()
    with _lock:
        _state.file = None
        _state.snapshot = None
        _state.failed = None
        _state.refused = None


def load(version: str) -> Snapshot:
    """The file at ``version``, written now if this machine has none (benchmarks)."""
    with _lock:
        snapshot = _refresh(version, DEFAULT_DB_ALIAS, write_now=True)
    if snapshot is None:
        raise RuntimeError("the search file could not be written")
    return snapshot


def _refresh(version: str, alias: str, *, write_now: bool) -> Snapshot | None:
    snapshot = _snapshot_at(version, alias)
    if snapshot is None and write_now and _write(alias, wait=True):
        snapshot = _snapshot_at(version, alias)
    failed = (version, _state.file.identity if _state.file else None)
    if snapshot is None and _state.failed != failed:
        _state.failed = failed  # not tried again until the version or the file changes
        if not write_now:
            _write_in_background()
    _state.snapshot = snapshot
    return snapshot


def _snapshot_at(version: str, alias: str) -> Snapshot | None:
    file = _mapped()
    if file is None:
        return None
    if file.version == version:
        return Snapshot(version, file)
    if _state.failed == (version, file.identity):
        return None
    found = changes.since(file.version, version, alias)
    if found is None:
        return None
    overlay = _rows(found.added, alias)
    if len(overlay) != len(found.added):  # deleted behind the log's back: start again
        return None
    if found.size >= changes.REWRITE_AT and settings.SEARCH_FILE_IN_BACKGROUND:
        _write_in_background()
    return Snapshot(version, file, found.removed, overlay)


def _mapped() -> SearchFile | None:
    """The machine's file: mapped again if it was replaced since this process mapped it.
    A refused file (torn, old, foreign) is written again; until then the file this
    process mapped before, if any, goes on answering for its own version."""
    try:
        stat = searchfile.path().stat()
    except FileNotFoundError:
        return _state.file
    identity = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
    if _state.file is not None and _state.file.identity == identity:
        return _state.file
    if identity == _state.refused:  # checked once: its checksum is not read at every search
        return _state.file
    try:
        _state.file = searchfile.open_file()
    except Refused as error:
        log.warning("search file refused, it will be written again: %s", error)
        _state.refused = identity
    return _state.file


def _rows(pks: frozenset[int], alias: str) -> tuple[Row, ...]:
    rows: list[Row] = []
    ordered = sorted(pks)
    for start in range(0, len(ordered), LOAD_CHUNK):
        chunk = ordered[start : start + LOAD_CHUNK]
        found = SearchEntry.objects.using(alias).filter(pk__in=chunk)
        for pk, latitude, longitude, *rest in found.values_list(*searchfile.COLUMNS):
            rows.append((pk, latitude or 0.0, longitude or 0.0, *rest))
    return tuple(rows)


def _write(alias: str, *, wait: bool) -> bool:
    """Write the machine's file unless another process is writing it (or has written it
    for the current version); True if a file is there to map."""
    try:
        with searchfile.Writing(wait=wait) as lock:
            if not lock.held:
                return False
            if _version_on_disk() != index_version.read_version(alias):
                searchfile.write(alias)
            _state.failed = None
            return True
    except (OSError, RuntimeError, DatabaseError):
        log.exception("The search file could not be written; the database answers.")
        return False


def _version_on_disk() -> str | None:
    try:
        return searchfile.open_file().version
    except Refused:
        return None


def _write_in_background() -> None:
    """Write the file in a thread of its own (a web process: searches go on meanwhile,
    answered by the database), one at a time."""
    if _state.writer is not None and _state.writer.is_alive():
        return

    def run() -> None:
        try:
            _write(DEFAULT_DB_ALIAS, wait=False)
        finally:
            connections.close_all()  # this thread's own connections

    _state.writer = threading.Thread(target=run, name="search-file-writer", daemon=True)
    _state.writer.start()
