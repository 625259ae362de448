"""Schedules that began long ago (a valid_from or dtstart in year 1 is accepted by the
importer and the editor) give the same hours as before, without stepping through every
week since then (found by a review: one service page took about 13 s)."""

from __future__ import annotations

import random
import warnings
from datetime import date, datetime, time, timedelta

import time_machine
from dateutil import rrule
from django.test import SimpleTestCase

from mend.directory.models import Schedule
from mend.search import index
from mend.search.hours import (
    EPOCH,
    WEEKDAYS,
    Rule,
    ScheduleError,
    occurrence_dates,
    parse_byday,
    parse_monthdays,
)
from mend.search.models import OpenInterval
from mend.search.tests import factories as f
from mend.test import NOW, BaseTestCase

# Fixed moments, none of them today: the windows the page and the index ask about.
MOMENTS = (date(2000, 2, 28), date(2024, 2, 29), date(2026, 11, 24), date(2031, 1, 1))
WINDOW_DAYS = (0, 2, 8, 32, 93)
ANCHOR_YEARS = (1, 1900, 1999, 2023, 2026)


def stepped_dates(rule: Rule, first: date, last: date) -> list[date]:
    """The dates as hours.py computed them before the fix: dateutil stepping through every
    period from the rule's real start (kept here as the reference)."""
    freq = rule.freq.strip().upper() or "WEEKLY"
    recurring = bool(rule.freq or rule.byday or rule.bymonthday)
    single_day = rule.valid_from if rule.is_closure and not recurring else None
    first = max(first, rule.valid_from or first)
    last = min(last, rule.valid_to or single_day or last)
    if first > last:
        return []
    if not recurring:
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]
    monthly = freq == "MONTHLY"
    byweekday = parse_byday(rule.byday, monthly) or None
    bymonthday = parse_monthdays(rule.bymonthday) or None
    interval = rule.interval or 1
    anchor = rule.dtstart or rule.valid_from
    if anchor is None:
        needs_anchor = interval > 1 or rule.count is not None
        anchor = EPOCH if needs_anchor else first - timedelta(days=7)
    if byweekday is None and bymonthday is None and rule.dtstart is None:
        byweekday = list(WEEKDAYS.values()) if not monthly else None
        bymonthday = [anchor.day] if monthly else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # count with until
        recurrence = rrule.rrule(
            rrule.MONTHLY if monthly else rrule.WEEKLY,
            dtstart=datetime.combine(anchor, time()),
            interval=interval,
            wkst=WEEKDAYS.get(rule.wkst) if rule.wkst else None,
            count=rule.count,
            # Never past ``last``: a rule that never matches would step on to year 9999.
            until=datetime.combine(min(last, rule.until or last), time(23, 59, 59)),
            byweekday=byweekday,
            bymonthday=bymonthday,
        )
    start, end = datetime.combine(first, time()), datetime.combine(last, time())
    return [moment.date() for moment in recurrence.between(start, end, inc=True)]


def random_rule(rng: random.Random, anchor_year: int) -> Rule:
    monthly = rng.random() < 0.4
    days = rng.sample(list(WEEKDAYS), rng.randint(0, 3))
    nth = monthly and rng.random() < 0.5
    if nth:
        days = [rng.choice(["1", "2", "3", "4", "5", "-1", "-2", "+1"]) + d for d in days]
    # Rules that can never match (the first Monday on the 15th; dateutil reads a mix of
    # 1MO and TU as both at once) are left out: both ways step on to year 9999.
    monthdays = [] if nth else rng.sample([*range(1, 32), *range(-31, 0)], rng.choice([0, 0, 1, 2]))
    anchor = date(anchor_year, rng.randint(1, 12), rng.randint(1, 28))
    if anchor_year >= 2023:
        anchor += timedelta(days=rng.randint(0, 400))
    opening = rng.random() < 0.8
    return Rule(
        opens_at=time(9) if opening else None,
        closes_at=time(17) if opening else None,
        freq="MONTHLY" if monthly else rng.choice(["WEEKLY", "WEEKLY", ""]),
        interval=rng.choice([None, 1, 2, 2, 3, 4, 5, 7, 13]),
        byday=",".join(days),
        bymonthday=",".join(map(str, monthdays)),
        dtstart=anchor if rng.random() < 0.5 else None,
        valid_from=anchor,
        until=rng.choice([None, None, None, date(1950, 6, 1), date(2026, 12, 10)]),
        count=rng.choice([None, None, 0, 1, 3, 40, 2000, 50_000, 10**6, 10**9]),
        wkst=rng.choice(["", "", "MO", "SU", "WE"]),
    )


class OldAnchorTests(SimpleTestCase):
    def assert_same_dates(self, rule: Rule) -> None:
        first = MOMENTS[0] - timedelta(days=1)
        last = MOMENTS[-1] + timedelta(days=max(WINDOW_DAYS) + 1)
        try:
            reference = stepped_dates(rule, first, last)
        except ScheduleError:
            return
        for moment in MOMENTS:
            for days in WINDOW_DAYS:
                low, high = moment - timedelta(days=1), moment + timedelta(days=days + 1)
                expected = [d for d in reference if low <= d <= high]
                self.assertEqual(occurrence_dates(rule, low, high), expected, (rule, moment))

    def test_it_gives_the_dates_stepping_from_the_real_start_gave(self) -> None:
        rng = random.Random(20261124)
        # Year 1 is slow only for the reference: a few of those, many of the rest.
        for anchor_year, rules in zip(ANCHOR_YEARS, (12, 60, 150, 150, 150), strict=True):
            for _ in range(rules):
                self.assert_same_dates(random_rule(rng, anchor_year))

    def test_it_keeps_counting_from_the_real_start(self) -> None:
        # 100 Mondays from Monday 3 January 2000 end on Monday 26 November 2001.
        rule = Rule(time(9), time(17), "WEEKLY", byday="MO", dtstart=date(2000, 1, 3), count=100)
        self.assertEqual(
            occurrence_dates(rule, date(2001, 11, 19), date(2001, 12, 31)),
            [date(2001, 11, 19), date(2001, 11, 26)],
        )
        yearly_from_year_1 = Rule(
            time(9), time(17), "MONTHLY", interval=12, dtstart=date(1, 11, 24), count=2026
        )
        self.assertEqual(
            occurrence_dates(yearly_from_year_1, date(2026, 1, 1), date(2027, 12, 31)),
            [date(2026, 11, 24)],
        )

    def test_it_keeps_the_phase_of_an_interval(self) -> None:
        # Every third Wednesday from Wednesday 3 January 1 (wkst Monday).
        rule = Rule(time(9), time(17), "WEEKLY", interval=3, byday="WE", valid_from=date(1, 1, 3))
        dates = occurrence_dates(rule, date(2026, 11, 1), date(2026, 12, 31))
        self.assertEqual(len(dates), 3)
        self.assertEqual({(d - date(1, 1, 3)).days % 21 for d in dates}, {0})

    def test_it_finds_nothing_for_a_rule_that_never_matches(self) -> None:
        # The first Monday is never the 15th: stopped at the window, not in year 9999.
        rule = Rule(time(9), time(17), "MONTHLY", byday="1MO", bymonthday="15")
        self.assertEqual(occurrence_dates(rule, date(2026, 11, 1), date(2027, 1, 31)), [])


@time_machine.travel(NOW, tick=False)  # Tuesday 24 November 2026, 11:30 in Springfield, IL
class OldSchedulePageTests(BaseTestCase):
    def test_it_shows_the_hours_of_schedules_valid_from_year_1(self) -> None:
        service = f.make_service("Listening Counselling")
        f.place(service)
        for day in ("MO", "TU", "WE"):
            Schedule.objects.create(
                service=service,
                freq="WEEKLY",
                byday=day,
                opens_at=time(9),
                closes_at=time(17),
                valid_from=date(1, 1, 1),
            )
        Schedule.objects.create(
            service=service,
            freq="WEEKLY",
            byday="WE",
            valid_from=date(1, 1, 1),
            valid_to=date(9999, 12, 31),
            interval=2,
            description="Closed every other Wednesday",
        )
        index.rebuild_search_index(now=NOW)
        r = self.client.get(f"/help/service/{service.id}/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Open now")
        hours = r.context["view"].places[0].hours
        nine_to_five = ((time(9), time(17)),)
        # Wednesday 3 January 1 was closed, and so is every other Wednesday since: 25
        # November 2026 is 739,942 days (52,853 fortnights) later.
        self.assertEqual(
            [(d.day, d.sessions) for d in hours.days],
            [
                (date(2026, 11, 24), nine_to_five),
                (date(2026, 11, 25), ()),
                (date(2026, 11, 26), ()),
                (date(2026, 11, 27), ()),
                (date(2026, 11, 28), ()),
                (date(2026, 11, 29), ()),
                (date(2026, 11, 30), nine_to_five),
            ],
        )
        self.assertEqual(
            [day for day, _ in hours.closures],
            [date(2026, 11, 25), date(2026, 12, 9), date(2026, 12, 23)],
        )
        self.assertTrue(OpenInterval.objects.exists())
