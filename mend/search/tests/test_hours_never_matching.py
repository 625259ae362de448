"""A monthly rule that can never give a date (1MO with 15; the 31st every 12 months from
April) is answered at once: dateutil looked for its first date until year 9999, about half
a second a call and several a page view (found by a review). `can_match` decides it from
month lengths; checked here against every day of a 400-year Gregorian cycle."""

from __future__ import annotations

import calendar
import random
from datetime import date, time, timedelta

from django.test import SimpleTestCase

from mend.search.hours import Rule, can_match, occurrence_dates, read_recurrence

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
CYCLE_START = date(2000, 1, 1)
CYCLE = [CYCLE_START + timedelta(days=n) for n in range(146_097)]  # 400 Gregorian years


def matches_somewhere(rule: Rule) -> bool:
    """Whether any day of a whole 400-year cycle satisfies the rule: the month its
    interval reaches from the anchor, the day of the month, the nth weekday."""
    anchor = rule.dtstart or date(2026, 1, 1)
    interval = rule.interval or 1
    monthdays = [int(d) for d in rule.bymonthday.split(",")]
    wanted = [(weekday, 0) for weekday in range(7)] if not rule.byday else []
    for part in filter(None, rule.byday.split(",")):
        ordinal = int(part[:-2]) if part[:-2] else 0
        wanted.append((DAYS.index(part[-2:]), ordinal))
    for day in CYCLE:
        if ((day.year - anchor.year) * 12 + day.month - anchor.month) % interval:
            continue
        length = calendar.monthrange(day.year, day.month)[1]
        if day.day not in {d if d > 0 else length + 1 + d for d in monthdays}:
            continue
        first_n, last_n = (day.day - 1) // 7 + 1, -((length - day.day) // 7 + 1)
        if any(
            weekday == day.weekday() and ordinal in (0, first_n, last_n)
            for weekday, ordinal in wanted
        ):
            return True
    return False


def monthly(byday: str, bymonthday: str, interval: int = 1, month: int = 1) -> Rule:
    return Rule(
        time(9),
        time(17),
        freq="MONTHLY",
        interval=interval,
        byday=byday,
        bymonthday=bymonthday,
        dtstart=date(2026, month, 1),
    )


class NeverMatchingRuleTests(SimpleTestCase):
    def test_rules_that_can_never_match_give_no_date(self) -> None:
        for rule in (
            monthly("1MO", "15"),
            monthly("-1FR", "1"),
            monthly("", "31", interval=12, month=4),
            monthly("5SU", "-31,28", interval=12, month=2),
        ):
            with self.subTest(rule=rule):
                self.assertFalse(can_match(read_recurrence(rule, "MONTHLY", date(2026, 11, 24))))
                self.assertFalse(matches_somewhere(rule))
                self.assertEqual(occurrence_dates(rule, date(2026, 11, 24), date(2027, 2, 24)), [])

    def test_it_decides_as_every_day_of_a_whole_cycle_does_for_random_rules(self) -> None:
        rng = random.Random(23)
        for _ in range(60):
            count = rng.randint(1, 2)
            byday = ",".join(
                f"{rng.choice(['', '1', '2', '4', '5', '-1', '-2'])}{rng.choice(DAYS)}"
                for _ in range(count)
            )
            monthdays = ",".join(
                str(rng.choice([1, 7, 8, 15, 28, 29, 30, 31, -1, -7, -31])) for _ in range(2)
            )
            rule = monthly(
                byday, monthdays, interval=rng.choice([1, 2, 3, 6, 12]), month=rng.randint(1, 12)
            )
            with self.subTest(rule=rule):
                expected = matches_somewhere(rule)
                self.assertEqual(
                    can_match(read_recurrence(rule, "MONTHLY", date(2026, 11, 24))), expected
                )
