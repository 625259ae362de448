"""manage.py export_hsds PATH [--format json|csv] [--shape ...] [--include-private]

Exports the directory as HSDS 3.1: a JSON array of nested records (PATH ending in
.json) or a CSV data package (PATH a folder). Public by default: hidden and on-request
addresses, with their map positions, directions and external identifiers, are left out.
``--include-private`` keeps them, for an operator's full backup only: such a file is
as sensitive as the database and must never be published. See docs/directory-data.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mend.directory.actions import do_export_hsds
from mend.directory.hsds.exporting import SHAPES
from mend.directory.management.progress import TqdmProgress


class Command(BaseCommand):
    help = "Export the directory as HSDS 3.1 JSON or a CSV data package (public unless told)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="a .json file, or a folder for the CSV package")
        parser.add_argument("--format", choices=("json", "csv"), help="default: json for *.json")
        parser.add_argument(
            "--shape",
            choices=sorted(SHAPES),
            default="services",
            help="JSON only: the top-level records (default: services)",
        )
        parser.add_argument(
            "--include-private",
            action="store_true",
            help="include hidden and on-request addresses (a private backup; never publish it)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        chosen = options["format"] or ("json" if path.suffix.lower() == ".json" else "csv")
        if chosen == "json" and path.is_dir():
            raise CommandError(f"{path} is a folder; give a .json file name for --format json.")
        if chosen == "csv" and path.is_file():
            raise CommandError(f"{path} is a file; give a folder for the CSV data package.")
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent} does not exist.")
        report = do_export_hsds(
            path,
            format=chosen,
            shape=options["shape"],
            include_private=options["include_private"],
            progress=TqdmProgress(enabled=False if options["no_progress"] else None),
        )
        for name, count in report.counts.items():
            self.stdout.write(f"  {name}: {count}")
        if report.include_private:
            self.stderr.write(
                self.style.WARNING(
                    "This export includes hidden and on-request addresses. Keep it as "
                    "secret as the database itself; never publish it."
                )
            )
        else:
            withheld = ", ".join(f"{n} {what}" for what, n in sorted(report.withheld.items()))
            self.stdout.write(f"Public export; withheld: {withheld or 'nothing'}.")
        self.stdout.write(self.style.SUCCESS(f"Exported {report.format.upper()} to {path}."))
