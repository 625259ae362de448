"""manage.py load_demo [--seed N]

Loads the demo directory (fictional organisations in real US cities, every name
starting with "Demo:"), replacing the previous demo data and nothing else. Idempotent;
``make run`` calls it. See mend/directory/demo.py.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mend.directory import demo
from mend.directory.actions import do_load_demo
from mend.directory.management.progress import TqdmProgress


class Command(BaseCommand):
    help = "Load (or reload) the fictional demo directory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=demo.SEED, help="generator seed")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        progress = TqdmProgress(enabled=False if options["no_progress"] else None)
        report = do_load_demo(options["seed"], progress=progress)
        counts = {name: written.records for name, written in report.written.items()}
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo directory loaded: {counts.get('organization', 0)} organisations, "
                f"{counts.get('service', 0)} services, {counts.get('location', 0)} locations."
            )
        )
