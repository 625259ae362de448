"""Joining an organisation with a one-time code, and signing in as a learner."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import time_machine
from django.test import override_settings
from django.urls import reverse

from mend.accounts.models import Role, User
from mend.test import NOW, login_with_otp
from mend.training import actions, invitations
from mend.training.models import Invitation, Membership
from mend.training.tests.base import TrainingTestCase

PASSPHRASE = "violet harbour candle stream"


@time_machine.travel(NOW, tick=False)
class JoinTests(TrainingTestCase):
    url = reverse("training:join")

    def code(self, *, as_admin: bool = False) -> str:
        [code] = actions.do_issue_invitations(
            self.springfield, self.olivia, 1, as_admin=as_admin, now=NOW
        )
        return code

    def join(self, code: str, username: str = "nadia", **extra: str) -> Any:
        data = {"code": code, "username": username, "name": "Nadia R.", "passphrase": PASSPHRASE}
        return self.client.post(self.url, {**data, **extra})

    def test_it_makes_a_learner_of_her_organisation_and_signs_her_in(self) -> None:
        r = self.join(self.code().lower())
        self.assertRedirects(r, reverse("training:home"), fetch_redirect_response=False)
        nadia = User.objects.get(username="nadia")
        self.assertEqual(nadia.role, Role.LEARNER)
        self.assertTrue(nadia.check_password(PASSPHRASE))
        self.assertEqual(nadia.email, "")
        membership = Membership.objects.get(user=nadia)
        self.assertEqual((membership.organisation, membership.is_admin), (self.springfield, False))
        self.assertEqual(membership.name, "Nadia R.")
        self.assertEqual(str(self.client.session["_auth_user_id"]), str(nadia.pk))

    def test_it_makes_an_administrator_with_an_administrator_code(self) -> None:
        self.join(self.code(as_admin=True))
        self.assertTrue(Membership.objects.get(user__username="nadia").is_admin)

    def test_it_uses_a_code_once(self) -> None:
        code = self.code()
        self.join(code)
        self.client.logout()
        r = self.join(code, username="second")
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "This code is not valid", status_code=400)
        self.assertFalse(User.objects.filter(username="second").exists())
        self.assertEqual(Invitation.objects.get().used_at, NOW)

    def test_it_refuses_an_expired_code(self) -> None:
        code = self.code()
        with time_machine.travel(NOW + timedelta(days=31), tick=False):
            r = self.join(code)
        self.assertEqual(r.status_code, 400)
        self.assertFalse(User.objects.filter(username="nadia").exists())
        self.assertIsNone(Invitation.objects.get().used_at)

    def test_it_stores_only_a_keyed_hash_of_the_code(self) -> None:
        code = self.code()
        stored = Invitation.objects.get()
        self.assertEqual(stored.code_hash, invitations.code_hash(code))
        self.assertNotIn(code, stored.code_hash)
        self.assertEqual(len(code), 20)

    def test_it_keeps_the_code_when_the_username_is_taken(self) -> None:
        code = self.code()
        r = self.join(code, username="lena")
        self.assertContains(r, "This username is taken", status_code=400)
        self.assertIsNone(Invitation.objects.get().used_at)

    def test_it_refuses_a_short_passphrase_and_keeps_the_code(self) -> None:
        code = self.code()
        r = self.join(code, passphrase="short")
        self.assertContains(r, "at least 12 characters", status_code=400)
        self.assertFalse(User.objects.filter(username="nadia").exists())
        self.assertIsNone(Invitation.objects.get().used_at)

    def test_it_refuses_a_username_with_spaces(self) -> None:
        r = self.join(self.code(), username="na dia")
        self.assertEqual(r.status_code, 400)
        self.assertFalse(Membership.objects.filter(name="Nadia R.").exists())

    @override_settings(RATE_LIMIT_TRAINING_JOIN_IP=(3, 3600))
    def test_it_limits_tries_from_one_address(self) -> None:
        for _ in range(3):
            self.assertEqual(self.join("WRONGWRONGWRONGWRONG").status_code, 400)
        code = self.code()
        r = self.join(code)
        self.assertEqual(r.status_code, 429)
        self.assertIn("Retry-After", r.headers)
        self.assertFalse(User.objects.filter(username="nadia").exists())
        self.assertIsNone(Invitation.objects.get().used_at)


class LoginTests(TrainingTestCase):
    url = reverse("training:login")

    def test_it_signs_a_learner_in(self) -> None:
        r = self.client.post(self.url, {"username": "Lena", "passphrase": "lena-passphrase-long"})
        self.assertRedirects(r, reverse("training:home"), fetch_redirect_response=False)
        self.assertEqual(str(self.client.session["_auth_user_id"]), str(self.lena.pk))

    def test_it_refuses_a_wrong_passphrase(self) -> None:
        r = self.client.post(self.url, {"username": "lena", "passphrase": "not-hers-at-all"})
        self.assertContains(r, "is not right", status_code=400)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_refuses_staff_and_survivors_as_wrong(self) -> None:
        for name in ("adam", "carol", "alice"):
            with self.subTest(name):
                r = self.client.post(
                    self.url, {"username": name, "passphrase": f"{name}-passphrase"}
                )
                self.assertContains(r, "is not right", status_code=400)
                self.assertNotIn("_auth_user_id", self.client.session)

    @override_settings(RATE_LIMIT_TRAINING_LOGIN_USERNAME=(3, 900))
    def test_it_limits_tries_per_username(self) -> None:
        for _ in range(3):
            self.client.post(self.url, {"username": "lena", "passphrase": "wrong-wrong-wrong"})
        r = self.client.post(self.url, {"username": "lena", "passphrase": "lena-passphrase-long"})
        self.assertEqual(r.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_signs_out_on_post(self) -> None:
        self.client.force_login(self.lena)
        r = self.client.post(reverse("training:logout"))
        self.assertEqual(r.status_code, 302)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_keeps_learners_out_of_survivor_pages(self) -> None:
        self.client.force_login(self.lena)
        self.assertEqual(self.client.get(reverse("vault:list")).status_code, 404)
        self.assertEqual(self.client.get(reverse("accounts:login")).status_code, 404)


class StaffAdminTests(TrainingTestCase):
    def test_it_lists_no_learner_among_staff_accounts(self) -> None:
        login_with_otp(self.client, self.adam)
        r = self.client.get("/staff/admin/accounts/user/")
        self.assertContains(r, ">carol<")
        self.assertNotContains(r, ">lena<")
        self.assertNotContains(r, ">olivia<")
