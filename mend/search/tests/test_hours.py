"""Opening hours as RFC 5545 recurrences in the location's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase

from mend.search.hours import (
    Interval,
    Rule,
    ScheduleError,
    closures,
    has_hours,
    is_open_at,
    next_change,
    open_intervals,
    week,
    zone,
)

NEW_YORK = ZoneInfo("America/New_York")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
WEEKDAYS_9_TO_5 = Rule(time(9), time(17), freq="WEEKLY", byday="MO,TU,WE,TH,FR")


def local(
    tz: ZoneInfo, year: int, month: int, day: int, hour: int = 0, minute: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=tz)


class WeeklyHoursTests(SimpleTestCase):
    def test_it_is_open_inside_weekday_hours_in_local_time(self) -> None:
        # Tuesday 24 November 2026, 09:30 in New York is 14:30 UTC.
        self.assertTrue(
            is_open_at([WEEKDAYS_9_TO_5], NEW_YORK, local(NEW_YORK, 2026, 11, 24, 9, 30))
        )
        self.assertTrue(
            is_open_at([WEEKDAYS_9_TO_5], NEW_YORK, datetime(2026, 11, 24, 14, 30, tzinfo=UTC))
        )

    def test_it_is_closed_before_opening_and_at_closing_time(self) -> None:
        rules = [WEEKDAYS_9_TO_5]
        self.assertFalse(is_open_at(rules, NEW_YORK, local(NEW_YORK, 2026, 11, 24, 8, 59)))
        self.assertFalse(is_open_at(rules, NEW_YORK, local(NEW_YORK, 2026, 11, 24, 17, 0)))

    def test_it_is_closed_at_the_weekend(self) -> None:
        self.assertFalse(is_open_at([WEEKDAYS_9_TO_5], NEW_YORK, local(NEW_YORK, 2026, 11, 28, 12)))

    def test_it_evaluates_the_same_utc_moment_in_each_zone(self) -> None:
        moment = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # 10:00 New York, 07:00 LA
        self.assertTrue(is_open_at([WEEKDAYS_9_TO_5], NEW_YORK, moment))
        self.assertFalse(is_open_at([WEEKDAYS_9_TO_5], LOS_ANGELES, moment))

    def test_it_treats_a_row_without_recurrence_as_every_day(self) -> None:
        rule = Rule(time(10), time(12))
        for day in range(23, 30):
            self.assertTrue(is_open_at([rule], UTC, datetime(2026, 11, day, 11, tzinfo=UTC)))

    def test_it_honours_an_interval_from_dtstart(self) -> None:
        fortnightly = Rule(
            time(18), time(20), freq="WEEKLY", interval=2, byday="WE", dtstart=date(2026, 11, 4)
        )
        self.assertTrue(is_open_at([fortnightly], UTC, datetime(2026, 11, 18, 19, tzinfo=UTC)))
        self.assertFalse(is_open_at([fortnightly], UTC, datetime(2026, 11, 25, 19, tzinfo=UTC)))

    def test_it_stops_after_until_and_count(self) -> None:
        until = Rule(time(9), time(10), freq="WEEKLY", byday="MO", until=date(2026, 11, 23))
        self.assertTrue(is_open_at([until], UTC, datetime(2026, 11, 23, 9, 30, tzinfo=UTC)))
        self.assertFalse(is_open_at([until], UTC, datetime(2026, 11, 30, 9, 30, tzinfo=UTC)))
        count = Rule(
            time(9), time(10), freq="WEEKLY", byday="MO", dtstart=date(2026, 11, 16), count=2
        )
        self.assertTrue(is_open_at([count], UTC, datetime(2026, 11, 23, 9, 30, tzinfo=UTC)))
        self.assertFalse(is_open_at([count], UTC, datetime(2026, 11, 30, 9, 30, tzinfo=UTC)))

    def test_it_honours_valid_from_and_valid_to(self) -> None:
        rule = Rule(time(9), time(17), valid_from=date(2026, 12, 1), valid_to=date(2026, 12, 2))
        self.assertFalse(is_open_at([rule], UTC, datetime(2026, 11, 30, 12, tzinfo=UTC)))
        self.assertTrue(is_open_at([rule], UTC, datetime(2026, 12, 2, 12, tzinfo=UTC)))
        self.assertFalse(is_open_at([rule], UTC, datetime(2026, 12, 3, 12, tzinfo=UTC)))


class SpecialHoursTests(SimpleTestCase):
    def test_it_is_open_24_hours(self) -> None:
        always = Rule(time(0), time(0), freq="WEEKLY", byday="MO,TU,WE,TH,FR,SA,SU")
        start = datetime(2026, 11, 23, tzinfo=UTC)
        intervals = open_intervals([always], NEW_YORK, start, start + timedelta(days=14))
        self.assertEqual(intervals, [Interval(start, start + timedelta(days=14))])

    def test_it_reads_23_59_as_until_midnight(self) -> None:
        rule = Rule(time(8), time(23, 59))
        self.assertTrue(is_open_at([rule], UTC, datetime(2026, 11, 23, 23, 59, 30, tzinfo=UTC)))

    def test_it_keeps_split_sessions_apart(self) -> None:
        morning = Rule(time(9), time(12), freq="WEEKLY", byday="MO")
        afternoon = Rule(time(13), time(17), freq="WEEKLY", byday="MO")
        rules = [morning, afternoon]
        self.assertTrue(is_open_at(rules, UTC, datetime(2026, 11, 23, 11, tzinfo=UTC)))
        self.assertFalse(is_open_at(rules, UTC, datetime(2026, 11, 23, 12, 30, tzinfo=UTC)))
        self.assertTrue(is_open_at(rules, UTC, datetime(2026, 11, 23, 16, tzinfo=UTC)))

    def test_it_runs_overnight_when_closing_before_opening(self) -> None:
        night = Rule(time(22), time(6), freq="WEEKLY", byday="FR")
        self.assertTrue(is_open_at([night], UTC, datetime(2026, 11, 27, 23, tzinfo=UTC)))
        self.assertTrue(is_open_at([night], UTC, datetime(2026, 11, 28, 5, tzinfo=UTC)))
        self.assertFalse(is_open_at([night], UTC, datetime(2026, 11, 28, 6, tzinfo=UTC)))
        self.assertFalse(is_open_at([night], UTC, datetime(2026, 11, 27, 5, tzinfo=UTC)))

    def test_it_finds_the_first_tuesday_and_last_friday_of_a_month(self) -> None:
        rules = [
            Rule(time(18), time(20), freq="MONTHLY", byday="1TU"),
            Rule(time(10), time(12), freq="MONTHLY", byday="-1FR"),
        ]
        self.assertTrue(is_open_at(rules, UTC, datetime(2026, 12, 1, 19, tzinfo=UTC)))
        self.assertFalse(is_open_at(rules, UTC, datetime(2026, 12, 8, 19, tzinfo=UTC)))
        self.assertTrue(is_open_at(rules, UTC, datetime(2026, 11, 27, 11, tzinfo=UTC)))
        self.assertFalse(is_open_at(rules, UTC, datetime(2026, 11, 20, 11, tzinfo=UTC)))

    def test_it_finds_days_of_the_month_counting_from_the_end(self) -> None:
        rule = Rule(time(9), time(11), freq="MONTHLY", bymonthday="1,-1")
        self.assertTrue(is_open_at([rule], UTC, datetime(2026, 11, 30, 10, tzinfo=UTC)))
        self.assertTrue(is_open_at([rule], UTC, datetime(2026, 12, 1, 10, tzinfo=UTC)))
        self.assertFalse(is_open_at([rule], UTC, datetime(2026, 12, 2, 10, tzinfo=UTC)))

    def test_it_is_closed_on_a_holiday(self) -> None:
        holiday = Rule(valid_from=date(2026, 11, 26))  # Thanksgiving, a Thursday
        rules = [WEEKDAYS_9_TO_5, holiday]
        self.assertFalse(is_open_at(rules, NEW_YORK, local(NEW_YORK, 2026, 11, 26, 12)))
        self.assertTrue(is_open_at(rules, NEW_YORK, local(NEW_YORK, 2026, 11, 27, 12)))
        self.assertEqual(closures(rules, date(2026, 11, 1), date(2026, 11, 30))[0][0].day, 26)

    def test_it_closes_a_range_of_days(self) -> None:
        break_ = Rule(valid_from=date(2026, 12, 24), valid_to=date(2026, 12, 26))
        rules = [Rule(time(0), time(0)), break_]
        self.assertFalse(is_open_at(rules, NEW_YORK, local(NEW_YORK, 2026, 12, 25, 12)))
        self.assertFalse(is_open_at(rules, NEW_YORK, local(NEW_YORK, 2026, 12, 26, 23)))
        self.assertTrue(is_open_at(rules, NEW_YORK, local(NEW_YORK, 2026, 12, 27, 0, 1)))

    def test_it_cuts_an_overnight_session_at_a_closed_day(self) -> None:
        rules = [Rule(time(20), time(8)), Rule(valid_from=date(2026, 12, 25))]
        self.assertTrue(is_open_at(rules, UTC, datetime(2026, 12, 24, 23, tzinfo=UTC)))
        self.assertFalse(is_open_at(rules, UTC, datetime(2026, 12, 25, 1, tzinfo=UTC)))

    def test_it_says_nothing_about_rows_without_times(self) -> None:
        rules = [Rule(), Rule(opens_at=time(9))]
        self.assertFalse(has_hours(rules))
        self.assertFalse(is_open_at(rules, UTC, datetime(2026, 11, 23, 10, tzinfo=UTC)))


class DaylightSavingTests(SimpleTestCase):
    def test_it_keeps_wall_clock_hours_across_the_spring_change(self) -> None:
        # 8 March 2026: New York moves from UTC-5 to UTC-4.
        rules = [Rule(time(9), time(17))]
        self.assertTrue(is_open_at(rules, NEW_YORK, datetime(2026, 3, 7, 14, 30, tzinfo=UTC)))
        self.assertFalse(is_open_at(rules, NEW_YORK, datetime(2026, 3, 9, 21, 30, tzinfo=UTC)))
        self.assertTrue(is_open_at(rules, NEW_YORK, datetime(2026, 3, 9, 13, 30, tzinfo=UTC)))

    def test_an_overnight_session_is_an_hour_shorter_when_clocks_go_forward(self) -> None:
        rules = [Rule(time(22), time(6), freq="WEEKLY", byday="SA")]
        start = datetime(2026, 3, 7, tzinfo=UTC)
        [night] = open_intervals(rules, NEW_YORK, start, start + timedelta(days=2))
        self.assertEqual(night.closes - night.opens, timedelta(hours=7))

    def test_an_overnight_session_is_an_hour_longer_when_clocks_go_back(self) -> None:
        rules = [Rule(time(22), time(6), freq="WEEKLY", byday="SA")]
        start = datetime(2026, 10, 31, tzinfo=UTC)
        [night] = open_intervals(rules, NEW_YORK, start, start + timedelta(days=2))
        self.assertEqual(night.closes - night.opens, timedelta(hours=9))

    def test_it_opens_at_a_time_skipped_by_the_change_an_hour_later(self) -> None:
        rules = [Rule(time(2, 30), time(4), freq="WEEKLY", byday="SU")]
        start = datetime(2026, 3, 8, tzinfo=UTC)
        [session] = open_intervals(rules, NEW_YORK, start, start + timedelta(days=1))
        self.assertEqual(session.opens, datetime(2026, 3, 8, 7, 30, tzinfo=UTC))
        self.assertEqual(session.closes, datetime(2026, 3, 8, 8, 0, tzinfo=UTC))


class DisplayTests(SimpleTestCase):
    def test_it_lists_a_week_day_by_day_with_overnight_sessions_split(self) -> None:
        rules = [Rule(time(22), time(6), freq="WEEKLY", byday="MO")]
        days = week(rules, UTC, date(2026, 11, 23), days=3)
        self.assertEqual(days[0].sessions, ((time(22), time(0)),))
        self.assertEqual(days[1].sessions, ((time(0), time(6)),))
        self.assertEqual(days[2].sessions, ())

    def test_it_shows_a_whole_day_as_midnight_to_midnight(self) -> None:
        days = week([Rule(time(0), time(0))], NEW_YORK, date(2026, 11, 23), days=1)
        self.assertEqual(days[0].sessions, ((time(0), time(0)),))

    def test_it_tells_when_the_place_next_opens_and_closes(self) -> None:
        moment = datetime(2026, 11, 28, 12, tzinfo=UTC)  # Saturday
        self.assertEqual(
            next_change([WEEKDAYS_9_TO_5], UTC, moment), datetime(2026, 11, 30, 9, tzinfo=UTC)
        )
        monday = datetime(2026, 11, 30, 10, tzinfo=UTC)
        self.assertEqual(
            next_change([WEEKDAYS_9_TO_5], UTC, monday), datetime(2026, 11, 30, 17, tzinfo=UTC)
        )
        self.assertIsNone(next_change([Rule(time(0), time(0))], UTC, monday))


class ParsingTests(SimpleTestCase):
    def test_it_names_the_field_it_cannot_read(self) -> None:
        window = (datetime(2026, 11, 23, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC))
        for rule, field in (
            (Rule(time(9), time(10), freq="DAILY"), "freq"),
            (Rule(time(9), time(10), byday="XX"), "byday"),
            (Rule(time(9), time(10), freq="MONTHLY", byday="7MO"), "byday"),
            (Rule(time(9), time(10), freq="MONTHLY", bymonthday="32"), "bymonthday"),
        ):
            with self.assertRaisesMessage(ScheduleError, field):
                open_intervals([rule], UTC, *window)

    def test_it_reads_zones_and_offsets(self) -> None:
        self.assertEqual(zone("America/Chicago"), ZoneInfo("America/Chicago"))
        self.assertEqual(zone("Not/AZone"), UTC)
        self.assertEqual(zone("UTC", -5.0), timezone(timedelta(hours=-5)))
        self.assertEqual(zone("", None), UTC)
