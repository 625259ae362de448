from __future__ import annotations

from unittest.mock import patch

import time_machine
from django.test import RequestFactory, TestCase
from django.utils import translation

from mend.accounts.models import RateLimitWindow
from mend.lib import ratelimit
from mend.lib.ratelimit import Limit

LIMIT = Limit("test", max_hits=3, window_seconds=60)
T0 = 1_800_000_000.0  # divisible by 60: the start of a window


def hit(value: str, at: float) -> ratelimit.Verdict:
    with time_machine.travel(at, tick=False):
        return ratelimit.hit(LIMIT, value)


class RateLimitTests(TestCase):
    def test_it_allows_max_hits_then_refuses_until_the_window_ends(self) -> None:
        verdicts = [hit("sam", T0 + n) for n in range(4)]
        self.assertEqual([v.allowed for v in verdicts], [True, True, True, False])
        self.assertEqual(verdicts[3].retry_after, 57)
        self.assertTrue(hit("sam", T0 + 60).allowed)

    def test_it_counts_each_value_separately(self) -> None:
        for n in range(4):
            hit("sam", T0 + n)
        self.assertTrue(hit("kim", T0 + 5).allowed)

    def test_it_stores_no_username_or_address(self) -> None:
        hit("sam@203.0.113.9", T0)
        [row] = RateLimitWindow.objects.all()
        self.assertNotIn("sam", row.key)
        self.assertEqual(len(row.key), 64)

    def test_it_waits_for_the_first_limit_exceeded_and_counts_no_further(self) -> None:
        by_address = Limit("test-ip", max_hits=10, window_seconds=60)
        with time_machine.travel(T0 + 3, tick=False):
            waits = [ratelimit.seconds_to_wait((LIMIT, "sam"), (by_address, "a")) for _ in range(4)]
        self.assertEqual(waits, [0, 0, 0, 57])
        # The fourth attempt stopped at the name's limit: the address counted three.
        self.assertEqual(
            RateLimitWindow.objects.order_by("-hits").values_list("hits", flat=True)[1], 3
        )

    def test_it_tells_the_wait_in_whole_minutes_at_least_one_with_the_right_plural(self) -> None:
        self.assertIn("wait 1 minute and", ratelimit.too_many_attempts(10))
        self.assertIn("wait 15 minutes", ratelimit.too_many_attempts(900))
        with translation.override("es"):
            self.assertIn("Espera 1 minuto y", ratelimit.too_many_attempts(10))
            self.assertIn("Espera 15 minutos", ratelimit.too_many_attempts(900))

    def test_it_sweeps_expired_counters(self) -> None:
        # A hit sweeps by chance (2%): with the chance at 0, this sweep is the only one.
        with patch.object(ratelimit, "SWEEP_PROBABILITY", 0.0):
            hit("sam", T0)
            hit("kim", T0 + 61)
        self.assertEqual(ratelimit.sweep_expired(T0 + 61), 1)
        self.assertEqual(RateLimitWindow.objects.count(), 1)

    def test_a_hit_sometimes_sweeps_the_expired_counters_itself(self) -> None:
        with patch.object(ratelimit, "SWEEP_PROBABILITY", 0.0):
            hit("sam", T0)
        with patch.object(ratelimit, "SWEEP_PROBABILITY", 1.0):
            hit("kim", T0 + 61)
        self.assertEqual(
            list(RateLimitWindow.objects.values_list("window", flat=True)), [int((T0 + 61) // 60)]
        )


class ClientAddressTests(TestCase):
    """Limits by address must count the visitor, not the proxy in front of Mend."""

    def address(self, proxies: int, forwarded: str | None, remote: str = "10.0.0.2") -> str:
        request = RequestFactory().get("/", REMOTE_ADDR=remote)
        if forwarded is not None:
            request.META["HTTP_X_FORWARDED_FOR"] = forwarded
        with self.settings(TRUSTED_PROXY_COUNT=proxies):
            return ratelimit.client_address(request)

    def test_without_proxies_it_is_the_connections_address_whatever_the_header(self) -> None:
        self.assertEqual(self.address(0, "198.51.100.7"), "10.0.0.2")

    def test_behind_one_proxy_it_is_the_address_the_proxy_saw(self) -> None:
        self.assertEqual(self.address(1, "198.51.100.7"), "198.51.100.7")

    def test_a_visitor_cannot_choose_her_address_by_sending_the_header(self) -> None:
        # She sends "203.0.113.1"; the proxy appends where the request really came from.
        self.assertEqual(self.address(1, "203.0.113.1, 198.51.100.7"), "198.51.100.7")
        self.assertEqual(self.address(2, "203.0.113.1, 198.51.100.7, 10.0.0.9"), "198.51.100.7")

    def test_a_missing_short_or_broken_header_falls_back_to_the_connection(self) -> None:
        self.assertEqual(self.address(1, None), "10.0.0.2")
        self.assertEqual(self.address(2, "198.51.100.7"), "10.0.0.2")
        self.assertEqual(self.address(1, "not-an-address"), "10.0.0.2")
        self.assertEqual(self.address(1, "2001:db8::1"), "2001:db8::/64")

    def test_it_counts_an_ipv6_address_as_its_64_network(self) -> None:
        # One subscriber holds a whole /64: every address in it is one visitor.
        self.assertEqual(self.address(0, None, remote="2001:db8:1:2:aa::1"), "2001:db8:1:2::/64")
        self.assertEqual(self.address(0, None, remote="2001:db8:1:2:ffff::9"), "2001:db8:1:2::/64")
        self.assertEqual(self.address(1, "2001:db8:1:3::1"), "2001:db8:1:3::/64")
        self.assertEqual(self.address(0, None, remote="::ffff:198.51.100.7"), "198.51.100.7")
        self.assertEqual(self.address(0, None, remote="198.51.100.7"), "198.51.100.7")
