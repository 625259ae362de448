"""The background tasks: counselor assignment and in-app notices, and the database worker."""

from __future__ import annotations

import io
import uuid

from django.core.management import call_command
from django.test import Client, TransactionTestCase, override_settings

from mend.certificates.testing import certify
from mend.escrow import tasks, testing
from mend.escrow.models import GroupState, MatchGroup, Notice, SealedShare
from mend.escrow.tests.base import EscrowTestCase
from mend.lib.background import enqueue_in_transaction
from mend.test import make_persona

NAMES = ["email:someone@example.org"]


class AssignmentTests(EscrowTestCase):
    def match(self, names: list[str]) -> MatchGroup:
        for user in (self.alice, self.bob):
            with self.captureOnCommitCallbacks(execute=True):
                self.assertEqual(self.browser_for(user).submit(names, {}).status_code, 201)
        return MatchGroup.objects.order_by("-created_at").first()  # type: ignore[return-value]

    def test_it_gives_the_group_to_the_counselor_with_the_fewest_open_groups(self) -> None:
        dana = self.make_counselor("dana")
        testing.add_counselor_key(dana)
        certify(dana)
        first = self.match(NAMES)
        second = self.match(["email:another@example.org"])
        self.assertEqual({first.counselor, second.counselor}, {self.carol, dana})

    def test_it_leaves_a_group_unassigned_when_no_counselor_holds_every_share(self) -> None:
        group = self.match(NAMES)
        MatchGroup.objects.filter(id=group.id).update(counselor=None)
        SealedShare.objects.all().delete()
        self.assertEqual(tasks.assign_counselor.call(str(group.id)), "")
        group.refresh_from_db()
        self.assertIsNone(group.counselor)

    def test_assignment_and_notices_are_idempotent(self) -> None:
        group = self.match(NAMES)
        self.assertEqual(tasks.assign_counselor.call(str(group.id)), str(self.carol.id))
        self.assertEqual(tasks.notify_survivors.call(str(group.id), [str(self.alice.id)]), 0)
        self.assertEqual(Notice.objects.filter(kind="match").count(), 2)
        self.assertEqual(Notice.objects.filter(kind="assigned").count(), 1)

    def test_it_does_not_assign_a_closed_group(self) -> None:
        group = self.match(NAMES)
        MatchGroup.objects.filter(id=group.id).update(counselor=None, state=GroupState.CLOSED)
        self.assertEqual(tasks.assign_counselor.call(str(group.id)), "")


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
class DatabaseWorkerTests(TransactionTestCase):
    """With the production backend, a match only queues work; `db_worker` does it."""

    def test_the_worker_assigns_and_notifies(self) -> None:
        alice, bob, carol = (make_persona(n) for n in ("alice", "bob", "carol"))
        testing.add_counselor_key(carol)
        certify(carol)
        for user in (alice, bob):
            testing.verify(user)
            client = Client()
            client.force_login(user)
            self.assertEqual(testing.SurvivorBrowser(client).submit(NAMES, {}).status_code, 201)
        group = MatchGroup.objects.get()
        self.assertIsNone(group.counselor)
        self.assertEqual(Notice.objects.count(), 0)
        call_command(
            "db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO()
        )
        group.refresh_from_db()
        self.assertEqual(group.counselor, carol)
        self.assertEqual(Notice.objects.filter(kind="match").count(), 2)


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
class TransactionalQueueTests(TransactionTestCase):
    def test_the_task_is_queued_with_the_transaction_or_not_at_all(self) -> None:
        from django.db import transaction
        from django_tasks_db.models import DBTaskResult

        group_id = str(uuid.uuid4())
        with self.assertRaises(RuntimeError), transaction.atomic():
            enqueue_in_transaction(tasks.assign_counselor, group_id)
            self.assertEqual(DBTaskResult.objects.count(), 1)  # written inside, not after
            raise RuntimeError("the submission fails")
        self.assertEqual(DBTaskResult.objects.count(), 0)
        with transaction.atomic():
            enqueue_in_transaction(tasks.assign_counselor, group_id)
        self.assertEqual(DBTaskResult.objects.count(), 1)
