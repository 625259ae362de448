from __future__ import annotations

import uuid

from django.db import connection

from mend.accounts.models import KeyRing, User
from mend.accounts.tests.base import AccountTestCase
from mend.vault.models import Attachment, Record, RecordVersion
from mend.vault.testing import Draft, Survivor


class DeleteAccountTests(AccountTestCase):
    def signed_in_with_a_record(self) -> tuple[Survivor, Draft]:
        sam = self.sign_up("sam")
        self.post("login", sam.login_body())
        draft = Draft(vk=sam.vk)
        form = draft.save_form({"v": 1}, files={uuid.uuid4(): b"photo"})
        r = self.client.post(f"/api/v1/vault/records/{draft.id}/versions", form)
        self.assertEqual(r.status_code, 201)
        return sam, draft

    def test_it_deletes_the_account_and_everything_in_it_at_once(self) -> None:
        sam, _ = self.signed_in_with_a_record()
        auth_key = sam.login_body()["auth_key"]
        r = self.post("delete", {"auth_key": auth_key, "confirm": True})
        self.assertEqual(r.status_code, 204)
        self.assertFalse(User.objects.filter(username="sam").exists())
        for model in (KeyRing, Record, RecordVersion, Attachment):
            self.assertEqual(model.objects.count(), 0, model.__name__)
        self.assertNotIn("_auth_user_id", self.client.session)
        with connection.cursor() as cursor:  # no row anywhere still names her
            cursor.execute("SELECT COUNT(*) FROM accounts_user WHERE username = 'sam'")
            self.assertEqual(cursor.fetchone(), (0,))

    def test_it_needs_the_passphrase_again(self) -> None:
        self.signed_in_with_a_record()
        r = self.post("delete", {"auth_key": "00" * 32, "confirm": True})
        self.assertEqual(r.status_code, 401)
        self.assertEqual(Record.objects.count(), 1)

    def test_it_needs_a_confirmation(self) -> None:
        sam, _ = self.signed_in_with_a_record()
        r = self.post("delete", {"auth_key": sam.login_body()["auth_key"], "confirm": False})
        self.assertEqual(r.status_code, 400)
        self.assertTrue(User.objects.filter(username="sam").exists())

    def test_it_gives_staff_404_and_deletes_nothing(self) -> None:
        self.client.force_login(self.adam)
        r = self.post("delete", {"auth_key": "00" * 32, "confirm": True})
        self.assertEqual(r.status_code, 404)
        self.assertTrue(User.objects.filter(username="adam").exists())
