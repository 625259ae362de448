"""A survivor deletes her account while her entries are in a match group (or queued for one):
the counselor is told as for a withdrawal, and the match's task still does its work."""

from __future__ import annotations

import io
from unittest import mock

from django.core.management import call_command
from django.test import Client, TransactionTestCase, override_settings
from django_tasks_db.models import DBTaskResult

from mend.accounts import actions as account_actions
from mend.accounts.models import User
from mend.audit.models import AuditLog
from mend.certificates.testing import certify
from mend.escrow import tasks, testing
from mend.escrow.models import Entry, MatchGroup, Membership, Notice, NoticeKind
from mend.escrow.tests.base import EscrowTestCase
from mend.test import make_persona

NAMES = ["email:someone@example.org"]
AUTH_KEY = "ab" * 32
DELETE = "/api/v1/accounts/delete"
WITHDRAWN_AFTER_MATCH = "escrow.entry.withdrawn_after_match"


class AccountDeletedTests(EscrowTestCase):
    def submit(self, user: User, names: list[str] = NAMES) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(self.browser_for(user).submit(names, {}).status_code, 201)

    def match(self) -> MatchGroup:
        self.submit(self.alice)
        self.submit(self.bob)
        return MatchGroup.objects.get()

    def delete_alice(self) -> int:
        self.alice.set_password(AUTH_KEY)
        self.alice.save(update_fields=["password"])
        client = Client()
        client.force_login(self.alice)
        response = testing.post_json(client, DELETE, {"auth_key": AUTH_KEY, "confirm": True})
        return int(response.status_code)

    def test_it_tells_the_counselor_when_a_matched_survivor_deletes_her_account(self) -> None:
        group = self.match()
        self.assertEqual(group.counselor, self.carol)
        self.assertEqual(self.delete_alice(), 204)
        self.assertFalse(User.objects.filter(username="alice").exists())
        left = Notice.objects.filter(user=self.carol, kind=NoticeKind.MEMBER_LEFT, group=group)
        self.assertEqual(left.count(), 1)
        audited = AuditLog.objects.filter(action=WITHDRAWN_AFTER_MATCH, object_id=str(group.id))
        self.assertEqual(audited.count(), 1)
        group.refresh_from_db()
        self.assertEqual((group.state, group.counselor), ("open", self.carol))
        self.assertEqual(
            list(Membership.objects.filter(group=group).values_list("survivor", flat=True)),
            [self.bob.id],
        )
        data = self.open_as_counselor(group)
        self.assertEqual([e["id"] for e in data["entries"]], [str(Entry.objects.get().id)])

    def test_it_tells_no_counselor_when_her_entries_matched_nobody(self) -> None:
        self.submit(self.alice)
        self.assertEqual(self.delete_alice(), 204)
        self.assertEqual(Entry.objects.count(), 0)
        self.assertFalse(Notice.objects.filter(kind=NoticeKind.MEMBER_LEFT).exists())
        self.assertFalse(AuditLog.objects.filter(action=WITHDRAWN_AFTER_MATCH).exists())

    def test_a_deletion_that_fails_tells_the_counselor_nothing(self) -> None:
        group = self.match()
        with (
            mock.patch.object(User, "delete", side_effect=RuntimeError("the disk is full")),
            self.assertRaises(RuntimeError),
        ):
            account_actions.do_delete_account(self.alice)
        self.assertEqual(Entry.objects.filter(owner=self.alice).count(), 1)
        self.assertFalse(Notice.objects.filter(kind=NoticeKind.MEMBER_LEFT).exists())
        self.assertFalse(AuditLog.objects.filter(action=WITHDRAWN_AFTER_MATCH).exists())
        self.assertEqual(
            Membership.objects.get(group=group, survivor=self.alice).decision, "undecided"
        )

    def test_the_match_notices_skip_an_account_deleted_since_the_match(self) -> None:
        group = self.match()
        Notice.objects.filter(kind=NoticeKind.MATCH).delete()
        alice_id = str(self.alice.id)
        self.assertEqual(self.delete_alice(), 204)
        made = tasks.notify_survivors.call(str(group.id), [alice_id, str(self.bob.id)])
        self.assertEqual(made, 1)
        self.assertEqual(
            list(Notice.objects.filter(kind=NoticeKind.MATCH).values_list("user", flat=True)),
            [self.bob.id],
        )

    def test_a_notice_that_cannot_be_made_does_not_keep_the_group_from_its_counselor(
        self,
    ) -> None:
        group = self.match()
        MatchGroup.objects.filter(id=group.id).update(counselor=None, assigned_at=None)
        failing = mock.Mock()
        failing.call.side_effect = RuntimeError("the notice cannot be made")
        with mock.patch.object(tasks, "notify_survivors", failing), self.assertRaises(RuntimeError):
            tasks.after_match.call(str(group.id), [str(self.alice.id)])
        group.refresh_from_db()
        self.assertEqual(group.counselor, self.carol)


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
class QueuedBeforeDeletionTests(TransactionTestCase):
    """With the production queue: the match's task is queued, she deletes her account, and
    only then does the worker run it."""

    def test_the_worker_still_assigns_the_group_and_tells_the_other_survivor(self) -> None:
        alice, bob, carol = (make_persona(n) for n in ("alice", "bob", "carol"))
        testing.add_counselor_key(carol)
        certify(carol)
        for user in (alice, bob):
            testing.verify(user)
            client = Client()
            client.force_login(user)
            self.assertEqual(testing.SurvivorBrowser(client).submit(NAMES, {}).status_code, 201)
        self.assertTrue(
            DBTaskResult.objects.filter(task_path="mend.escrow.tasks.after_match").exists()
        )
        account_actions.do_delete_account(alice)
        call_command(
            "db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO()
        )
        task = DBTaskResult.objects.get(task_path="mend.escrow.tasks.after_match")
        self.assertEqual((task.status, task.exception_class_path), ("SUCCESSFUL", ""))
        group = MatchGroup.objects.get()
        self.assertEqual(group.counselor, carol)
        self.assertEqual(
            list(Notice.objects.filter(kind=NoticeKind.MATCH).values_list("user", flat=True)),
            [bob.id],
        )
        self.assertEqual(Notice.objects.filter(user=carol, kind=NoticeKind.ASSIGNED).count(), 1)
        self.assertEqual(
            AuditLog.objects.filter(action=WITHDRAWN_AFTER_MATCH, object_id=str(group.id)).count(),
            1,
        )
