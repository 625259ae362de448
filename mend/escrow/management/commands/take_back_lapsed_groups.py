"""Give back the open escrow groups of counselors whose staff certificate is no longer
current: `manage.py take_back_lapsed_groups`.

The worker does this by itself when a certificate expires; run it after raising a module
of the counselors' path (which makes every older certificate lapse at once), so that their
groups go to re-certified colleagues at once instead of at the next expiry.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from mend.escrow.tasks import take_back_lapsed_groups


class Command(BaseCommand):
    help = "Give back the open groups of counselors without a current staff certificate."

    def handle(self, *args: Any, **options: Any) -> None:
        count = take_back_lapsed_groups.call()
        self.stdout.write(f"{count} open group(s) given back.")
