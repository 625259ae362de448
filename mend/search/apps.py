from __future__ import annotations

from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The directory's search index: denormalised rows built from the HSDS tables."""

    name = "mend.search"
    label = "search"
    verbose_name = "Directory search index"
    default_auto_field = "django.db.models.BigAutoField"
