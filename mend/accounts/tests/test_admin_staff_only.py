"""The web admin lists staff accounts only: a survivor's, a responsible person's (the one
named in a restorative case) or a learner's account has no line and no page there.

Tried as adam, a superuser with a verified second factor, through the real admin URLs.
"""

from __future__ import annotations

from mend.accounts.models import Role, User
from mend.test import BaseTestCase, login_with_otp

USERS = "/staff/admin/accounts/user/"


class StaffOnlyAdminTests(BaseTestCase):
    def setUp(self) -> None:
        self.dan = User.objects.create_user(
            "dan", password="dan-key-long-enough", role=Role.RESPONSIBLE
        )
        self.lena = User.objects.create_user("lena", password="lena-passphrase", role=Role.LEARNER)
        login_with_otp(self.client, self.adam)

    def test_it_lists_staff_and_no_responsible_person_survivor_or_learner(self) -> None:
        r = self.client.get(USERS)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, ">carol<")
        self.assertContains(r, ">adam<")
        for name in ("dan", "alice", "lena"):
            self.assertNotContains(r, f">{name}<")

    def test_filtering_by_the_responsible_role_lists_nobody(self) -> None:
        r = self.client.get(f"{USERS}?role__exact=responsible")
        self.assertEqual(r.status_code, 200)
        self.assertNotContains(r, ">dan<")
        self.assertEqual(list(r.context["cl"].result_list), [])

    def test_a_responsible_persons_page_does_not_exist_as_a_survivors_does_not(self) -> None:
        for user in (self.dan, self.alice):
            with self.subTest(user.username):
                r = self.client.get(f"{USERS}{user.pk}/change/")
                self.assertEqual(r.status_code, 302)  # "doesn't exist", to the admin's index
                self.assertEqual(r["Location"], "/staff/admin/")
        dan = User.objects.get(pk=self.dan.pk)
        self.assertEqual((dan.role, dan.is_active, dan.is_staff), (Role.RESPONSIBLE, True, False))
