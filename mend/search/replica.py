"""The lag rule: a public read answers from the replica only if it holds the current index.

Searches and the public directory's reads (``public_read``; the allow-list is in
``mend.lib.replica.ReplicaRouter``) may read a PostgreSQL streaming replica
(``DATABASE_REPLICA_URL``). Before each one, ``choose_alias`` compares the replica's
``IndexVersion`` with the version this process knows to be current on the primary, and
picks the replica only when they are equal; otherwise the primary answers.

Why versions, not WAL positions: ``IndexVersion`` is renewed in the transaction of every
index write (``mend.search.index.new_version``, and on delete
``models.cascade_renewing_version``), and a hot standby shows a transaction whole or not
at all, in commit order. So "the replica shows version V" means exactly "every index
write up to V's, and every directory write committed before it, has been replayed".
A WAL position recorded inside the writing transaction would precede its own commit
record, and so would not prove that.

The guarantee, precisely: a public read never answers from a replica whose index is older
than the version this process knows to be current on the primary
(``mend.search.version``: read from the primary at most KNOWN_FOR_SECONDS ago, or an
index write this process committed itself). Hence a change committed anywhere is seen by
every search that starts more than KNOWN_FOR_SECONDS later, replica or not; the primary
is asked for its version at most once per KNOWN_FOR_SECONDS per process, not once a search.

What it does not cover: directory writes that do not renew the index version (none of
Mend's own do: every change is announced and re-indexed in its transaction), and the
daily opening-hours refresh (``index.refresh_hours``), which a replica may show up to one
replication delay late. Each web server must read one replica (or a pool that keeps a
connection on one server): versions are unordered, so two replicas are not compared.

A replica that cannot be reached, or that fails during a read, never becomes an error:
the read runs again on the primary, the failure is logged once (until the replica
answers again), and the replica is left alone for RETRY_AFTER_SECONDS.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

from mend.lib.replica import REPLICA, configured, in_public_read, reading
from mend.search import version

log = logging.getLogger(__name__)
# After a replica failure, the primary answers for this long before the replica is tried
# again: a replica that is down (or slow to refuse) must not cost every request a timeout.
RETRY_AFTER_SECONDS = 10.0
# What a replica that is down, restarting, or cancelling a query for a conflict with
# recovery raises; any other error would be the read's own, and is not retried.
REPLICA_FAILURES = (OperationalError, InterfaceError)


@dataclass
class _Known:
    down_until: float = float("-inf")  # the replica is not tried before this moment
    warned: bool = False  # its failure was logged (once per outage)


_known = _Known()
_lock = threading.Lock()


def choose_alias(now: float | None = None) -> str:
    """The database that a public read starting now may read: ``replica`` if it is
    configured, reachable and holds the index version known to be current, else
    ``default`` (see the module docstring)."""
    if not configured() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS  # inside a write's transaction, read what it wrote
    now = time.monotonic() if now is None else now
    if now < _known.down_until:
        return DEFAULT_DB_ALIAS
    try:
        on_replica = version.read_version(REPLICA)
    except REPLICA_FAILURES:
        replica_failed(now)
        return DEFAULT_DB_ALIAS
    replica_answered()
    if on_replica == version.known(now):
        return REPLICA
    # Behind, or ahead of what this process last learned: ask the primary once more.
    return REPLICA if on_replica == version.known(now, refresh=True) else DEFAULT_DB_ALIAS


def forget() -> None:
    """Forget what this process knew about the primary and the replica (tests use it)."""
    global _known
    with _lock:
        _known = _Known()
    version.forget()


def replica_failed(now: float) -> None:
    if not _known.warned:
        log.warning(
            "The read replica failed; the primary answers public reads until it is back.",
            exc_info=True,
        )
    _known.warned = True
    _known.down_until = now + RETRY_AFTER_SECONDS
    with contextlib.suppress(Exception):  # a broken connection may fail to close, too
        connections[REPLICA].close()


def replica_answered() -> None:
    if _known.warned:
        log.warning("The read replica answers again.")
    _known.warned = False


def public_read[**P, T](read: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run ``read`` (a read without side effects) on the database ``choose_alias`` picks;
    run it again on the primary if the replica fails during it (a failure of the primary's
    own is raised as always). Nested calls keep the outer call's choice, so one page or API
    answer reads one database throughout."""
    if in_public_read():
        return read(*args, **kwargs)
    alias = choose_alias()
    if alias == REPLICA:
        try:
            with reading(REPLICA):
                return read(*args, **kwargs)
        except REPLICA_FAILURES:
            if not connections[REPLICA].errors_occurred:
                raise  # the primary's failure (Django flags the connection that failed)
            replica_failed(time.monotonic())
    with reading(DEFAULT_DB_ALIAS):
        return read(*args, **kwargs)


def public_read_view[**P, T](view: Callable[P, T]) -> Callable[P, T]:
    """``public_read`` for a whole view: a GET page or API endpoint with no writes."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        return public_read(view, *args, **kwargs)

    return wrapper
