from __future__ import annotations

from django.apps import AppConfig


class FindHelpConfig(AppConfig):
    """The "Find help" pages and the HSDS API: the web layer over the directory's data
    (``mend.directory``) and its search index (``mend.search``), which it imports both
    (ADR 0010). It has no models."""

    name = "mend.findhelp"
    label = "findhelp"
    verbose_name = "Find help"
