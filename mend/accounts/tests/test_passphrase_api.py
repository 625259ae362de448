from __future__ import annotations

from mend.accounts.models import KeyRing, User
from mend.accounts.tests.base import AccountTestCase
from mend.vault.models import Record
from mend.vault.testing import Draft


class ChangePassphraseTests(AccountTestCase):
    def test_it_rewraps_the_vault_key_and_leaves_records_untouched(self) -> None:
        sam = self.sign_up("sam")
        self.post("login", sam.login_body())
        draft = Draft(vk=sam.vk)
        self.client.post(f"/api/v1/vault/records/{draft.id}/versions", draft.save_form({"v": 1}))
        before = bytes(Record.objects.get(id=draft.id).wrapped_key)
        old_login = sam.login_body()
        r = self.post("passphrase", sam.new_passphrase("a new passphrase for a new start"))
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual(bytes(Record.objects.get(id=draft.id).wrapped_key), before)
        keyring = KeyRing.objects.get(user__username="sam")
        self.assertEqual(sam.open_vk(bytes(keyring.wrapped_vk)), sam.vk)
        self.assertIn("_auth_user_id", self.client.session)  # still signed in
        self.client.logout()
        self.assertEqual(self.post("login", old_login).status_code, 401)
        self.assertEqual(self.post("login", sam.login_body()).status_code, 200)

    def test_it_needs_the_current_passphrase(self) -> None:
        sam = self.sign_up("sam")
        self.post("login", sam.login_body())
        body = sam.new_passphrase("taken over")
        body["current_auth_key"] = "00" * 32
        r = self.post("passphrase", body)
        self.assertEqual(r.status_code, 401)
        self.assertEqual(self.json(r)["code"], "wrong_passphrase")

    def test_it_asks_a_signed_out_visitor_to_sign_in(self) -> None:
        sam = self.sign_up("sam")
        self.assertEqual(self.post("passphrase", sam.new_passphrase("x")).status_code, 401)

    def test_it_gives_staff_404(self) -> None:
        self.client.force_login(self.adam)
        body = {
            "current_auth_key": "00" * 32,
            "auth_key": "11" * 32,
            "params": {},
            "wrapped_vk": "",
        }
        self.assertEqual(self.post("passphrase", body).status_code, 404)
        self.assertTrue(User.objects.get(username="adam").check_password("adam-passphrase"))
