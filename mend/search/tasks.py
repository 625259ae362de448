"""The daily renewal of "open now" (Django's tasks framework; `manage.py db_worker` runs it).

Opening intervals are precomputed HORIZON_DAYS ahead (``mend.search.hours_profiles``) and "open
at" looks up to 30 days ahead, so they must move forward regularly. Each run queues the
next one a day later; ``ensure_daily_hours_refresh`` starts the chain when no run is
waiting (``manage.py rebuild_search_index --daily``, which ``make run`` and a deployment
call), so calling it again never makes a second chain.
"""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from mend.lib.background import enqueue_at, ensure_queued
from mend.search.index import refresh_hours

EVERY = timedelta(days=1)


@task()
def refresh_opening_hours() -> int:
    """Renew every profile's intervals from now, then queue the next run."""
    count = refresh_hours(now=timezone.now())
    enqueue_at(refresh_opening_hours, timezone.now() + EVERY)
    return count


def ensure_daily_hours_refresh() -> bool:
    """Queue a run now unless one is already waiting; True if this queued one."""
    return ensure_queued(refresh_opening_hours)
