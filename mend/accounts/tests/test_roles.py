"""One module of role checks (mend.accounts.roles), the same answer for every app."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import Client

from mend.accounts import roles
from mend.accounts.models import Role, User
from mend.test import BaseTestCase, login_with_otp


def verified(user: User) -> User:
    """The user as django_otp's middleware leaves it after a one-time code."""
    user.is_verified = lambda: True  # type: ignore[attr-defined]
    return user


class RoleTests(BaseTestCase):
    def test_it_names_each_persona_by_her_role_and_nobody_else(self) -> None:
        for user in (self.carol, self.frank, self.erin, self.adam):
            verified(user)
        checks = {
            "survivor": (roles.is_survivor, {"alice", "bob", "mallory"}),
            "counselor": (roles.is_counselor, {"carol"}),
            "facilitator": (roles.is_facilitator, {"frank"}),
            "editor": (roles.is_editor, {"erin", "adam"}),
            "admin": (roles.is_admin, {"adam"}),
            "not a survivor": (roles.is_other_account, {"carol", "frank", "erin", "adam", "lena"}),
            "idle clock": (roles.runs_idle_clock, {"alice", "bob", "mallory", "carol", "frank"}),
            "counselor account": (roles.is_counselor_account, {"carol"}),
            "learner": (roles.is_learner, {"lena"}),
        }
        lena = User.objects.create_user(username="lena", password="x", role=Role.LEARNER)
        people = [self.alice, self.bob, self.carol, self.erin, self.frank, self.adam, self.mallory]
        people.append(lena)
        for role, (check, names) in checks.items():
            self.assertEqual({u.username for u in people if check(u)}, names, role)
            self.assertFalse(check(AnonymousUser()), role)

    def test_the_dialogue_roles_are_who_they_say_and_nobody_else(self) -> None:
        sophie = User.objects.create_user("sophie", password="x", role=Role.SUPERVISOR)
        ross = User.objects.create_user("ross", password="x", role=Role.RESPONSIBLE)
        people = [self.alice, self.carol, self.frank, self.adam, sophie, ross]
        for user in people:
            verified(user)
        checks = {
            "supervisor": (roles.is_supervisor, {"sophie"}),
            "responsible": (roles.is_responsible, {"ross"}),
            "browser keys": (roles.holds_browser_keys, {"alice", "ross"}),
        }
        for role, (check, names) in checks.items():
            self.assertEqual({u.username for u in people if check(u)}, names, role)
            self.assertFalse(check(AnonymousUser()), role)
        self.assertFalse(roles.is_survivor(ross))
        self.assertFalse(roles.is_supervisor(User.objects.get(username="sophie")))  # no code

    def test_a_counselor_or_facilitator_is_one_only_after_her_second_factor(self) -> None:
        self.assertFalse(roles.is_counselor(self.carol))
        self.assertFalse(roles.is_facilitator(self.frank))
        self.assertTrue(roles.runs_idle_clock(self.carol))  # the sign-in page's own clock

    def test_an_account_with_the_staff_flag_is_never_a_survivor(self) -> None:
        self.alice.is_staff = True
        self.alice.save(update_fields=["is_staff"])
        self.assertFalse(roles.is_survivor(self.alice))
        with self.assertRaises(Http404):
            roles.require_survivor(self.alice)
        client = Client()
        client.force_login(self.alice)
        for url in ("/api/v1/vault/records", "/api/v1/escrow/entries"):
            self.assertEqual(client.get(url).status_code, 404, url)

    def test_a_deactivated_account_has_no_role(self) -> None:
        self.carol.is_active = False
        self.carol.save(update_fields=["is_active"])
        self.assertFalse(roles.is_counselor(verified(self.carol)))
        self.assertFalse(roles.is_counselor_account(self.carol))
        self.assertFalse(roles.runs_idle_clock(self.carol))

    def test_only_editors_and_admins_get_the_admin_flags(self) -> None:
        self.assertEqual(
            {role: tuple(roles.admin_flags(role).values()) for role in Role.values},
            {
                Role.SURVIVOR: (False, False),
                Role.COUNSELOR: (False, False),
                Role.FACILITATOR: (False, False),
                Role.EDITOR: (True, False),
                Role.ADMIN: (True, True),
                Role.LEARNER: (False, False),
                Role.SUPERVISOR: (False, False),
                Role.RESPONSIBLE: (False, False),
            },
        )
        self.assertEqual({r for r in Role.values if roles.is_staff_role(r)}, roles.STAFF_ROLES)

    def test_require_counselor_gives_404_without_the_second_factor(self) -> None:
        with self.assertRaises(Http404):
            roles.require_counselor(self.carol)
        self.assertEqual(roles.require_counselor(verified(self.carol)), self.carol)


class SignedOutTests(BaseTestCase):
    """Signed out, every protected API answers 401 signed_out (the page runtime turns it
    into "sign in again"); signed in but not allowed, 404."""

    URLS = (
        "/api/v1/vault/records",
        "/api/v1/escrow/entries",
        "/api/v1/escrow/threads",
        "/api/v1/counselor/groups",
        "/api/v1/accounts/alive",
    )

    def test_every_protected_api_answers_401_signed_out(self) -> None:
        for url in self.URLS:
            response = Client().get(url)
            self.assertEqual(response.status_code, 401, url)
            self.assertEqual(response.json()["code"], "signed_out", url)

    def test_the_wrong_role_gets_404_from_the_same_urls(self) -> None:
        client = Client()
        login_with_otp(client, self.erin)
        for url in self.URLS:
            self.assertEqual(client.get(url).status_code, 404, url)
