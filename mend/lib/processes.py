"""Worker processes set up as this one is: the same Django settings and database.

A pool started with ``multiprocessing``'s "spawn" (a new Python, not a copy of this one,
whose open connections and transaction must not be shared) names ``start_django`` as its
initializer with ``same_django()``'s arguments. This module imports nothing of Django's
models: a spawned process imports it before Django is set up.
"""

from __future__ import annotations

from typing import Any


def same_django(alias: str) -> tuple[str, dict[str, Any]]:
    """What a worker needs to reach the database ``alias`` as this process does: the
    alias and its settings (a test database's name included). The settings module is
    the environment's, which a spawned process inherits."""
    from django.db import connections

    return alias, dict(connections[alias].settings_dict)


def start_django(alias: str, database: dict[str, Any]) -> None:
    """A worker's start: Django set up with this settings module and ``database``."""
    import django
    from django.conf import settings
    from django.db import connections

    django.setup()
    settings.DATABASES[alias] = database
    # Setting up may have made the alias's connection object (not connected yet).
    connections[alias].settings_dict = database
