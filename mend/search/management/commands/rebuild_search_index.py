"""manage.py rebuild_search_index [--service ID ...] [--hours-only]

Run it after an import (the importer calls the same function) and once a day, so the
precomputed "open now" intervals keep covering the coming weeks.
"""

from __future__ import annotations

import time
from typing import Any
from uuid import UUID

from django.core.management.base import BaseCommand, CommandParser

from mend.search.index import rebuild_search_index, refresh_hours


class Command(BaseCommand):
    help = "Rebuild the directory search index from the HSDS tables."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--service",
            action="append",
            type=UUID,
            default=[],
            help="only this service (repeatable)",
        )
        parser.add_argument(
            "--hours-only", action="store_true", help="only move the opening-hours window forward"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        if options["hours_only"]:
            count = refresh_hours()
            what = f"{count} opening-hours profiles"
        else:
            count = rebuild_search_index(options["service"] or None)
            what = f"{count} search entries"
        self.stdout.write(f"Indexed {what} in {time.monotonic() - started:.1f} s.")
