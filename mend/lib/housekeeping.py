"""The daily tidying of rows that have ended but that nothing would ever delete (Django's
tasks framework; `manage.py db_worker` runs it, and `manage.py rebuild_search_index
--daily` starts the chain, as it starts the opening-hours refresh):

- expired sessions (a session row holds its account's id; Django deletes one only when
  its own browser comes back, or when `clearsessions` runs);
- finished background-task results older than TASK_RESULTS_KEEP (a match task's
  arguments name the survivors of a group, and its result the counselor);
- rate-limit counters whose window has ended (keyed by an HMAC of an account or an
  address).

Each run queues the next one a day later. This module imports no app of Mend (checked by
mend/tests/test_import_layers.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.sessions.models import Session
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mend.lib import ratelimit
from mend.lib.background import enqueue_at, ensure_queued

EVERY = timedelta(days=1)
#: How long a finished task's result is kept: long enough to see why one failed.
TASK_RESULTS_KEEP = timedelta(days=7)


def tidy(now: datetime) -> dict[str, int]:
    """Delete what has ended by `now`; how many rows of each kind went."""
    sessions, _ = Session.objects.filter(expire_date__lte=now).delete()
    finished = DBTaskResult.objects.finished().filter(finished_at__lte=now - TASK_RESULTS_KEEP)
    results, _ = finished.delete()
    counters = ratelimit.sweep_expired(now.timestamp())
    return {"sessions": sessions, "task_results": results, "rate_limit_counters": counters}


@task()
def tidy_daily() -> dict[str, int]:
    """Tidy now, then queue the next run a day later."""
    counts = tidy(timezone.now())
    enqueue_at(tidy_daily, timezone.now() + EVERY)
    return counts


def ensure_daily_tidy() -> bool:
    """Queue a run now unless one is already waiting; True if this queued one."""
    return ensure_queued(tidy_daily)
