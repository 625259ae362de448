"""A closed group that someone new joins reopens with its counselor only if she may still
take it: her key retired, or her certificate lapsed since, a colleague who may is assigned
(as for a new group), and she reads none of it. Personas: alice, bob and zoe name the
same person; carol counselled the group; dana is a certified colleague."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from mend.accounts.models import User
from mend.certificates.models import Certificate
from mend.certificates.testing import certify
from mend.escrow import actions as escrow_actions
from mend.escrow import tasks, testing
from mend.escrow.models import CounselorKey, GroupState, MatchGroup
from mend.escrow.tests.base import EscrowTestCase

NAMES = ["email:someone@example.org"]
API = testing.COUNSELOR_API


class ClosedGroupTestCase(EscrowTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.dana = self.make_counselor("dana")
        self.dana_keys = testing.add_counselor_key(self.dana, endorsed_by=self.carol_keys)
        certify(self.dana)

    def submit(self, user: User) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            r = self.browser_for(user).submit(NAMES, {})
        self.assertEqual(r.status_code, 201, r.content)

    def closed_group(self) -> MatchGroup:
        self.submit(self.alice)
        self.submit(self.bob)
        group = MatchGroup.objects.get()
        self.assertEqual(group.counselor, self.carol)
        closed = self.counselor_client().post(f"/counselor/groups/{group.id}/close/")
        self.assertEqual(closed.status_code, 302)
        return group


class ReopenedGroupTests(ClosedGroupTestCase):
    def assert_reopened_with_dana(self, group: MatchGroup) -> None:
        group.refresh_from_db()
        self.assertEqual((group.state, group.counselor), (GroupState.OPEN, self.dana))
        self.assertEqual(
            self.counselor_client(self.dana).get(f"{API}/groups/{group.id}").status_code, 200
        )

    def test_a_counselor_whose_key_was_retired_does_not_get_it_back(self) -> None:
        group = self.closed_group()
        key = CounselorKey.objects.get(counselor=self.carol, active=True)
        with self.captureOnCommitCallbacks(execute=True):
            escrow_actions.do_retire_counselor_key(key, self.adam)
        self.submit(self.make_survivor("zoe"))
        self.assert_reopened_with_dana(group)
        self.assertEqual(self.counselor_client().get(f"{API}/groups/{group.id}").status_code, 404)

    def test_a_counselor_whose_certificate_lapsed_does_not_get_it_back(self) -> None:
        group = self.closed_group()
        later = Certificate.objects.get(holder=self.carol).expires_at + timedelta(days=1)
        with time_machine.travel(later, tick=False):
            certify(self.dana, now=later)
            with self.captureOnCommitCallbacks(execute=True):
                tasks.take_back_lapsed_groups.call()
            self.submit(self.make_survivor("zoe"))
            self.assert_reopened_with_dana(group)

    def test_a_counselor_who_may_still_take_it_keeps_it(self) -> None:
        group = self.closed_group()
        self.submit(self.make_survivor("zoe"))
        group.refresh_from_db()
        self.assertEqual((group.state, group.counselor), (GroupState.OPEN, self.carol))


class RetiredKeyClosesHerGroupsTests(ClosedGroupTestCase):
    """Retiring her key is what an admin does when she leaves Mend: her closed groups, and
    their threads, close to her with it."""

    def retire_carols_key(self) -> None:
        key = CounselorKey.objects.get(counselor=self.carol, active=True)
        with self.captureOnCommitCallbacks(execute=True):
            escrow_actions.do_retire_counselor_key(key, self.adam)

    def test_after_her_key_is_retired_carol_opens_none_of_her_closed_groups(self) -> None:
        group = self.closed_group()
        member = group.members.order_by("joined_at").first()
        assert member is not None
        carol = self.counselor_client()
        pages = (
            f"{API}/groups/{group.id}",
            f"/counselor/groups/{group.id}/",
            f"/counselor/groups/{group.id}/members/{member.id}/",
        )
        self.assertEqual([carol.get(page).status_code for page in pages], [200, 200, 200])
        self.retire_carols_key()
        self.assertEqual([carol.get(page).status_code for page in pages], [404, 404, 404])
        self.assertEqual(carol.get(f"{API}/groups").json(), [])
        group.refresh_from_db()
        self.assertEqual(group.counselor, self.carol)  # the record of who counselled it stays

    def test_a_new_key_after_a_forgotten_passphrase_brings_them_back(self) -> None:
        group = self.closed_group()
        self.retire_carols_key()
        testing.add_counselor_key(self.carol, endorsed_by=self.dana_keys)
        self.assertEqual(self.counselor_client().get(f"{API}/groups/{group.id}").status_code, 200)
