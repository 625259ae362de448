"""The staff rule: escrow groups go only to counselors who hold a current staff certificate."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test import SimpleTestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mend.accounts import roles
from mend.certificates import actions, paths
from mend.certificates.models import Certificate
from mend.certificates.testing import certify
from mend.escrow import tasks, testing
from mend.escrow.models import MatchGroup
from mend.escrow.tests.base import EscrowTestCase

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
        paths.register_module_versions(paths.COUNSELOR_PATH, lambda: {"demo-module": 2})
        self.addCleanup(paths._providers.pop, paths.COUNSELOR_PATH)
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
