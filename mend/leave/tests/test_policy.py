"""build_policy: the strictest rule per item, each clause citing the rules that set it."""

from __future__ import annotations

from datetime import date

from django.test import SimpleTestCase

from mend.leave.policy import build_policy

DAY = date(2026, 11, 24)


class BuildPolicyTests(SimpleTestCase):
    def test_it_takes_the_most_paid_days_and_cites_who_sets_them(self) -> None:
        policy = build_policy(["CA-ON", "NZ", "IE"], DAY)
        self.assertEqual(policy.clauses["paid_days"].value, 10)
        self.assertEqual([c.code for c in policy.clauses["paid_days"].cites], ["NZ"])
        self.assertEqual(policy.clauses["unpaid_weeks"].value, 15)

    def test_a_tie_cites_every_rule_that_sets_the_minimum(self) -> None:
        policy = build_policy(["NZ", "AU"], DAY)
        self.assertEqual({c.code for c in policy.clauses["paid_days"].cites}, {"NZ", "AU"})

    def test_it_takes_the_shortest_service_and_the_most_lenient_notice_and_proof(self) -> None:
        policy = build_policy(["CA-ON", "IE"], DAY)
        self.assertEqual(policy.clauses["service"].value, 0)
        self.assertEqual(policy.clauses["notice"].value, "none_confirm_after")
        self.assertEqual(policy.clauses["documentation"].value, "none")
        self.assertEqual([c.code for c in policy.clauses["documentation"].cites], ["IE"])

    def test_it_covers_every_harm_any_rule_covers(self) -> None:
        policy = build_policy(["NZ", "US-CO"], DAY)
        self.assertIn("sexual_violence", policy.clauses)
        self.assertEqual([c.code for c in policy.clauses["sexual_violence"].cites], ["US-CO"])
        self.assertNotIn("sexual_violence", build_policy(["NZ"], DAY).clauses)

    def test_it_takes_the_highest_size_tier(self) -> None:
        policy = build_policy(["US-IL"], DAY)
        self.assertEqual(policy.clauses["unpaid_weeks"].value, 12)

    def test_places_without_a_law_in_force_are_listed_not_counted(self) -> None:
        policy = build_policy(["GB-GBN", "GB-NIR"], DAY)
        self.assertEqual([j["code"] for j in policy.without_law], ["GB-GBN", "GB-NIR"])
        self.assertNotIn("paid_days", policy.clauses)

    def test_it_uses_the_version_in_force_on_the_day(self) -> None:
        self.assertEqual(build_policy(["CA-NS"], date(2024, 6, 1)).clauses["paid_days"].value, 3)
        self.assertEqual(build_policy(["CA-NS"], DAY).clauses["paid_days"].value, 5)

    def test_it_keeps_the_confidentiality_and_pay_slip_duties(self) -> None:
        policy = build_policy(["AU"], DAY)
        self.assertIn("confidentiality", policy.clauses)
        self.assertIn("payslip_silent", policy.clauses)
