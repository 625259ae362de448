"""manage.py load_demo [--seed N] [--replace]

Loads the demo directory (fictional organisations in real US cities, every name
starting with "Demo:") into an empty directory. A directory that already holds services
is left as it is, so ``make run`` can call this every time without undoing an editor's
work; ``--replace`` reloads the demo's own records and never touches others. See
mend/directory/demo.py.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mend.directory import demo
from mend.directory.actions import DemoError, DirectoryNotEmpty, do_load_demo
from mend.directory.management.progress import TqdmProgress


class Command(BaseCommand):
    help = "Load the fictional demo directory into an empty directory (or --replace it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=demo.SEED, help="generator seed")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="reload the demo's own records over an earlier demo (others are never touched)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        progress = TqdmProgress(enabled=False if options["no_progress"] else None)
        try:
            report = do_load_demo(
                options["seed"], progress, now=timezone.now(), replace=options["replace"]
            )
        except DirectoryNotEmpty:
            # Not an error: `make run` calls this on every start.
            self.stdout.write(
                "The directory already holds services, so the demo was not loaded "
                "(load_demo --replace reloads the demo's own records)."
            )
            return
        except DemoError as error:
            raise CommandError(str(error)) from error
        counts = {name: written.records for name, written in report.written.items()}
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo directory loaded: {counts.get('organization', 0)} organisations, "
                f"{counts.get('service', 0)} services, {counts.get('location', 0)} locations."
            )
        )
