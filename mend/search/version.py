"""The index's version: read from a database, and known to this process.

Every index write renews ``IndexVersion`` in its own transaction (``index.new_version``),
so the version names one state of the whole index. A copy of the index (this machine's
search file and its overlay, ``mend.search.nearby``) answers a search only at the version
the primary holds, and a read replica is read only when it holds it
(``mend.search.replica``).

Asking the primary at every search costs a round trip: on PostgreSQL about 155 µs of CPU
on the two sides (83-86 µs in the web process, 72 in the server, measured in session 24:
docs/performance.md), the largest piece left of an API search then. So this process trusts
the version it last learned from the primary for KNOWN_FOR_SECONDS, half a second: within
the issue's freshness target ("a change to one service is searchable within a second")
with room for the search itself (ADR 0016, and ADR 0018, addendum 4):

- learned when it reads the primary's version (``known``, or a page's own check in
  ``documents.documents_for``), or when it commits an index write itself (``learn``, at
  commit: its own writes are searchable at once);
- never used inside a write's transaction, which must search what it wrote, nor for a
  read of the replica, which ``replica.choose_alias`` checks by itself.

Hence a change committed by another process is seen by every search that starts more than
KNOWN_FOR_SECONDS later, and the primary is asked at most twice a second per process while
nothing changes.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections

from mend.lib.replica import read_alias
from mend.search.models import IndexVersion

# How long the primary's version is trusted without asking again. Half a second: a search
# that began just before it ran out still ends within the second, and a busy web
# process asks one tiny query each half second instead of one a search.
KNOWN_FOR_SECONDS = 0.5


@dataclass
class _Known:
    version: str | None = None  # the primary's index version as last learned
    learned_at: float = float("-inf")


_known = _Known()
_lock = threading.Lock()
clock = time.monotonic  # what "now" is here (tests move it)


def version_sql(alias: str, columns: str = "value") -> str:
    """The statement that reads the index's version in ``alias`` (plain SQL: it runs for
    many searches, and the ORM would triple its cost); ``documents.documents_for`` joins it
    to its own."""
    table = connections[alias].ops.quote_name(IndexVersion._meta.db_table)
    return f"SELECT {columns} FROM {table} WHERE id = 1"  # noqa: S608


def read_version(alias: str | None = None) -> str:
    """The index's version in ``alias``; by default in the database this read reads
    (``mend.lib.replica.read_alias``: the replica inside a public read that chose it)."""
    alias = alias or read_alias()
    with connections[alias].cursor() as cursor:
        cursor.execute(version_sql(alias))
        found = cursor.fetchone()
    return str(found[0]) if found else ""


def known(now: float, *, refresh: bool = False) -> str:
    """The primary's index version, read again when older than KNOWN_FOR_SECONDS."""
    with _lock:
        found = None if refresh else _fresh(_known, now)
        if found is None:
            found = _known.version = read_version(DEFAULT_DB_ALIAS)
            _known.learned_at = now
        return found


def learn(version: str, now: float | None = None) -> None:
    """This process committed an index write, or read the primary's version in a query
    that began at ``now``: ``version`` was current then. Unless something was learned
    later meanwhile (a write this process committed while the query ran)."""
    now = clock() if now is None else now
    with _lock:
        if now >= _known.learned_at:
            _known.version = version
            _known.learned_at = now


def trusted(now: float | None = None) -> str | None:
    """The version a read starting now may take as current without asking, or None when
    it must ask: none learned within KNOWN_FOR_SECONDS, a read of the replica, or a read
    inside a write's transaction."""
    if not on_primary_outside_writes():
        return None
    return _fresh(_known, clock() if now is None else now)


def _fresh(known: _Known, now: float) -> str | None:
    """The version ``known`` holds, if it was learned at most KNOWN_FOR_SECONDS before."""
    return known.version if now - known.learned_at <= KNOWN_FOR_SECONDS else None


def for_search() -> str:
    """The version a search starting now answers at: the trusted one, else the database's
    (learned, when it is the primary's)."""
    if not on_primary_outside_writes():
        return read_version()
    return known(clock())


def on_primary_outside_writes() -> bool:
    """True when this read reads the primary, outside a write's transaction: a version
    learned from the primary says what it would read."""
    alias = read_alias()
    return alias == DEFAULT_DB_ALIAS and not connections[alias].in_atomic_block


def forget() -> None:
    """Forget the version this process learned (tests, between databases)."""
    global _known
    with _lock:
        _known = _Known()
