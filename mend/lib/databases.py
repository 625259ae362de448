"""The databases Mend uses, read from the environment, failing closed.

``DATABASE_URL`` names the primary (SQLite in ``var/`` when unset). ``DATABASE_REPLICA_URL``
(optional) names a PostgreSQL streaming replica of that primary: it becomes the
``replica`` alias, which only the public directory and search read (``mend.lib.replica``).
A replica URL that is malformed, not PostgreSQL, names no database, or stands beside a
SQLite primary is refused at start-up (``ImproperlyConfigured``): a replica that is
configured but silently unused would hide the mistake until the primary is overloaded.
Errors never repeat the URL, which may hold a password.
"""

from __future__ import annotations

from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

POSTGRESQL = "django.db.backends.postgresql"
# Seconds to wait for the replica to accept a connection: a replica that does not answer
# costs a request this long once, then the primary answers (mend.search.replica).
REPLICA_CONNECT_TIMEOUT = 2
# Milliseconds a query sent on an open connection may go unacknowledged: a replica host
# that vanishes without closing the connection fails a read in 5 s, not the many minutes
# of TCP's own retransmissions.
REPLICA_TCP_USER_TIMEOUT_MS = 5000


def parse_url(name: str, url: str, conn_max_age: int) -> dict[str, Any]:
    """``url`` as a Django DATABASES entry; ImproperlyConfigured naming ``name`` if it is
    not a database URL."""
    try:
        parsed: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=conn_max_age))
    except ValueError as error:  # ParseError and UnknownSchemeError among them
        reason = type(error).__name__
        raise ImproperlyConfigured(f"{name} is not a valid database URL ({reason}).") from None
    return parsed


def replica_database(url: str, primary: dict[str, Any], conn_max_age: int) -> dict[str, Any]:
    """The DATABASES entry for ``DATABASE_REPLICA_URL`` (see the module docstring)."""
    name = "DATABASE_REPLICA_URL"
    replica = parse_url(name, url, conn_max_age)
    if replica["ENGINE"] != POSTGRESQL:
        raise ImproperlyConfigured(f"{name} must be a postgres:// URL.")
    if primary["ENGINE"] != POSTGRESQL:
        raise ImproperlyConfigured(f"{name} needs a PostgreSQL primary in DATABASE_URL.")
    if not replica["NAME"]:
        raise ImproperlyConfigured(f"{name} must name the database (postgres://host/name).")
    options = replica.setdefault("OPTIONS", {})
    options.setdefault("connect_timeout", REPLICA_CONNECT_TIMEOUT)
    options.setdefault("tcp_user_timeout", REPLICA_TCP_USER_TIMEOUT_MS)
    # A kept connection to a replica that restarted is noticed before a request uses it.
    replica["CONN_HEALTH_CHECKS"] = True
    # Tests create no database on a read-only standby: the alias mirrors the test database
    # (mend/search/tests/test_replica.py points it at the real replica's copy of it).
    replica["TEST"] = {"MIRROR": "default"}
    return replica
