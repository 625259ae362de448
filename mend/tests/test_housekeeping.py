"""The daily housekeeping deletes rows that have ended but that nothing else would delete:
expired sessions (they hold an account's id), finished task results after a week (a match
task's arguments name survivors), ended rate-limit counters (mend.lib.housekeeping)."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import time_machine
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import TransactionTestCase, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mend.accounts.models import RateLimitWindow
from mend.lib import housekeeping, ratelimit
from mend.test import NOW

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> None:
    call_command(
        "db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO()
    )


def tidying(status: str) -> list[Any]:
    path = housekeeping.tidy_daily.module_path
    return list(DBTaskResult.objects.filter(task_path=path, status=status))


# A fixed moment, far from the end of a counter's day (a window's end is on the clock).
@time_machine.travel(NOW, tick=False)
@override_settings(TASKS=DATABASE_QUEUE)
class HousekeepingTests(TransactionTestCase):
    def test_it_deletes_what_has_ended_and_keeps_what_has_not(self) -> None:
        now = timezone.now()
        self.assertTrue(housekeeping.ensure_daily_tidy())
        run_worker()  # one run now (its own result kept: younger than a week), the next queued
        # Ended by the time of the next tidying (two minutes on), or not:
        Session.objects.create(
            session_key="e" * 32, session_data="x", expire_date=now + timedelta(minutes=1)
        )
        Session.objects.create(
            session_key="l" * 32, session_data="x", expire_date=now + timedelta(hours=1)
        )
        ratelimit.hit(ratelimit.Limit("brief", 5, 60), "someone")
        ratelimit.hit(ratelimit.Limit("long", 5, 24 * 3600), "someone")
        [done] = tidying("SUCCESSFUL")
        [next_run] = tidying("READY")
        self.assertGreater(next_run.run_after - now, timedelta(hours=23))
        DBTaskResult.objects.filter(id=done.id).update(finished_at=now - timedelta(days=8))
        counts = housekeeping.tidy(now + timedelta(minutes=2))
        self.assertEqual(counts, {"sessions": 1, "task_results": 1, "rate_limit_counters": 1})
        self.assertEqual(list(Session.objects.values_list("session_key", flat=True)), ["l" * 32])
        self.assertEqual(tidying("SUCCESSFUL"), [])
        self.assertEqual(len(tidying("READY")), 1)  # a waiting task is never tidied
        self.assertEqual(RateLimitWindow.objects.count(), 1)

    def test_a_deployment_queues_it_once_however_often_it_starts_the_daily_tasks(self) -> None:
        out = io.StringIO()
        for _ in range(2):
            call_command("rebuild_search_index", "--daily", stdout=out)
        self.assertEqual(len(tidying("READY")), 1)
        self.assertIn("Queued the daily housekeeping.", out.getvalue())
        self.assertIn("The daily housekeeping is already queued.", out.getvalue())
