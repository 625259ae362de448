"""The staff rule: escrow groups go only to counselors who hold a current staff certificate."""

from __future__ import annotations

import io
from datetime import timedelta

import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import SimpleTestCase, TransactionTestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mend.accounts import roles
from mend.audit.models import AuditLog
from mend.certificates import actions, paths
from mend.certificates.models import Certificate
from mend.certificates.testing import certify, raise_a_module
from mend.escrow import tasks, testing
from mend.escrow.models import GroupState, MatchGroup
from mend.escrow.tests.base import EscrowTestCase
from mend.test import make_persona

NAMES = ["email:someone@example.org"]


class StaffRoleTests(SimpleTestCase):
    def test_every_role_that_takes_cases_has_its_own_path_and_no_other_role_has_one(self) -> None:
        self.assertEqual(set(paths.PATH_FOR_ROLE), set(roles.CERTIFIED_ROLES))
        self.assertEqual(len(set(paths.PATH_FOR_ROLE.values())), len(roles.CERTIFIED_ROLES))


class StaffRuleTests(EscrowTestCase):
    """carol (certified by EscrowTestCase) and dana, a counselor with an endorsed key."""

    def setUp(self) -> None:
        super().setUp()
        self.dana = self.make_counselor("dana")
        testing.add_counselor_key(self.dana)

    def match(self) -> MatchGroup:
        for user in (self.alice, self.bob):
            with self.captureOnCommitCallbacks(execute=True):
                self.assertEqual(self.browser_for(user).submit(NAMES, {}).status_code, 201)
        group = MatchGroup.objects.get()
        MatchGroup.objects.filter(id=group.id).update(counselor=None, assigned_at=None)
        return group

    def revoke_carol(self) -> None:
        certificate = Certificate.objects.get(holder=self.carol)
        actions.do_revoke_certificate(certificate.id, "Left Mend", timezone.now())

    def test_it_refuses_a_counselor_without_a_certificate_and_leaves_the_group_waiting(
        self,
    ) -> None:
        group = self.match()
        self.revoke_carol()
        self.assertEqual(tasks.assign_counselor.call(str(group.id)), "")
        group.refresh_from_db()
        self.assertIsNone(group.counselor)

    def test_it_accepts_the_same_counselor_once_she_is_certified(self) -> None:
        group = self.match()
        self.revoke_carol()
        certify(self.dana)
        self.assertEqual(tasks.assign_counselor.call(str(group.id)), str(self.dana.id))
        group.refresh_from_db()
        self.assertEqual(group.counselor, self.dana)

    def test_a_group_that_waited_goes_to_a_counselor_as_soon_as_she_is_certified(self) -> None:
        group = self.match()
        self.revoke_carol()
        self.assertEqual(tasks.assign_counselor.call(str(group.id)), "")
        with self.captureOnCommitCallbacks(execute=True):
            certify(self.dana)
        group.refresh_from_db()
        self.assertEqual(group.counselor, self.dana)

    def test_a_certificate_of_another_path_or_for_a_facilitator_assigns_nothing(self) -> None:
        group = self.match()
        self.revoke_carol()
        with self.captureOnCommitCallbacks(execute=True):
            certify(self.dana, path_id="police")
            certify(self.frank)
        group.refresh_from_db()
        self.assertIsNone(group.counselor)

    def test_it_refuses_an_expired_certificate(self) -> None:
        group = self.match()
        self.revoke_carol()
        certify(self.dana, now=timezone.now() - timedelta(days=731))
        self.assertEqual(tasks.assign_counselor.call(str(group.id)), "")

    def test_it_refuses_a_certificate_of_another_path(self) -> None:
        group = self.match()
        self.revoke_carol()
        certify(self.dana, path_id="police")
        self.assertEqual(tasks.assign_counselor.call(str(group.id)), "")

    def test_it_refuses_a_certificate_older_than_a_material_change_to_a_staff_module(
        self,
    ) -> None:
        group = self.match()
        raise_a_module(self, paths.COUNSELOR_PATH)
        self.assertEqual(tasks.assign_counselor.call(str(group.id)), "")
        certify(self.dana)  # re-certified on the new version
        self.assertEqual(tasks.assign_counselor.call(str(group.id)), str(self.dana.id))

    def test_picking_costs_the_same_queries_however_many_counselors(self) -> None:
        group = self.match()
        with CaptureQueriesContext(connection) as few:
            tasks.pick_counselor(group, timezone.now())
        for number in range(4):
            counselor = self.make_counselor(f"counselor{number}")
            testing.add_counselor_key(counselor)
            certify(counselor)
        with CaptureQueriesContext(connection) as many:
            tasks.pick_counselor(group, timezone.now())
        self.assertEqual(len(many.captured_queries), len(few.captured_queries))


def carols_group(case: EscrowTestCase, names: list[str] = NAMES) -> MatchGroup:
    """A match of alice's and bob's entries naming `names`, given to carol."""
    earlier = list(MatchGroup.objects.values_list("id", flat=True))
    for user in (case.alice, case.bob):
        with case.captureOnCommitCallbacks(execute=True):
            case.assertEqual(case.browser_for(user).submit(names, {}).status_code, 201)
    group = MatchGroup.objects.exclude(id__in=earlier).get()
    case.assertEqual(group.counselor, case.carol)
    return group


class TakingBackTests(EscrowTestCase):
    """carol holds an open group when her staff certificate is revoked; dana, a colleague
    with an endorsed key, may or may not be certified."""

    def setUp(self) -> None:
        super().setUp()
        self.dana = self.make_counselor("dana")
        testing.add_counselor_key(self.dana)

    def carols_group(self) -> MatchGroup:
        return carols_group(self)

    def revoke(self, certificate: Certificate) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            actions.do_revoke_certificate(certificate.id, "Left Mend", timezone.now())

    def carol_can_open(self, group: MatchGroup) -> int:
        client = self.counselor_client(self.carol)
        return client.get(f"{testing.COUNSELOR_API}/groups/{group.id}").status_code

    def test_revoking_her_certificate_gives_her_open_group_to_a_certified_colleague(
        self,
    ) -> None:
        group = self.carols_group()
        certify(self.dana)
        self.revoke(Certificate.objects.get(holder=self.carol))
        group.refresh_from_db()
        self.assertEqual(group.counselor, self.dana)
        self.assertEqual(self.carol_can_open(group), 404)
        taken = AuditLog.objects.filter(action="escrow.group.taken_back")
        self.assertEqual(list(taken.values_list("object_id", flat=True)), [str(group.id)])

    def test_with_nobody_else_certified_the_group_waits_and_she_can_no_longer_open_it(
        self,
    ) -> None:
        group = self.carols_group()
        self.assertEqual(self.carol_can_open(group), 200)
        self.revoke(Certificate.objects.get(holder=self.carol))
        group.refresh_from_db()
        self.assertIsNone(group.counselor)
        self.assertIsNone(group.assigned_at)
        self.assertEqual(self.carol_can_open(group), 404)

    def test_a_closed_group_stays_hers(self) -> None:
        group = self.carols_group()
        MatchGroup.objects.filter(id=group.id).update(state=GroupState.CLOSED)
        self.revoke(Certificate.objects.get(holder=self.carol))
        group.refresh_from_db()
        self.assertEqual(group.counselor, self.carol)

    def test_revoking_an_old_certificate_she_has_renewed_takes_nothing_back(self) -> None:
        group = self.carols_group()
        old = Certificate.objects.get(holder=self.carol)
        certify(self.carol, now=timezone.now() + timedelta(seconds=1))
        self.revoke(old)
        group.refresh_from_db()
        self.assertEqual(group.counselor, self.carol)

    def test_revoking_a_certificate_of_another_path_takes_nothing_back(self) -> None:
        group = self.carols_group()
        police = certify(self.carol, path_id="police")
        self.revoke(police)
        group.refresh_from_db()
        self.assertEqual(group.counselor, self.carol)


class LapsingTests(EscrowTestCase):
    """carol holds an open group when her staff certificate lapses without a revocation: it
    expires, or a module of the path is raised; dana is a colleague with an endorsed key."""

    def setUp(self) -> None:
        super().setUp()
        self.dana = self.make_counselor("dana")
        testing.add_counselor_key(self.dana)
        self.group = carols_group(self)
        self.expiry = Certificate.objects.get(holder=self.carol).expires_at

    def carols_workspace(self) -> tuple[int, int, str]:
        """What carol's sign-in reaches now: the group by the API and by its page, and her
        workspace's page."""
        client = self.counselor_client(self.carol)
        by_api = client.get(f"{testing.COUNSELOR_API}/groups/{self.group.id}").status_code
        page = client.get(f"/counselor/groups/{self.group.id}/").status_code
        return by_api, page, client.get("/counselor/").content.decode()

    def test_her_workspace_opens_her_group_until_the_second_her_certificate_expires(
        self,
    ) -> None:
        with time_machine.travel(self.expiry - timedelta(seconds=1), tick=False):
            by_api, page, home = self.carols_workspace()
        self.assertEqual((by_api, page), (200, 200))
        self.assertIn(f"/counselor/groups/{self.group.id}/", home)
        self.assertNotIn('data-qa="not-certified"', home)
        with time_machine.travel(self.expiry, tick=False):
            by_api, page, home = self.carols_workspace()
            spanish = self.counselor_client(self.carol).get("/es/counselor/")
        self.assertEqual((by_api, page), (404, 404))
        self.assertNotIn(str(self.group.id), home)
        self.assertIn('data-qa="not-certified"', home)
        self.assertIn("Renew it in Training", home)  # she held one: renew, not begin
        self.assertNotIn("You do not hold a counselor certificate yet", home)
        self.assertContains(spanish, "Tu certificado de persona consejera no está vigente")

    def test_the_sweep_at_her_expiry_gives_her_open_group_to_a_certified_colleague(self) -> None:
        closed = carols_group(self, ["email:another@example.org"])
        MatchGroup.objects.filter(id=closed.id).update(state=GroupState.CLOSED)
        with time_machine.travel(self.expiry, tick=False):
            certify(self.dana)
            with self.captureOnCommitCallbacks(execute=True):  # the assignment that follows
                self.assertEqual(tasks.take_back_lapsed_groups.call(), 1)
            self.assertEqual(tasks.take_back_lapsed_groups.call(), 0)  # idempotent
        self.group.refresh_from_db()
        self.assertEqual(self.group.counselor, self.dana)
        self.assertEqual(MatchGroup.objects.get(id=closed.id).counselor, self.carol)
        taken = AuditLog.objects.filter(action="escrow.group.taken_back")
        self.assertEqual(list(taken.values_list("object_id", flat=True)), [str(self.group.id)])

    def test_the_sweep_leaves_the_group_of_a_counselor_who_renewed_in_time(self) -> None:
        with time_machine.travel(self.expiry - timedelta(days=1), tick=False):
            certify(self.carol)
        with time_machine.travel(self.expiry, tick=False):
            self.assertEqual(tasks.take_back_lapsed_groups.call(), 0)
            self.assertEqual(self.carols_workspace()[:2], (200, 200))
        self.group.refresh_from_db()
        self.assertEqual(self.group.counselor, self.carol)

    def test_a_raised_module_closes_her_group_and_the_command_gives_it_back(self) -> None:
        raise_a_module(self, paths.COUNSELOR_PATH)
        self.assertEqual(self.carols_workspace()[:2], (404, 404))
        out = io.StringIO()
        call_command("take_back_lapsed_groups", stdout=out)
        self.assertEqual(out.getvalue(), "1 open group(s) given back.\n")
        self.group.refresh_from_db()
        self.assertIsNone(self.group.counselor)
        with self.captureOnCommitCallbacks(execute=True):
            certify(self.dana)  # certified on the new version: the waiting group is hers
        self.group.refresh_from_db()
        self.assertEqual(self.group.counselor, self.dana)


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
class ExpiryQueueTests(TransactionTestCase):
    """With the production queue, each counselor certificate queues the sweep for the
    moment it expires, with the certificate's own transaction."""

    def test_a_counselor_certificate_queues_the_sweep_at_its_expiry_and_others_do_not(
        self,
    ) -> None:
        from django_tasks_db.models import DBTaskResult

        carol = make_persona("carol")
        certificate = certify(carol)
        certify(carol, path_id="police")
        certify(make_persona("alice"))
        sweep = DBTaskResult.objects.filter(task_path=tasks.take_back_lapsed_groups.module_path)
        self.assertEqual(list(sweep.values_list("run_after", flat=True)), [certificate.expires_at])
