from __future__ import annotations

from typing import Any

from mend.accounts.models import KeyRing, User
from mend.accounts.tests.base import AccountTestCase
from mend.crypto import envelope, kdf
from mend.lib.wire import b64, unb64
from mend.vault.testing import Survivor, recovery_auth, vk_context


class RecoveryTests(AccountTestCase):
    def start(self, sam: Survivor, recovery_key: bytes) -> tuple[int, dict[str, str]]:
        auth = recovery_auth(recovery_key).hex()
        r = self.post("recovery/start", {"username": sam.username, "recovery_auth": auth})
        return r.status_code, self.json(r)

    def finish_body(self, sam: Survivor, new_passphrase: str) -> tuple[dict[str, Any], Survivor]:
        """What the browser sends after opening VK with the recovery key."""
        new = Survivor(sam.username, new_passphrase, vault_id=sam.vault_id, vk=sam.vk)
        body = {
            "username": sam.username,
            "recovery_auth": recovery_auth(sam.recovery_key).hex(),
            "auth_key": new.keys.auth_key.hex(),
            "params": new.params.to_dict(),
            "wrapped_vk": b64(new.wrapped_vk()),
            "new_recovery_auth": recovery_auth(new.recovery_key).hex(),
            "new_recovery_wrapped_vk": b64(new.recovery_wrapped_vk()),
        }
        return body, new

    def test_it_hands_the_recovery_wrapped_key_to_whoever_proves_the_recovery_key(self) -> None:
        sam = self.sign_up("sam")
        status, data = self.start(sam, sam.recovery_key)
        self.assertEqual(status, 200)
        wrapped = unb64(data["recovery_wrapped_vk"], "vk", max_bytes=100)
        context = vk_context(sam.vault_id, recovery=True)
        vk = envelope.unwrap_key(sam.recovery_key, wrapped, context)
        self.assertEqual(vk, sam.vk)
        self.assertNotIn("_auth_user_id", self.client.session)  # no session yet

    def test_it_refuses_a_wrong_recovery_key(self) -> None:
        sam = self.sign_up("sam")
        status, data = self.start(sam, envelope.new_key())
        self.assertEqual(status, 401)
        self.assertEqual(data["code"], "wrong_recovery")
        self.assertNotIn("recovery_wrapped_vk", data)

    def test_it_sets_a_new_passphrase_and_a_new_recovery_key(self) -> None:
        sam = self.sign_up("sam")
        body, new = self.finish_body(sam, "a brand new passphrase")
        r = self.post("recovery/finish", body)
        self.assertEqual(r.status_code, 200, r.content)
        self.assertIn("_auth_user_id", self.client.session)
        self.client.logout()
        self.assertEqual(self.post("login", sam.login_body()).status_code, 401)
        self.assertEqual(self.post("login", new.login_body()).status_code, 200)
        self.assertEqual(self.start(sam, sam.recovery_key)[0], 401)  # the old key is spent
        self.assertEqual(self.start(new, new.recovery_key)[0], 200)
        keyring = KeyRing.objects.get(user__username="sam")
        self.assertEqual(kdf.Argon2Params.from_dict(keyring.kdf_params), new.params)

    def test_it_refuses_to_finish_without_the_recovery_key(self) -> None:
        sam = self.sign_up("sam")
        body, _ = self.finish_body(sam, "an attacker's passphrase")
        body["recovery_auth"] = "00" * 32
        self.assertEqual(self.post("recovery/finish", body).status_code, 401)
        self.assertEqual(self.post("login", sam.login_body()).status_code, 200)

    def test_it_is_rate_limited_like_logging_in(self) -> None:
        sam = self.sign_up("sam")
        with self.settings(RATE_LIMIT_LOGIN_USERNAME=(2, 900)):
            self.start(sam, envelope.new_key())
            self.start(sam, envelope.new_key())
            self.assertEqual(self.start(sam, sam.recovery_key)[0], 429)

    def test_it_treats_staff_as_unknown(self) -> None:
        status, _ = self.start(Survivor("adam", "x"), envelope.new_key())
        self.assertEqual(status, 401)
        self.assertTrue(User.objects.filter(username="adam").exists())
