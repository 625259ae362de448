"""The web admin cannot change a staff account nor show a two-factor secret (issue 9).

Everything here is tried as adam, a superuser with a verified second factor, through the
real admin URLs; after each refusal the database is what it was.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from mend.accounts.models import Role, User
from mend.test import BaseTestCase, login_with_otp

USERS = "/staff/admin/accounts/user/"


class StaffAdminTests(BaseTestCase):
    def setUp(self) -> None:
        login_with_otp(self.client, self.adam)
        self.device = TOTPDevice.objects.create(user=self.carol, name="authenticator")
        self.carol_hash = User.objects.get(pk=self.carol.pk).password

    def assertCarolUnchanged(self) -> None:
        carol = User.objects.get(pk=self.carol.pk)
        self.assertEqual((carol.role, carol.password), (Role.COUNSELOR, self.carol_hash))
        self.assertEqual(
            (carol.is_staff, carol.is_superuser, carol.is_active), (False, False, True)
        )
        self.assertFalse(carol.groups.exists())

    def test_it_lists_staff_and_shows_an_account_read_only_without_its_hash(self) -> None:
        self.assertEqual(self.client.get(USERS).status_code, 200)
        r = self.client.get(f"{USERS}{self.carol.pk}/change/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "counselor")
        self.assertNotContains(r, self.carol_hash.split("$")[-1])
        self.assertNotContains(r, "/password/")
        self.assertNotContains(r, 'name="role"')

    def test_it_refuses_to_add_an_account_even_a_counselor(self) -> None:
        before = User.objects.count()
        self.assertEqual(self.client.get(f"{USERS}add/").status_code, 403)
        r = self.client.post(
            f"{USERS}add/",
            {"username": "eve", "password1": "x" * 20, "password2": "x" * 20, "role": "counselor"},
        )
        self.assertEqual(r.status_code, 403)
        self.assertEqual(User.objects.count(), before)

    def test_it_refuses_to_change_a_role_or_admin_flags(self) -> None:
        r = self.client.post(
            f"{USERS}{self.carol.pk}/change/",
            {
                "username": "carol",
                "role": "admin",
                "is_active": "on",
                "is_staff": "on",
                "is_superuser": "on",
                "groups": [],
            },
        )
        self.assertEqual(r.status_code, 403)
        self.assertCarolUnchanged()

    def test_it_has_no_way_to_a_passphrase_form(self) -> None:
        url = f"{USERS}{self.carol.pk}/password/"
        self.assertEqual(self.client.get(url).status_code, 403)
        r = self.client.post(url, {"password1": "y" * 20, "password2": "y" * 20})
        self.assertEqual(r.status_code, 403)
        self.assertCarolUnchanged()

    def test_she_cannot_change_even_her_own_passphrase_in_the_admin(self) -> None:
        adam_hash = User.objects.get(pk=self.adam.pk).password
        self.assertEqual(self.client.get("/staff/admin/password_change/").status_code, 404)
        r = self.client.post(
            "/staff/admin/password_change/",
            {
                "old_password": "adam-passphrase",
                "new_password1": "z" * 20,
                "new_password2": "z" * 20,
            },
        )
        self.assertEqual(r.status_code, 404)
        self.assertEqual(User.objects.get(pk=self.adam.pk).password, adam_hash)
        self.assertEqual(self.client.get("/staff/admin/password_change/done/").status_code, 404)

    def test_it_refuses_to_delete_an_account(self) -> None:
        url = f"{USERS}{self.carol.pk}/delete/"
        self.assertEqual(self.client.post(url, {"post": "yes"}).status_code, 403)
        r = self.client.post(
            USERS, {"action": "delete_selected", "_selected_action": [self.carol.pk], "post": "yes"}
        )
        self.assertEqual(r.status_code, 200)  # no action exists: the list is shown again
        self.assertTrue(User.objects.filter(pk=self.carol.pk).exists())

    def test_it_has_no_page_for_devices_groups_or_task_results(self) -> None:
        group = Group.objects.create(name="x")
        for path in (
            "otp_totp/totpdevice/",
            f"otp_totp/totpdevice/{self.device.pk}/change/",
            f"otp_totp/totpdevice/{self.device.pk}/delete/",
            "otp_totp/totpdevice/add/",
            "auth/group/",
            f"auth/group/{group.pk}/change/",
            "django_tasks_database/dbtaskresult/",
        ):
            self.assertEqual(self.client.get(f"/staff/admin/{path}").status_code, 404, path)
        r = self.client.post(f"/staff/admin/otp_totp/totpdevice/{self.device.pk}/delete/")
        self.assertEqual(r.status_code, 404)
        self.assertTrue(TOTPDevice.objects.filter(pk=self.device.pk).exists())
        self.assertFalse(DBTaskResult.objects.exists())

    def test_no_admin_page_shows_a_totp_secret(self) -> None:
        for url in ("/staff/admin/", USERS, f"{USERS}{self.carol.pk}/change/"):
            r = self.client.get(url)
            self.assertEqual(r.status_code, 200, url)
            self.assertNotContains(r, self.device.key)
            self.assertNotContains(r, "otp_totp")


class EditorStaffAdminTests(BaseTestCase):
    """erin edits the directory; staff accounts and counselor keys are not hers to see."""

    def test_erin_cannot_list_staff_accounts_or_counselor_keys(self) -> None:
        login_with_otp(self.client, self.erin)
        for url in (USERS, f"{USERS}{self.carol.pk}/change/", "/staff/admin/escrow/counselorkey/"):
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(self.client.get("/staff/admin/directory/service/").status_code, 200)
