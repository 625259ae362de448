"""The log of changes to some services' index rows, read to bring a search file up to date
(ADR 0018).

A search file (``mend.search.searchfile``) is the index at one version. Rewriting it for
each edit would take seconds at a million entries, so a write to some services' rows logs
which entries it removed and added (``IndexChange``), with the version it replaced: a
process whose file is at version F and whose database is at version V walks the log back
from V to F, and reads the entries added since (a primary-key lookup each) and the set of
entries removed since. That is the overlay ``mend.search.nearby`` merges at query time.

What it guarantees: an overlay is returned only if every version from F to V has its
header in the log (writes are serialised on the version row, so the headers form one
chain); anything else (a full rebuild, a cascade from a deleted service, a log trimmed
past F, too many changes) gives None, and the caller answers from the database and writes
the file again. Entry ids are never reused (autoincrement on both databases), so "removed"
and "added" are sets, whatever their order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from mend.search.models import IndexChange, IndexVersion, SearchEntry

MAX_CHAIN = 500  # versions an overlay may span: beyond it the file is written again
MAX_OVERLAY = 20_000  # entries an overlay may hold (each a tuple in every process)
REWRITE_AT = 2_000  # overlay entries from which the file is written again, in the background
KEEP_FOR = timedelta(days=1)  # a file older than this has its chain trimmed away


@dataclass(frozen=True)
class Changes:
    removed: frozenset[int]
    added: frozenset[int]

    @property
    def size(self) -> int:
        return len(self.removed) + len(self.added)


def begin() -> str:
    """Lock the version row for the rest of the transaction (every logged write waits
    for the one before it to commit) and return the version this write replaces."""
    found = IndexVersion.objects.select_for_update().filter(pk=1).values_list("value", flat=True)
    return next(iter(found), "")


def entries_of(service_ids: Sequence[UUID]) -> list[int]:
    return list(SearchEntry.objects.filter(service_id__in=service_ids).values_list("pk", flat=True))


def record(version: str, previous: str, removed: Iterable[int], added: Iterable[int]) -> None:
    """Log one write: its header, then an entry per removed and added entry. Stamped
    with the real clock: the log's age decides only when it is trimmed, here (a search
    never writes)."""
    now = timezone.now()
    trim(now)
    rows = [IndexChange(version=version, previous=previous, at=now)]
    rows += [IndexChange(version=version, entry_id=pk, added=False, at=now) for pk in removed]
    rows += [IndexChange(version=version, entry_id=pk, added=True, at=now) for pk in added]
    IndexChange.objects.bulk_create(rows, batch_size=900)


def forget_all() -> None:
    """A full rebuild: no file can catch up with it, so no log is needed."""
    IndexChange.objects.all().delete()


def trim(now: datetime) -> int:
    """Drop log rows older than KEEP_FOR (a process whose file is older writes it again)."""
    deleted, _ = IndexChange.objects.filter(at__lt=now - KEEP_FOR).delete()
    return deleted


def chain(base: str, head: str, alias: str = DEFAULT_DB_ALIAS) -> list[str] | None:
    """The versions after ``base`` up to ``head``, newest first; None if the log cannot
    tell (a version without a header, or too long a chain)."""
    headers = IndexChange.objects.using(alias).filter(entry_id__isnull=True)
    previous = dict(headers.values_list("version", "previous"))
    versions: list[str] = []
    at = head
    while at != base:
        if at not in previous or len(versions) >= MAX_CHAIN:
            return None
        versions.append(at)
        at = previous[at]
    return versions


def since(base: str, head: str, alias: str = DEFAULT_DB_ALIAS) -> Changes | None:
    """What changed between the file's version ``base`` and ``head``; None when the
    log cannot say, or when it is more than MAX_OVERLAY entries."""
    versions = chain(base, head, alias)
    if versions is None:
        return None
    removed: set[int] = set()
    added: set[int] = set()
    logged = IndexChange.objects.using(alias).filter(version__in=versions, entry_id__isnull=False)
    for pk, was_added in logged.values_list("entry_id", "added"):
        assert pk is not None
        (added if was_added else removed).add(pk)
        if len(removed) + len(added) > MAX_OVERLAY:
            return None
    return Changes(removed=frozenset(removed), added=frozenset(added - removed))
