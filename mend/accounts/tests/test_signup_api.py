from __future__ import annotations

from django.contrib.auth.hashers import check_password

from mend.accounts.models import KeyRing, Role, User
from mend.accounts.tests.base import PASSPHRASE, AccountTestCase
from mend.crypto import kdf
from mend.vault.testing import Survivor, recovery_auth


class SignUpTests(AccountTestCase):
    def test_it_creates_a_survivor_who_is_signed_in(self) -> None:
        sam = Survivor("sam", PASSPHRASE)
        r = self.post("signup", sam.signup_body())
        self.assertEqual(r.status_code, 201, r.content)
        self.assertIn("csrf_token", self.json(r))
        user = User.objects.get(username="sam")
        self.assertEqual(user.role, Role.SURVIVOR)
        self.assertEqual(user.email, "")
        self.assertEqual(str(self.client.session["_auth_user_id"]), str(user.pk))

    def test_it_stores_the_auth_key_only_as_a_password_hash(self) -> None:
        sam = Survivor("sam", PASSPHRASE)
        self.post("signup", sam.signup_body())
        user = User.objects.get(username="sam")
        self.assertTrue(user.check_password(sam.keys.auth_key.hex()))
        self.assertNotIn(sam.keys.auth_key.hex(), user.password)
        self.assertNotIn(PASSPHRASE, user.password)

    def test_it_keeps_the_vault_key_only_wrapped(self) -> None:
        sam = Survivor("sam", PASSPHRASE)
        self.post("signup", sam.signup_body())
        keyring = KeyRing.objects.get(user__username="sam")
        self.assertEqual(sam.open_vk(bytes(keyring.wrapped_vk)), sam.vk)
        self.assertNotIn(sam.vk, bytes(keyring.wrapped_vk))
        self.assertNotIn(sam.vk, bytes(keyring.recovery_wrapped_vk))
        self.assertEqual(kdf.Argon2Params.from_dict(keyring.kdf_params), sam.params)
        proof = recovery_auth(sam.recovery_key).hex()
        self.assertNotIn(proof, keyring.recovery_auth_hash)
        self.assertTrue(check_password(proof, keyring.recovery_auth_hash))

    def test_it_lower_cases_and_trims_the_username(self) -> None:
        sam = Survivor("  Sam.K ", PASSPHRASE)
        self.assertEqual(self.post("signup", sam.signup_body()).status_code, 201)
        self.assertTrue(User.objects.filter(username="sam.k").exists())

    def test_it_refuses_a_taken_username_with_409(self) -> None:
        r = self.post("signup", Survivor("alice", PASSPHRASE).signup_body())
        self.assertEqual(r.status_code, 409)
        self.assertEqual(self.json(r)["code"], "username_taken")
        self.assertFalse(KeyRing.objects.exists())

    def test_it_refuses_a_vault_id_already_in_use_with_409(self) -> None:
        taken = Survivor("sam", PASSPHRASE)
        self.assertEqual(self.post("signup", taken.signup_body()).status_code, 201)
        self.client.logout()
        copycat = Survivor("tom", PASSPHRASE, vault_id=taken.vault_id)
        r = self.post("signup", copycat.signup_body())
        self.assertEqual(r.status_code, 409)
        self.assertEqual(self.json(r)["code"], "vault_id_taken")
        self.assertFalse(User.objects.filter(username="tom").exists())
        self.assertEqual(KeyRing.objects.get(vault_id=taken.vault_id).user.username, "sam")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_refuses_a_username_that_is_an_email_address(self) -> None:
        r = self.post("signup", Survivor("sam@example.org", PASSPHRASE).signup_body())
        self.assertEqual(r.status_code, 400)
        self.assertEqual(self.json(r)["code"], "username_invalid")
        self.assertFalse(User.objects.filter(username__startswith="sam").exists())

    def test_it_refuses_kdf_parameters_below_the_floor(self) -> None:
        body = Survivor("sam", PASSPHRASE).signup_body()
        body["params"] = {**body["params"], "opslimit": 1}
        r = self.post("signup", body)
        self.assertEqual(r.status_code, 400)
        self.assertEqual(self.json(r)["code"], "params_weak")
        self.assertFalse(User.objects.filter(username="sam").exists())

    def test_it_refuses_a_wrapped_key_that_is_not_an_envelope(self) -> None:
        body = Survivor("sam", PASSPHRASE).signup_body()
        body["wrapped_vk"] = "AAAA"
        r = self.post("signup", body)
        self.assertEqual(r.status_code, 400)
        self.assertFalse(User.objects.filter(username="sam").exists())

    def test_it_refuses_a_passphrase_sent_by_mistake(self) -> None:
        body = {**Survivor("sam", PASSPHRASE).signup_body(), "passphrase": PASSPHRASE}
        self.assertEqual(self.post("signup", body).status_code, 422)
        self.assertFalse(User.objects.filter(username="sam").exists())

    def test_it_checks_csrf(self) -> None:
        self.client = self.client_class(enforce_csrf_checks=True)
        r = self.post("signup", Survivor("sam", PASSPHRASE).signup_body())
        self.assertEqual(r.status_code, 403)
        self.assertFalse(User.objects.filter(username="sam").exists())

    def test_it_rate_limits_sign_ups_from_one_address(self) -> None:
        with self.settings(RATE_LIMIT_SIGNUP_IP=(2, 3600)):
            for n in range(2):
                self.assertEqual(
                    self.post("signup", Survivor(f"sam{n}", "p").signup_body()).status_code, 201
                )
                self.client.logout()
            r = self.post("signup", Survivor("sam3", "p").signup_body())
        self.assertEqual(r.status_code, 429)
        self.assertFalse(User.objects.filter(username="sam3").exists())
