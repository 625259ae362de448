from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    """The directory's search index: denormalised rows built from the HSDS tables."""

    name = "mend.search"
    label = "search"
    verbose_name = "Directory search index"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mend.directory.signals import directory_changed

        # A strong reference and a fixed uid: connected once however often ready() runs.
        directory_changed.connect(follow_directory, dispatch_uid="mend.search.index")
        post_migrate.connect(full_text_table, sender=self, dispatch_uid="mend.search.fulltext")


def follow_directory(sender: object, **kwargs: Any) -> None:
    """Rebuild the index rows of the services the directory announced (all when None),
    synchronously, so that the rebuild shares the transaction of the change."""
    from mend.search.index import rebuild_search_index

    rebuild_search_index(kwargs["service_ids"], now=kwargs["now"])


def full_text_table(sender: object, **kwargs: Any) -> None:
    """Make ``SearchText`` the database's full-text table after every ``migrate``: the
    migration does so too, but ``migrate --run-syncdb`` without migrations (the
    benchmarks, a test run with ``--nomigrations``) creates a plain table."""
    from mend.search import fulltext

    db = connections[kwargs.get("using", "default")]
    fulltext.ensure_table(db)
    fulltext.ensure_words(db)
