from __future__ import annotations

import time_machine

from mend.accounts.tests.base import PASSPHRASE, AccountTestCase
from mend.vault.testing import Survivor

T0 = 1_800_000_000.0  # a fixed moment at the start of a 15-minute window


class LogInTests(AccountTestCase):
    def test_it_signs_in_and_returns_the_wrapped_vault_key(self) -> None:
        sam = self.sign_up("sam")
        r = self.post("login", sam.login_body())
        self.assertEqual(r.status_code, 200, r.content)
        data = self.json(r)
        self.assertEqual(data["vault_id"], str(sam.vault_id))
        self.assertEqual(data["params"], sam.params.to_dict())
        from mend.lib.wire import unb64

        self.assertEqual(sam.open_vk(unb64(data["wrapped_vk"], "vk", max_bytes=100)), sam.vk)
        self.assertIn("_auth_user_id", self.client.session)

    def test_it_refuses_a_wrong_passphrase_with_401_and_no_session(self) -> None:
        sam = self.sign_up("sam")
        wrong = Survivor("sam", "not the passphrase", params=sam.params)
        r = self.post("login", wrong.login_body())
        self.assertEqual(r.status_code, 401)
        self.assertEqual(self.json(r)["code"], "wrong_credentials")
        self.assertNotIn("wrapped_vk", self.json(r))
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_answers_an_unknown_username_exactly_like_a_wrong_passphrase(self) -> None:
        sam = self.sign_up("sam")
        wrong = self.post("login", Survivor("sam", "nope", params=sam.params).login_body())
        unknown = self.post("login", Survivor("nobody", PASSPHRASE, params=sam.params).login_body())
        self.assertEqual(wrong.status_code, unknown.status_code)
        self.assertEqual(wrong.content, unknown.content)

    def test_it_refuses_staff_even_with_their_real_passphrase(self) -> None:
        r = self.post("login", {"username": "carol", "auth_key": "ab" * 32})
        self.assertEqual(r.status_code, 401)
        self.carol.set_password("ab" * 32)
        self.carol.save()
        r = self.post("login", {"username": "carol", "auth_key": "ab" * 32})
        self.assertEqual(r.status_code, 401)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_checks_csrf(self) -> None:
        sam = self.sign_up("sam")
        self.client = self.client_class(enforce_csrf_checks=True)
        r = self.post("login", sam.login_body())
        self.assertEqual(r.status_code, 403)
        self.assertNotIn("_auth_user_id", self.client.session)


class LogInRateLimitTests(AccountTestCase):
    """RATE_LIMIT_LOGIN_USERNAME: 10 attempts per username per 15 minutes."""

    def attempt(self, survivor: Survivor, at: float) -> int:
        with time_machine.travel(at, tick=False):
            status: int = self.post("login", survivor.login_body()).status_code
            return status

    def test_it_refuses_the_eleventh_attempt_with_429_and_a_clear_message(self) -> None:
        sam = self.sign_up("sam")
        wrong = Survivor("sam", "a wrong guess", params=sam.params)
        statuses = [self.attempt(wrong, T0 + n) for n in range(10)]
        self.assertEqual(statuses, [401] * 10)
        with time_machine.travel(T0 + 10, tick=False):
            r = self.post("login", sam.login_body())  # even the right passphrase waits
        self.assertEqual(r.status_code, 429)
        self.assertEqual(self.json(r)["code"], "rate_limited")
        self.assertIn("Too many attempts", self.json(r)["detail"])
        self.assertEqual(r.headers["Retry-After"], str(15 * 60 - 10))
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_lets_her_in_once_the_window_has_passed(self) -> None:
        sam = self.sign_up("sam")
        wrong = Survivor("sam", "a wrong guess", params=sam.params)
        for n in range(11):
            self.attempt(wrong, T0 + n)
        self.assertEqual(self.attempt(sam, T0 + 15 * 60 + 1), 200)

    def test_it_counts_per_username(self) -> None:
        sam, kim = self.sign_up("sam"), self.sign_up("kim")
        for n in range(11):
            self.attempt(Survivor("sam", "guess", params=sam.params), T0 + n)
        self.assertEqual(self.attempt(kim, T0 + 12), 200)

    def test_it_counts_per_address_across_usernames(self) -> None:
        sam = self.sign_up("sam")
        with self.settings(RATE_LIMIT_LOGIN_IP=(3, 900)):
            for n in range(3):
                self.attempt(Survivor(f"user{n}", "guess", params=sam.params), T0 + n)
            self.assertEqual(self.attempt(sam, T0 + 4), 429)

    def test_behind_a_proxy_it_counts_each_visitor_not_the_proxy(self) -> None:
        sam = self.sign_up("sam")
        with self.settings(RATE_LIMIT_LOGIN_IP=(3, 900), TRUSTED_PROXY_COUNT=1):
            for n in range(3):
                self.client.defaults["HTTP_X_FORWARDED_FOR"] = "198.51.100.7"
                self.attempt(Survivor(f"user{n}", "guess", params=sam.params), T0 + n)
            self.assertEqual(self.attempt(sam, T0 + 4), 429)  # the same visitor again
            self.client.defaults["HTTP_X_FORWARDED_FOR"] = "198.51.100.8"
            self.assertEqual(self.attempt(sam, T0 + 5), 200)  # another, same proxy
