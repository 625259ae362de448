"""Which database a query reads: the primary, or (for a few public reads) the replica.

The ``replica`` alias exists only when ``DATABASE_REPLICA_URL`` is set (mend.lib.databases).
``mend.search.replica`` decides, once per public read, whether the replica is current
enough and runs the read inside ``reading(alias)``; ``ReplicaRouter`` and ``read_alias``
then send that read's queries to the alias chosen. This module imports no app.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model

REPLICA = "replica"

#: The apps whose tables a public read may take from the replica: the HSDS directory and
#: its search index. Named here, not imported (lib imports no app).
REPLICA_APPS = frozenset({"directory", "search"})

# The alias the public read running in this thread (or task) chose; None outside one.
_reading: ContextVar[str | None] = ContextVar("mend_replica_reading", default=None)


def configured() -> bool:
    return REPLICA in settings.DATABASES


def read_alias() -> str:
    """The alias that raw SQL of the directory's and search's reads goes to (the
    router's answer for their models)."""
    return _reading.get() or DEFAULT_DB_ALIAS


def in_public_read() -> bool:
    return _reading.get() is not None


@contextmanager
def reading(alias: str) -> Iterator[None]:
    """Send this block's reads of REPLICA_APPS' tables to ``alias`` (see ReplicaRouter)."""
    token = _reading.set(alias)
    try:
        yield
    finally:
        _reading.reset(token)


class ReplicaRouter:
    """Default-deny: every query goes to the primary (``default``), except reads that
    satisfy both conditions below, which go to the alias chosen for them.

    1. The read runs inside ``reading(alias)``. Only an explicit allow-list of read paths
       enters it, through ``mend.search.replica.public_read``: ``search_services`` (every
       search, pages and API alike), the "Find help" pages (``mend.findhelp.views``) and the
       HSDS API's endpoints (``mend.findhelp.api``). Nothing else ever does.
    2. The model belongs to an app in REPLICA_APPS (the directory and its search index).
       Inside a public read, everything else (the signed-in person, sessions, rate limits,
       accounts, vault, escrow, counselor, audit, tasks, and any app added later) is still
       read from the primary.

    Writes always go to the primary, and migrations run only there. What this does not
    decide: whether the replica is current enough (``mend.search.replica`` does that
    before choosing it).
    """

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        alias = _reading.get()
        if alias is None or model._meta.app_label not in REPLICA_APPS:
            return DEFAULT_DB_ALIAS
        return alias

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, first: Model, second: Model, **hints: Any) -> bool:
        # The replica is a copy of the primary: an object read from either may refer to one
        # read from the other.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
