from __future__ import annotations

from unittest import mock

from django.test import TestCase

from mend.accounts.models import RateLimitWindow
from mend.lib import ratelimit
from mend.lib.ratelimit import Limit

LIMIT = Limit("test", max_hits=3, window_seconds=60)
T0 = 1_800_000_000.0  # divisible by 60: the start of a window


def hit(value: str, at: float) -> ratelimit.Verdict:
    with mock.patch.object(ratelimit, "now", return_value=at):
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

    def test_it_sweeps_expired_counters(self) -> None:
        hit("sam", T0)
        hit("kim", T0 + 61)
        self.assertEqual(ratelimit.sweep_expired(T0 + 61), 1)
        self.assertEqual(RateLimitWindow.objects.count(), 1)
