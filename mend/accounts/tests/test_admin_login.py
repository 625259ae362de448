"""The staff sign-in at /staff/admin/login/: one message for every failure, and limits."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import time_machine
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from mend.accounts.admin_login import FAILED
from mend.test import BaseTestCase

URL = "/staff/admin/login/"
# The start of a 15-minute window: every attempt of a test falls in the same one.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def code(device: TOTPDevice, shift: int = 0) -> str:
    value = totp(device.bin_key, step=device.step, digits=device.digits) + shift
    return f"{value % 10**device.digits:0{device.digits}d}"


class AdminLoginTests(BaseTestCase):
    def setUp(self) -> None:
        self.device = TOTPDevice.objects.create(user=self.adam, name="authenticator")
        traveller = time_machine.travel(NOW, tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)

    def attempt(self, password: str, token: str, ip: str = "198.51.100.7", **extra: Any) -> Any:
        return self.client.post(
            URL,
            {"username": "adam", "password": password, "otp_token": token, "next": "/staff/admin/"},
            REMOTE_ADDR=ip,
            **extra,
        )

    def errors(self, response: Any) -> list[str]:
        return [str(e) for e in response.context["form"].non_field_errors()]

    def test_it_asks_for_a_passphrase_and_the_apps_code_in_mends_words(self) -> None:
        r = self.client.get(URL)
        self.assertContains(r, "Passphrase")
        self.assertContains(r, "Code from your authenticator app")
        self.assertContains(r, 'autocomplete="one-time-code"')
        self.assertNotContains(r, "OTP Token")
        self.assertNotContains(r, ">Password:<")

    def test_it_lets_an_admin_in_with_her_passphrase_and_code(self) -> None:
        r = self.attempt("adam-passphrase", code(self.device))
        self.assertEqual(r.status_code, 302)
        self.assertEqual(r["Location"], "/staff/admin/")

    def test_it_gives_one_message_for_a_wrong_passphrase_a_wrong_code_or_no_account(self) -> None:
        wrong_passphrase = self.attempt("not-the-passphrase", code(self.device))
        wrong_code = self.attempt("adam-passphrase", code(self.device, shift=1))
        no_code = self.attempt("adam-passphrase", "")
        r = self.client.post(URL, {"username": "nobody", "password": "x", "otp_token": "1"})
        for response in (wrong_passphrase, wrong_code, no_code, r):
            self.assertEqual(response.status_code, 200)
            self.assertEqual(self.errors(response), [str(FAILED)])
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_refuses_even_the_right_details_past_the_limit_per_username(self) -> None:
        with self.settings(RATE_LIMIT_LOGIN_USERNAME=(3, 900)):
            for n in range(3):  # each from another address: only the username counts here
                r = self.attempt("wrong", "000000", ip=f"198.51.100.{n + 10}")
                self.assertEqual(self.errors(r), [str(FAILED)])
            r = self.attempt("adam-passphrase", code(self.device), ip="203.0.113.5")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(
            self.errors(r), ["Too many attempts. Please wait 15 minutes and try again."]
        )
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_limits_attempts_per_address_whatever_the_username(self) -> None:
        with self.settings(RATE_LIMIT_LOGIN_IP=(3, 900)):
            for name in ("erin", "frank", "carol"):
                self.client.post(URL, {"username": name, "password": "x", "otp_token": "1"})
            r = self.attempt("adam-passphrase", code(self.device), ip="127.0.0.1")
        self.assertIn("Too many attempts", self.errors(r)[0])
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_counts_every_address_of_one_ipv6_64_network_as_one(self) -> None:
        with self.settings(RATE_LIMIT_LOGIN_IP=(3, 900)):
            for n, name in enumerate(("erin", "frank", "carol")):
                self.client.post(
                    URL,
                    {"username": name, "password": "x", "otp_token": "1"},
                    REMOTE_ADDR=f"2001:db8:5:6:{n}::1",
                )
            same_64 = self.attempt("adam-passphrase", code(self.device), ip="2001:db8:5:6:ff::2")
            other_64 = self.attempt("adam-passphrase", code(self.device), ip="2001:db8:5:7::2")
        self.assertIn("Too many attempts", self.errors(same_64)[0])
        self.assertEqual(other_64.status_code, 302)
