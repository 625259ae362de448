"""manage.py rebuild_search_index [--service ID ...] [--hours-only] [--daily]

Run it after an import (the importer calls the same function). The precomputed "open
now" intervals must move forward every day: ``--daily`` queues that as a background
task that queues itself again each day (``manage.py db_worker`` runs it), unless it is
queued already, and the daily housekeeping with it (mend.lib.housekeeping: expired
sessions, old task results, ended rate-limit counters); ``--hours-only`` does it once, now.
"""

from __future__ import annotations

import time
from typing import Any
from uuid import UUID

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from mend.lib.housekeeping import ensure_daily_tidy
from mend.search.index import rebuild_search_index, refresh_hours
from mend.search.tasks import ensure_daily_hours_refresh


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
        parser.add_argument(
            "--daily",
            action="store_true",
            help="only queue the daily tasks: opening hours, housekeeping (unless queued)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        if options["daily"]:
            for name, queued in (
                ("opening-hours refresh", ensure_daily_hours_refresh()),
                ("housekeeping", ensure_daily_tidy()),
            ):
                self.stdout.write(
                    f"Queued the daily {name}."
                    if queued
                    else f"The daily {name} is already queued."
                )
            return
        if options["hours_only"]:
            count = refresh_hours(now=timezone.now())
            what = f"{count} opening-hours profiles"
        else:
            count = rebuild_search_index(options["service"] or None, now=timezone.now())
            what = f"{count} search entries"
        self.stdout.write(f"Indexed {what} in {time.monotonic() - started:.1f} s.")
