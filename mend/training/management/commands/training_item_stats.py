"""Item statistics for content maintainers (mend.training.stats).

    manage.py training_item_stats [--module ID] [--min-attempts 30] [--flagged-only]

A command rather than a page: the people who fix weak questions edit the content files in
the repository and review them there, so the figures belong beside that work; a page would
need a new staff role for them, and nothing here needs a browser. No learner is named.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mend.training import access, curriculum, stats


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


class Command(BaseCommand):
    help = "Print per-question attempts, proportion right and discrimination, flagging weak items."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--module", help="one module id (default: every module)")
        parser.add_argument("--min-attempts", type=int, default=stats.MIN_ATTEMPTS)
        parser.add_argument("--flagged-only", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        content = curriculum.current()
        if options["module"] and options["module"] not in content.modules:
            known = ", ".join(module.id for module in content.ordered_modules())
            raise CommandError(f"no module {options['module']!r}; the modules are: {known}")
        results = access.submitted_results(options["module"])
        found = stats.item_statistics(r for r in results if isinstance(r, dict))
        self.stdout.write("item\tattempts\tp_right\tdiscrimination\tflags")
        for module in content.ordered_modules():
            if options["module"] and module.id != options["module"]:
                continue
            for item_id in module.items:
                entry = found.get(item_id, stats.ItemStats(item_id))
                flags = entry.flags(options["min_attempts"])
                if options["flagged_only"] and not flags:
                    continue
                self.stdout.write(
                    f"{item_id}\t{entry.attempts}\t{_figure(entry.difficulty)}\t"
                    f"{_figure(entry.discrimination)}\t{', '.join(flags) or 'ok'}"
                )
