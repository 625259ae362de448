"""The search copy as a file of fixed-width arrays that every web process maps read-only
(ADR 0018).

One file per machine (``settings.SEARCH_FILE_DIR``) holds what a place search reads of
every entry (position, filters, hours profile, folded name), and the grid cells of
``mend.search.nearby`` as lists of row numbers, so that a process maps it (``mmap``)
instead of building a copy of its own: the pages are the kernel's page cache,
shared by every process on the machine that maps them.

What it guarantees:

- A file is written whole or not at all: into a temporary file in the same folder, flushed
  to disk, then renamed over the old one. A process that mapped the old file keeps reading
  it (its inode lives on) until it maps the new one.
- A file is used only if it is exactly what this code writes: magic, format number, byte
  order, cell size, length, trailer and a CRC-32 of everything after the header. A torn,
  old-format or foreign file is refused (``Refused``) and written again; it never answers.
- It names the ``IndexVersion`` its rows were read at (read before and after the rows and
  their words, two statements that saw the same index when the two versions are equal):
  ``nearby`` uses it only for that version, or with the changes logged since
  (``mend.search.changes``).

It holds what the index holds and nothing more: hidden and on-request locations at their
coarse grid positions; of the text, only the words the full-text index stores, with the
rows that have each (``mend.search.wordlists``); and each entry's API document
(``SearchDocument``: the public list item the API sends, a withheld address left out as
there), so that a page of the API reads its 20 documents here instead of from the
database (``mend.search.documents``).
"""

from __future__ import annotations

import fcntl
import logging
import math
import mmap
import os
import struct
import tempfile
import zlib
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS

from mend.search import native, wordlists
from mend.search import version as index_version
from mend.search.models import SearchDocument, SearchEntry

log = logging.getLogger(__name__)

MAGIC = b"MENDSRCH"
TRAILER = b"MENDEND1"
FORMAT = 4  # raise when the layout changes: files of another format are refused
BYTE_ORDER = 0x01020304
CELL_DEGREES = 0.25  # about 28 km north-south: a 40 km search reads 12 to 20 cells
HEADER = struct.Struct("<8sII32sqqqqqqqqqqdI")
HEADER_SIZE = 256
FILE_NAME = "search-index.bin"
READ_CHUNK = 10_000
WRITE_CHUNK = 1 << 20
ALL_TYPES = 0  # the type slot of a cell's list of all its rows
TYPE_SLOTS = 64  # type bit n is slot n + 1

FLAG_REMOTE = 1
FLAG_FREE = 2
FLAG_PLACED = 4  # has a position (not remote)

COLUMNS = (
    "pk",
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

# The sections, in file order: (name, array type code, items per row or count name).
# 8-byte types first, so that each section starts aligned to its item size.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("pk", "q", "rows"),
    ("latitude", "d", "rows"),
    ("longitude", "d", "rows"),
    ("hours", "q", "rows"),
    ("keys", "q", "keys"),
    ("starts", "q", "keys+1"),
    ("string_starts", "q", "strings+1"),
    ("word_starts", "q", "words+1"),
    ("word_postings", "q", "words+1"),
    # Each member's position (latitude, longitude), beside its row number: the distance
    # loop reads the cells' lists in order instead of jumping to each row's position.
    ("member_points", "d", "members*2"),
    ("postings", "i", "postings"),
    ("types", "i", "rows"),
    ("eligibility", "i", "rows"),
    ("accessibility", "i", "rows"),
    ("languages", "i", "rows"),
    ("areas", "i", "rows"),
    ("sort_name", "i", "rows"),
    ("members", "i", "members"),
    ("remote", "i", "remote"),
    ("flags", "B", "rows"),
    ("blob", "B", "blob"),
    ("word_blob", "B", "word_blob"),
    # Last: the documents are streamed from the database while the file is written, so
    # their length is known only at the end (``_write_documents``).
    ("document_blob", "B", "documents"),
    ("document_starts", "q", "rows+1"),
)
STREAMED = -2  # the last two sections are written by _write_documents, not the builder


class Refused(Exception):
    """A file that is not a whole, current-format search file written by this code."""


def cell(degrees: float) -> int:
    return math.floor(degrees / CELL_DEGREES)


def cell_number(y: int, x: int) -> int:
    """One non-negative integer per (cell row, cell column)."""
    return (y + 2048) * 4096 + (x + 2048)


def cell_key(y: int, x: int, slot: int) -> int:
    """One sortable integer per (cell row, cell column, type slot)."""
    return cell_number(y, x) * TYPE_SLOTS + slot


def cell_keys(box: tuple[float, float, float, float], wanted_slots: list[int]) -> list[int]:
    """``cell_key(y, x, slot)`` of every cell that covers some of ``box`` (south, north,
    west, east) under each of ``wanted_slots``, by row, column, then slot: ascending, as
    the file's keys (a search looks for each from where it found the last). Each row's
    keys are counted on from its first cell's (a cell's key is its western neighbour's
    plus ``TYPE_SLOTS``): one call per row, not per cell."""
    south, north, west, east = box
    first = cell(west)
    across = range(0, (cell(east) - first + 1) * TYPE_SLOTS, TYPE_SLOTS)
    keys: list[int] = []
    for y in range(cell(south), cell(north) + 1):
        row = cell_key(y, first, 0)
        keys += [row + step + slot for step in across for slot in wanted_slots]
    return keys


def slots(type_bits: int) -> list[int]:
    return [n + 1 for n in range(type_bits.bit_length()) if type_bits & (1 << n)]


def directory() -> Path:
    """The folder of this machine's search file (``SEARCH_FILE_DIR``): no default in
    production, where the deploy checks refuse to start without it."""
    if not settings.SEARCH_FILE_DIR:
        raise ImproperlyConfigured("SEARCH_FILE_DIR must name a folder for the search file.")
    return Path(settings.SEARCH_FILE_DIR)


def path() -> Path:
    return directory() / FILE_NAME


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    rows: int
    keys: int
    members: int
    remote: int
    strings: int
    blob: int
    words: int = 0
    postings: int = 0
    word_blob: int = 0
    documents: int = 0  # bytes of the documents' blob

    def of(self, what: str) -> int:
        return {
            "rows": self.rows,
            "rows+1": self.rows + 1,
            "keys": self.keys,
            "keys+1": self.keys + 1,
            "strings+1": self.strings + 1,
            "members": self.members,
            "members*2": self.members * 2,
            "remote": self.remote,
            "blob": self.blob,
            "words+1": self.words + 1,
            "postings": self.postings,
            "word_blob": self.word_blob,
            "documents": self.documents,
        }[what]


def layout(counts: Counts) -> tuple[dict[str, tuple[int, int]], int]:
    """Each section's (offset, length in bytes), and the file's total length."""
    offset = HEADER_SIZE
    places = {}
    for name, code, what in SECTIONS:
        length = counts.of(what) * array(code).itemsize
        places[name] = (offset, length)
        offset += length + (-length % 8)
    return places, offset + len(TRAILER) + 32


class SearchFile:
    """A mapped search file: its version, and each section as a typed memoryview."""

    def __init__(self, file_path: Path) -> None:
        with open(file_path, "rb") as handle:
            stat = os.fstat(handle.fileno())
            head = handle.read(HEADER_SIZE)
            self.counts, self.version, crc = _check_header(head)
            places, total = layout(self.counts)
            if stat.st_size != total:
                raise Refused(f"{stat.st_size} bytes, not {total}: torn or foreign")
            _check_body(handle, total, crc, self.version)
            self.identity = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        whole = memoryview(self._map)
        views = {}
        for name, code, _ in SECTIONS:
            offset, length = places[name]
            views[name] = whole[offset : offset + length].cast(code)  # type: ignore[call-overload]
        self.pk: Any = views["pk"]
        self.latitude: Any = views["latitude"]
        self.longitude: Any = views["longitude"]
        self.hours: Any = views["hours"]
        self.keys: Any = views["keys"]
        self.starts: Any = views["starts"]
        self.types: Any = views["types"]
        self.eligibility: Any = views["eligibility"]
        self.accessibility: Any = views["accessibility"]
        self.languages: Any = views["languages"]
        self.areas: Any = views["areas"]
        self.sort_name: Any = views["sort_name"]
        self.members: Any = views["members"]
        self.member_points: Any = views["member_points"]
        self.remote: Any = views["remote"]
        self.flags: Any = views["flags"]
        self._string_starts: Any = views["string_starts"]
        self._blob: Any = views["blob"]
        self.word_starts: Any = views["word_starts"]
        self.word_postings: Any = views["word_postings"]
        self.postings: Any = views["postings"]
        self.word_blob: Any = views["word_blob"]
        self._document_blob: Any = views["document_blob"]
        self._document_starts: Any = views["document_starts"]
        self.word_bits: dict[tuple[str, bool], int] = {}  # wordlists.rows_with's memo
        self._strings: dict[int, str] = {}  # the few distinct language and area columns
        self.remote_groups = self._remote_groups()

    def _remote_groups(self) -> list[tuple[str, int, int]]:
        """(areas, start, end) of each run of remote rows with the same areas."""
        groups: list[tuple[str, int, int]] = []
        start = 0
        for n in range(1, len(self.remote) + 1):
            if (
                n == len(self.remote)
                or self.areas[self.remote[n]] != self.areas[self.remote[start]]
            ):
                groups.append((self.short_string(self.areas[self.remote[start]]), start, n))
                start = n
        return groups

    @property
    def size(self) -> int:
        return self.counts.rows

    def string(self, n: int) -> str:
        return str(self._blob[self._string_starts[n] : self._string_starts[n + 1]], "utf-8")

    def document(self, n: int) -> str | None:
        """Row ``n``'s stored API document, or None if it has none (a remote entry, or
        one indexed before documents were: the database renders it)."""
        start, end = self._document_starts[n], self._document_starts[n + 1]
        return str(self._document_blob[start:end], "utf-8") if end > start else None

    def documents_of(self, pks: Sequence[int]) -> list[str | None]:
        """The document of the row of each entry id (None: no such row, or no document);
        in C when it is built (``native``), else ``documents_in_python``."""
        if native.DOCUMENTS is None:
            return self.documents_in_python(pks)
        return native.DOCUMENTS(self.pk, self._document_starts, self._document_blob, pks)

    def nearest(
        self, located: Sequence[Any], distances: Sequence[float], offset: int, end: int
    ) -> list[tuple[int, str, float | None]] | None:
        """Rows ``offset`` to ``end`` of ``located`` (with their squared ``distances``) as
        (entry id, sort name, distance), ordered by distance, then name, then id: in C
        (``native``). None when the module is not built, or when a row is a changed
        entry's ``Row`` rather than a row of this file: the caller's Python answers then
        (``memory._nearest_in_python``, the reference)."""
        if native.NEAREST is None:
            return None
        sections = (self.pk, self.sort_name, self._string_starts, self._blob)
        return native.NEAREST(*sections, located, distances, offset, end)

    def documents_in_python(self, pks: Sequence[int]) -> list[str | None]:
        found: list[str | None] = []
        for pk in pks:
            n = bisect_left(self.pk, pk)
            found.append(self.document(n) if n < self.size and self.pk[n] == pk else None)
        return found

    def short_string(self, n: int) -> str:
        """A string of a column with few distinct values (languages, areas), kept decoded."""
        found = self._strings.get(n)
        if found is None:
            found = self._strings[n] = self.string(n)
        return found


def _check_header(head: bytes) -> tuple[Counts, str, int]:
    if len(head) < HEADER_SIZE:
        raise Refused("shorter than its header")
    magic, form, order, version, *numbers, degrees, crc = HEADER.unpack_from(head)
    if magic != MAGIC:
        raise Refused("not a search file")
    if form != FORMAT or order != BYTE_ORDER or degrees != CELL_DEGREES:
        raise Refused(f"format {form}, byte order {order:#x}, cells of {degrees}°")
    counts = Counts(*numbers)
    if min(numbers) < 0:
        raise Refused("negative counts")
    return counts, version.rstrip(b"\0").decode("ascii", "replace"), crc


def _check_body(handle: Any, total: int, crc: int, version: str) -> None:
    """The CRC of everything after the header, read (not mapped: this process's memory
    does not grow by the file), and the trailer that only a finished write adds."""
    running = 0
    remaining = total - HEADER_SIZE - len(TRAILER) - 32
    while remaining > 0:
        chunk = handle.read(min(remaining, 1 << 20))
        if not chunk:
            raise Refused("ends early")
        running = zlib.crc32(chunk, running)
        remaining -= len(chunk)
    if running != crc:
        raise Refused("checksum does not match: torn or altered")
    if handle.read() != TRAILER + version.encode("ascii").ljust(32, b"\0"):
        raise Refused("no trailer: the write did not finish")


def open_file(file_path: Path | None = None) -> SearchFile:
    """Map the file (``Refused`` if it is missing, torn, old or foreign)."""
    try:
        return SearchFile(file_path or path())
    except OSError as error:
        raise Refused(str(error)) from None
    except (struct.error, ValueError, TypeError) as error:
        raise Refused(f"unreadable: {error}") from None


# --- writing --------------------------------------------------------------------------------


class _Builder:
    """The columns of the file, filled row by row in primary-key order."""

    def __init__(self) -> None:
        self.pk = array("q")
        self.latitude = array("d")
        self.longitude = array("d")
        self.hours = array("q")
        self.types = array("i")
        self.eligibility = array("i")
        self.accessibility = array("i")
        self.languages = array("i")
        self.areas = array("i")
        self.sort_name = array("i")
        self.flags = array("B")
        self.remote = array("i")
        self.cells: dict[int, array[int]] = defaultdict(lambda: array("i"))
        self.strings: dict[str, int] = {}
        self.words = wordlists.Builder()

    def string(self, value: str) -> int:
        found = self.strings.get(value)
        if found is None:
            found = self.strings[value] = len(self.strings)
        return found

    def add(self, row: tuple[Any, ...]) -> None:
        pk, latitude, longitude, remote, free, hours, types, eligible, access = row[:9]
        languages, areas, sort_name = row[9:]
        n = len(self.pk)
        placed = not remote and latitude is not None and longitude is not None
        self.pk.append(pk)
        self.latitude.append(latitude if placed else 0.0)
        self.longitude.append(longitude if placed else 0.0)
        self.hours.append(-1 if hours is None else hours)
        self.types.append(types)
        self.eligibility.append(eligible)
        self.accessibility.append(access)
        self.languages.append(self.string(languages))
        self.areas.append(self.string(areas))
        self.sort_name.append(self.string(sort_name))
        flags = (FLAG_REMOTE if remote else 0) | (FLAG_FREE if free else 0)
        self.flags.append(flags | (FLAG_PLACED if placed else 0))
        if remote:
            self.remote.append(n)
        elif placed:
            y, x = cell(latitude), cell(longitude)
            for slot in [ALL_TYPES, *slots(types)]:
                self.cells[cell_key(y, x, slot)].append(n)

    def sections(self) -> Iterator[tuple[str, bytes]]:
        # Remote rows grouped by their areas column: a search reads only the groups that
        # serve its state (SearchFile.remote_groups).
        self.remote = array("i", sorted(self.remote, key=lambda n: (self.areas[n], n)))
        keys = array("q", sorted(self.cells))
        starts, members = array("q", [0]), array("i")
        for key in keys:
            members.extend(self.cells[key])
            starts.append(len(members))
        points = array("d", [0.0]) * (2 * len(members))
        points[0::2] = array("d", map(self.latitude.__getitem__, members))
        points[1::2] = array("d", map(self.longitude.__getitem__, members))
        blob, string_starts = bytearray(), array("q", [0])
        for value in self.strings:  # in id order: dicts keep insertion order
            blob += value.encode("utf-8")
            string_starts.append(len(blob))
        words = self.words.encoded(len(self.pk))
        columns: dict[str, Any] = {
            **{name: getattr(self, name) for name, _, _ in SECTIONS if hasattr(self, name)},
            "keys": keys,
            "starts": starts,
            "members": members,
            "member_points": points,
            "string_starts": string_starts,
            "blob": blob,
            "word_starts": words.starts,
            "word_postings": words.postings_at,
            "postings": words.postings,
            "word_blob": words.blob,
        }
        for name, _, _ in SECTIONS[:STREAMED]:
            yield name, bytes(columns[name])

    def counts(self) -> Counts:
        members = sum(len(rows) for rows in self.cells.values())
        blob = sum(len(value.encode("utf-8")) for value in self.strings)
        words = self.words.encoded(len(self.pk))
        return Counts(
            len(self.pk),
            len(self.cells),
            members,
            len(self.remote),
            len(self.strings),
            blob,
            len(words.starts) - 1,
            len(words.postings),
            len(words.blob),
        )


def entry_rows(alias: str = DEFAULT_DB_ALIAS) -> Iterable[tuple[Any, ...]]:
    rows = SearchEntry.objects.using(alias).order_by("pk").values_list(*COLUMNS)
    return rows.iterator(chunk_size=READ_CHUNK)


def read_rows(alias: str = DEFAULT_DB_ALIAS) -> tuple[str, _Builder]:
    """The index's version, then every entry and its words. ``write`` reads the version
    again once the documents are read too: one check covers everything the file holds
    (every index write changes the version)."""
    version = index_version.read_version(alias)
    builder = _Builder()
    for row in entry_rows(alias):
        builder.add(row)
    wordlists.add_documents(builder.words, builder.pk, wordlists.documents(alias))
    return version, builder


def write(alias: str = DEFAULT_DB_ALIAS, folder: Path | None = None, attempts: int = 3) -> str:
    """Write the file for the index as it is now (temporary file, flush, rename); returns
    the version written. The version is read before the rows and again after the
    documents: an index write committed in between makes it start again."""
    folder = folder or directory()
    folder.mkdir(parents=True, exist_ok=True)
    for _ in range(attempts):
        version, builder = read_rows(alias)
        handle = tempfile.NamedTemporaryFile(dir=folder, prefix=".writing-", delete=False)  # noqa: SIM115
        try:
            with handle:
                counts = _write_body(handle, builder, version, alias)
            if index_version.read_version(alias) != version:
                Path(handle.name).unlink()
                continue
            os.chmod(handle.name, 0o644)
            os.replace(handle.name, folder / FILE_NAME)
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise
        _sync_folder(folder)
        log.info("search file written: %s entries, version %s", counts.rows, version)
        return version
    raise RuntimeError("the index kept changing while its file was written")


def _write_body(handle: Any, builder: _Builder, version: str, alias: str) -> Counts:
    """Header, sections, documents and trailer, flushed to disk."""
    handle.write(bytes(HEADER_SIZE))
    crc = 0
    fixed = builder.counts()
    places, _ = layout(fixed)
    for name, data in builder.sections():
        offset, length = places[name]
        assert handle.tell() == offset, name
        assert len(data) == length, name
        crc = _padded(handle, data, crc)
    assert handle.tell() == places["document_blob"][0]
    size, starts, crc = _write_documents(handle, builder.pk, documents(alias), crc)
    counts = replace(fixed, documents=size)
    places, total = layout(counts)
    crc = _padded(handle, b"", crc, length=size)
    assert handle.tell() == places["document_starts"][0]
    crc = _padded(handle, bytes(starts), crc)
    handle.write(TRAILER + version.encode("ascii").ljust(32, b"\0")[:32])
    assert handle.tell() == total
    handle.seek(0)
    numbers = _numbers(counts)
    head = HEADER.pack(
        MAGIC, FORMAT, BYTE_ORDER, version.encode("ascii"), *numbers, CELL_DEGREES, crc
    )
    handle.write(head.ljust(HEADER_SIZE, b"\0"))
    handle.flush()
    os.fsync(handle.fileno())
    return counts


def _padded(handle: Any, data: bytes, crc: int, length: int | None = None) -> int:
    """Write ``data`` and the zeros that bring a section of ``length`` bytes (by default
    ``data``'s) to a multiple of 8; the running CRC of what was written."""
    padded = data + bytes(-(len(data) if length is None else length) % 8)
    handle.write(padded)
    return zlib.crc32(padded, crc)


def documents(alias: str = DEFAULT_DB_ALIAS) -> Iterable[tuple[int, str]]:
    """Every stored document, by entry, in entry order (streamed, not held)."""
    rows = SearchDocument.objects.using(alias).order_by("entry_id")
    return rows.values_list("entry_id", "body").iterator(chunk_size=READ_CHUNK)


def _write_documents(
    handle: Any, pks: array[int], stored: Iterable[tuple[int, str]], crc: int
) -> tuple[int, array[int], int]:
    """Each row's document (none for a row without one), in row order, written as they
    are read: (the blob's length, each row's start in it and the end, the running CRC)."""
    starts, size, chunk = array("q", [0]), 0, bytearray()
    found = iter(stored)
    pending = next(found, None)
    for pk in pks:
        while pending is not None and pending[0] < pk:  # a document of no entry: not kept
            pending = next(found, None)
        if pending is not None and pending[0] == pk:
            chunk += pending[1].encode("utf-8")
            pending = next(found, None)
        starts.append(size + len(chunk))
        if len(chunk) >= WRITE_CHUNK:
            handle.write(chunk)
            crc, size = zlib.crc32(chunk, crc), size + len(chunk)
            chunk.clear()
    handle.write(chunk)
    return size + len(chunk), starts, zlib.crc32(chunk, crc)


def _numbers(counts: Counts) -> tuple[int, ...]:
    return astuple(counts)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Writing:
    """The machine-wide lock of the writer (``flock`` on a file beside the search file):
    one process writes, the others go on answering as before."""

    def __init__(self, wait: bool) -> None:
        self.wait = wait
        self.held = False
        self._fd = -1

    def __enter__(self) -> Writing:
        directory().mkdir(parents=True, exist_ok=True)
        self._fd = os.open(directory() / ".writing.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | (0 if self.wait else fcntl.LOCK_NB))
            self.held = True
        except BlockingIOError:
            self.held = False
        return self

    def __exit__(self, *exc: object) -> None:
        if self.held:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
