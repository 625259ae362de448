"""Delete the words of dialogue cases closed DIALOGUE_CLOSED_KEEP_DAYS ago or more:
`manage.py forget_closed_dialogues`.

The worker does this by itself on each case's day; run it after shortening
DIALOGUE_CLOSED_KEEP_DAYS, or if the task queue was emptied, so that nothing is kept
longer than the setting says.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from mend.dialogue.retention import forget_closed_cases


class Command(BaseCommand):
    help = "Delete the words of dialogue cases closed DIALOGUE_CLOSED_KEEP_DAYS ago or more."

    def handle(self, *args: Any, **options: Any) -> None:
        count = forget_closed_cases.call()
        self.stdout.write(f"{count} closed case(s) had their words deleted.")
