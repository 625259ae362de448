"""The daily renewal of "open now" runs as a background task that queues itself."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from django.core.management import call_command
from django.test import TestCase, TransactionTestCase, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mend.search import index, tasks
from mend.search.models import HoursProfile, OpenInterval
from mend.search.tests import factories as f

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def waiting() -> list[Any]:
    return list(
        DBTaskResult.objects.filter(
            task_path=tasks.refresh_opening_hours.module_path, status="READY"
        )
    )


@override_settings(TASKS=DATABASE_QUEUE)
class DailyRefreshTests(TransactionTestCase):
    def setUp(self) -> None:
        service = f.make_service("Near Counselling")
        f.place(service)
        f.weekly_hours(service)
        index.rebuild_search_index(now=timezone.now() - timedelta(days=40))

    def test_the_command_queues_one_run_however_often_it_is_called(self) -> None:
        out = io.StringIO()
        call_command("rebuild_search_index", "--daily", stdout=out)
        call_command("rebuild_search_index", "--daily", stdout=out)
        self.assertEqual(len(waiting()), 1)
        self.assertIn("already queued", out.getvalue())

    def test_the_worker_renews_the_hours_and_queues_the_next_day(self) -> None:
        profile = HoursProfile.objects.get()
        before = profile.computed_from
        self.assertTrue(tasks.ensure_daily_hours_refresh())
        call_command(
            "db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO()
        )
        profile.refresh_from_db()
        assert before is not None
        assert profile.computed_from is not None
        self.assertGreater(profile.computed_from - before, timedelta(days=39))
        self.assertTrue(OpenInterval.objects.filter(profile=profile).exists())
        [next_run] = waiting()
        delay = next_run.run_after - timezone.now()
        self.assertGreater(delay, timedelta(hours=23))
        self.assertLessEqual(delay, timedelta(days=1))


class ImmediateQueueTests(TestCase):
    def test_without_a_waiting_queue_it_runs_once_and_queues_nothing(self) -> None:
        f.place(f.make_service("Near Counselling"))
        index.rebuild_search_index(now=timezone.now())
        self.assertTrue(tasks.ensure_daily_hours_refresh())
        self.assertEqual(DBTaskResult.objects.count(), 0)
