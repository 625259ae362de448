"""manage.py import_hsds PATH [--format json|csv] [--kind TABLE] [--replace]

Imports HSDS 3.1 data, all or nothing: a .json file (one record, a list, a Page
envelope, or tabular JSON) or a CSV data package (a folder with datapackage.json).
Every problem is listed with its file, record or row, field and reason; with any error
nothing is written and the command exits with status 1. See docs/directory-data.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mend.directory.actions import ImportReport, do_import_hsds
from mend.directory.hsds import spec
from mend.directory.management.progress import TqdmProgress


class Command(BaseCommand):
    help = "Import HSDS 3.1 JSON or a CSV data package into the directory (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", type=Path, help="a .json file, or a folder with datapackage.json"
        )
        parser.add_argument("--format", choices=("json", "csv"), help="default: from PATH")
        parser.add_argument(
            "--kind",
            choices=sorted(spec.BY_NAME),
            help="the HSDS table of the JSON's top-level records, when it cannot be told",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="first delete the whole directory, in the same transaction (restoring a backup)",
        )
        parser.add_argument(
            "--no-reindex", action="store_true", help="do not rebuild the search index"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        check_format(path, options["format"])
        report = do_import_hsds(
            path,
            kind=options["kind"],
            replace=options["replace"],
            reindex=not options["no_reindex"],
            progress=TqdmProgress(enabled=False if options["no_progress"] else None),
            now=timezone.now(),
        )
        self.print_problems(report)
        if not report.ok:
            errors = len(report.problems.errors)
            raise CommandError(f"Nothing was imported: {errors} error(s), listed above.")
        self.print_counts(report)

    def print_problems(self, report: ImportReport) -> None:
        # Warnings first, so the errors end up next to the verdict.
        for problem in report.problems.warnings:
            self.stdout.write(self.style.WARNING(str(problem)))
        for problem in report.problems.errors:
            self.stdout.write(self.style.ERROR(str(problem)))

    def print_counts(self, report: ImportReport) -> None:
        total = sum(w.records for w in report.written.values())
        created = sum(w.created for w in report.written.values())
        for name, written in report.written.items():
            self.stdout.write(f"  {name}: {written.records} ({written.created} new)")
        warnings = len(report.problems.warnings)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {total} records ({created} new, {total - created} updated), "
                f"{warnings} warning(s)."
            )
        )


def check_format(path: Path, chosen: str | None) -> None:
    is_package = path.is_dir() or path.name == "datapackage.json"
    if chosen == "csv" and not is_package:
        raise CommandError("--format csv needs a folder with datapackage.json.")
    if chosen == "json" and (is_package or path.suffix.lower() != ".json"):
        raise CommandError("--format json needs a .json file (not datapackage.json).")
