"""Opening hours: HSDS schedules as RFC 5545 recurrences, in the location's time zone.

Pure functions (no Django, no database): give them rules, a time zone and a window, and
they give back the open intervals in UTC.

How HSDS schedule rows are read (the demo data and the importer follow this; see
docs/directory-search.md):

- A row with ``opens_at`` and ``closes_at`` is an *opening*: on every date its recurrence
  produces (``freq`` WEEKLY or MONTHLY, ``byday`` such as ``MO,TU`` or ``1TU``/``-1FR``,
  ``bymonthday``, ``interval``, ``dtstart``, ``until``, ``count``), and only between
  ``valid_from`` and ``valid_to`` (inclusive dates), the place is open from ``opens_at``
  to ``closes_at``, both local wall-clock times in the location's IANA time zone.
- ``closes_at`` earlier than (or equal to) ``opens_at`` means the session ends the next
  day (overnight), so 00:00-00:00 is 24 hours; ``closes_at`` 23:59 means "until midnight".
- Two rows on one day are two sessions (split hours: 09:00-12:00 and 13:00-17:00).
- A row with neither ``opens_at`` nor ``closes_at`` but with ``valid_from`` is a
  *closure* ("closed on a holiday"): the whole local days from ``valid_from`` to
  ``valid_to`` (the same day when ``valid_to`` is empty), or only the days its own
  recurrence produces within that range, are removed from the openings. Its
  ``description`` says why ("Closed for Thanksgiving").
- A row without a recurrence (no ``freq``, ``byday`` or ``bymonthday``) applies every day.
- Anything else (a description only, or ``opens_at`` without ``closes_at``) says nothing
  about when the place is open, so we never claim it is open.

Guarantees: intervals are sorted, non-overlapping, in UTC, and clipped to the window.
Wall-clock times that do not exist (the spring-forward gap) resolve as zoneinfo does for
``fold=0``, i.e. shifted forward by the gap; repeated ones (fall-back) take the first.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from itertools import islice
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import rrule

WEEKDAYS = {
    "MO": rrule.MO,
    "TU": rrule.TU,
    "WE": rrule.WE,
    "TH": rrule.TH,
    "FR": rrule.FR,
    "SA": rrule.SA,
    "SU": rrule.SU,
}
BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
# Rules with an interval or a count depend on where they start; without a dtstart we
# anchor them on a fixed Monday, so every run of the indexer agrees.
EPOCH = date(2000, 1, 3)
END_OF_DAY = (time(23, 59), time(23, 59, 59))


class ScheduleError(ValueError):
    """A schedule field that cannot be read (the message names the field)."""


@dataclass(frozen=True)
class Rule:
    """One HSDS schedule row, reduced to what evaluation needs."""

    opens_at: time | None = None
    closes_at: time | None = None
    freq: str = ""
    interval: int | None = None
    byday: str = ""
    bymonthday: str = ""
    dtstart: date | None = None
    until: date | None = None
    count: int | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    wkst: str = ""

    @property
    def is_opening(self) -> bool:
        return self.opens_at is not None and self.closes_at is not None

    @property
    def is_closure(self) -> bool:
        return self.opens_at is None and self.closes_at is None and self.valid_from is not None


@dataclass(frozen=True, order=True)
class Interval:
    opens: datetime
    closes: datetime

    def contains(self, moment: datetime) -> bool:
        return self.opens <= moment < self.closes


def zone(name: str, utc_offset_hours: float | None = None) -> tzinfo:
    """The IANA zone ``name``; a fixed UTC offset (HSDS ``timezone``) when the name is
    missing or "UTC" and an offset is given; UTC when neither can be read."""
    if name and name != "UTC":
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    if utc_offset_hours is not None and -14 <= utc_offset_hours <= 14:
        return timezone(timedelta(hours=utc_offset_hours))
    return UTC


def parse_byday(value: str, monthly: bool) -> list[rrule.weekday]:
    days = []
    for part in filter(None, (p.strip().upper() for p in value.split(","))):
        match = BYDAY.match(part)
        if match is None:
            raise ScheduleError(f"byday: {part!r} is not a day such as MO or 1TU")
        weekday = WEEKDAYS[match.group(2)]
        ordinal = int(match.group(1)) if match.group(1) and monthly else 0
        if ordinal and not (1 <= abs(ordinal) <= 5):
            raise ScheduleError(f"byday: {part!r} asks for an occurrence beyond the fifth")
        days.append(weekday(ordinal) if ordinal else weekday)
    return days


def parse_monthdays(value: str) -> list[int]:
    days = []
    for part in filter(None, (p.strip() for p in value.split(","))):
        try:
            day = int(part)
        except ValueError:
            raise ScheduleError(f"bymonthday: {part!r} is not a number") from None
        if day == 0 or not -31 <= day <= 31:
            raise ScheduleError(f"bymonthday: {part!r} is not a day of the month")
        days.append(day)
    return days


def occurrence_dates(rule: Rule, first: date, last: date) -> list[date]:
    """The local dates in [first, last] on which ``rule`` applies.

    The cost depends on the window and the rule's interval, not on how long ago the rule
    began (a ``valid_from`` in year 1 is accepted by the importer and the editor): the
    recurrence starts from its most recent period before ``first`` that it would have
    reached anyway, and stops at ``last``. A ``count`` keeps counting from the real start.
    """
    freq = rule.freq.strip().upper()
    recurring = bool(freq or rule.byday or rule.bymonthday)
    # A one-off closure with only valid_from closes that one day.
    single_day = rule.valid_from if rule.is_closure and not recurring else None
    first = max(first, rule.valid_from or first)
    last = min(last, rule.valid_to or single_day or last)
    if first > last:
        return []
    if recurring and rule.until and rule.until < first:
        return []  # ended before the window (dateutil would look for a first date anyway)
    if not recurring:
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]
    read = read_recurrence(rule, freq or "WEEKLY", first)
    if not can_match(read):
        return []  # dateutil would look for a first date up to year 9999: seconds a call
    recurrence, count = build_rrule(rule, read, first, last)
    if count is not None and count <= 0:
        return []
    start = datetime.combine(first, time())
    end = datetime.combine(last, time())
    if count is None:
        return [moment.date() for moment in recurrence.between(start, end, inc=True)]
    # ``until`` stops the iteration at ``last``; the count is ours to apply.
    return [moment.date() for moment in islice(recurrence, count) if moment >= start]


@dataclass(frozen=True)
class Recurrence:
    """A rule's recurrence as dateutil reads it, with the defaults it would take from
    dtstart written out, so that dtstart can move without changing any occurrence."""

    monthly: bool
    interval: int
    anchor: date
    byweekday: list[rrule.weekday] | None
    bymonthday: list[int] | None
    wkst: rrule.weekday | None

    def build(self, start: date, until: datetime) -> rrule.rrule:
        return rrule.rrule(
            rrule.MONTHLY if self.monthly else rrule.WEEKLY,
            dtstart=datetime.combine(start, time()),
            interval=self.interval,
            wkst=self.wkst,
            until=until,
            byweekday=self.byweekday,
            bymonthday=self.bymonthday,
        )

    def period(self, day: date) -> int:
        """How many periods (weeks from wkst, or months) ``day`` is after the anchor's."""
        if self.monthly:
            return (day.year - self.anchor.year) * 12 + day.month - self.anchor.month
        return (self.week_start(day) - self.week_start(self.anchor)) // 7

    def week_start(self, day: date) -> int:
        wkst = self.wkst.weekday if self.wkst else calendar.firstweekday()
        return day.toordinal() - (day.weekday() - wkst) % 7

    def period_start(self, period: int) -> date:
        if self.monthly:
            months = self.anchor.year * 12 + self.anchor.month - 1 + period
            return date(months // 12, months % 12 + 1, 1)
        return date.fromordinal(self.week_start(self.anchor) + 7 * period)


def can_match(recurrence: Recurrence) -> bool:
    """Whether a rule can ever give a date. A monthly rule with both an nth weekday and a
    day of the month (1MO with 15: the first Monday is never the 15th), or with a day that
    none of the months its interval reaches has (the 31st, every 12 months from April),
    never can; the importer and the editor take such rules, and dateutil looks for their
    first date until year 9999 (found by a review: seconds for each page view). Any
    weekday falls on any day of such a month in some year, so month lengths decide it."""
    if not recurrence.monthly or not recurrence.bymonthday:
        return True
    start = recurrence.anchor.month - 1
    months = {(start + k * recurrence.interval) % 12 + 1 for k in range(12)}
    lengths = {length for month in months for length in MONTH_LENGTHS[month]}
    ordinals = [w.n or 0 for w in recurrence.byweekday] if recurrence.byweekday else [0]
    for length in lengths:
        for given in recurrence.bymonthday:
            day = given if given > 0 else length + 1 + given
            if not 1 <= day <= length:
                continue
            for n in ordinals:
                low, high = (
                    (7 * n - 6, 7 * n) if n > 0 else (length + 7 * n + 1, length + 7 * n + 7)
                )
                if n == 0 or low <= day <= high:
                    return True
    return False


#: The lengths each month can have.
MONTH_LENGTHS = {
    month: (28, 29) if month == 2 else (calendar.monthrange(2001, month)[1],)
    for month in range(1, 13)
}


def read_recurrence(rule: Rule, freq: str, first: date) -> Recurrence:
    if freq not in ("WEEKLY", "MONTHLY"):
        raise ScheduleError(f"freq: {freq!r} is not WEEKLY or MONTHLY")
    monthly = freq == "MONTHLY"
    byweekday: list[rrule.weekday] | None = parse_byday(rule.byday, monthly) or None
    bymonthday = parse_monthdays(rule.bymonthday) or None
    interval = rule.interval or 1
    anchor = rule.dtstart or rule.valid_from
    if anchor is None:
        needs_anchor = interval > 1 or rule.count is not None
        anchor = EPOCH if needs_anchor else first - timedelta(days=7)
    if byweekday is None and bymonthday is None:
        if monthly:
            bymonthday = [anchor.day]
        elif rule.dtstart is None:
            # "WEEKLY" alone would repeat on whatever weekday the anchor happens to be.
            byweekday = list(WEEKDAYS.values())
        else:
            byweekday = [rrule.weekday(anchor.weekday())]  # as dateutil takes it from dtstart
    wkst = WEEKDAYS.get(rule.wkst.strip().upper()) if rule.wkst else None
    return Recurrence(monthly, interval, anchor, byweekday, bymonthday, wkst)


def build_rrule(
    rule: Rule, recurrence: Recurrence, first: date, last: date
) -> tuple[rrule.rrule, int | None]:
    """The recurrence for dates in [first, last], and how many occurrences it may still
    give (None: no count; 0 or less: the count ran out before ``first``)."""
    until = datetime.combine(last, time(23, 59, 59))
    if rule.until:
        until = min(until, datetime.combine(rule.until, time(23, 59, 59)))
    # The latest period at or before ``first`` that the interval reaches from the anchor.
    period = recurrence.period(first) // recurrence.interval * recurrence.interval
    count = rule.count
    if period <= 0:
        return recurrence.build(recurrence.anchor, until), count
    if count is not None:
        most_per_period = 31 if recurrence.monthly else 7
        reachable = recurrence.period(last) // recurrence.interval + 1
        if count > most_per_period * reachable:
            count = None  # it cannot run out by ``last``
        elif recurrence.monthly or recurrence.bymonthday is not None:
            # Occurrences per period vary with the calendar: count from the real start.
            return recurrence.build(recurrence.anchor, until), count
        else:
            count -= skipped_weekly(recurrence, period)
    return recurrence.build(recurrence.period_start(period), until), count


def skipped_weekly(recurrence: Recurrence, period: int) -> int:
    """How many occurrences a weekly rule without bymonthday gives before ``period``: the
    anchor's days to the end of its week, then the same days in every active week."""
    days = {day.weekday for day in recurrence.byweekday or ()}
    anchor = recurrence.anchor
    rest_of_week = 7 - (anchor.toordinal() - recurrence.week_start(anchor))
    first_week = sum((anchor.weekday() + n) % 7 in days for n in range(rest_of_week))
    return first_week + (period // recurrence.interval - 1) * len(days)


def session(day: date, opens_at: time, closes_at: time, tz: tzinfo) -> Interval:
    """One opening on a local date, in UTC (overnight when it closes before it opens)."""
    opens = datetime.combine(day, opens_at, tzinfo=tz)
    if closes_at in END_OF_DAY:
        closes = datetime.combine(day + timedelta(days=1), time(), tzinfo=tz)
    elif closes_at <= opens_at:
        closes = datetime.combine(day + timedelta(days=1), closes_at, tzinfo=tz)
    else:
        closes = datetime.combine(day, closes_at, tzinfo=tz)
    return Interval(opens.astimezone(UTC), closes.astimezone(UTC))


def whole_day(day: date, tz: tzinfo) -> Interval:
    return session(day, time(), time(), tz)


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for item in sorted(intervals):
        if item.closes <= item.opens:
            continue
        if merged and item.opens <= merged[-1].closes:
            last = merged[-1]
            merged[-1] = Interval(last.opens, max(last.closes, item.closes))
        else:
            merged.append(item)
    return merged


def subtract(intervals: list[Interval], holes: list[Interval]) -> list[Interval]:
    """``intervals`` minus ``holes`` (both merged lists)."""
    result: list[Interval] = []
    for item in intervals:
        pieces = [item]
        for hole in holes:
            pieces = [
                piece
                for part in pieces
                for piece in (
                    Interval(part.opens, min(part.closes, hole.opens)),
                    Interval(max(part.opens, hole.closes), part.closes),
                )
                if piece.opens < piece.closes
            ]
        result.extend(pieces)
    return result


def open_intervals(
    rules: Sequence[Rule], tz: tzinfo, start: datetime, end: datetime
) -> list[Interval]:
    """When the place is open between ``start`` and ``end`` (aware datetimes), in UTC."""
    # Local dates one day either side: an overnight session that began the evening
    # before ``start`` is still open at ``start``.
    first = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    openings = merge(
        session(day, rule.opens_at, rule.closes_at, tz)
        for rule in rules
        if rule.opens_at is not None and rule.closes_at is not None
        for day in occurrence_dates(rule, first, last)
    )
    closures = merge(
        whole_day(day, tz)
        for rule in rules
        if rule.is_closure
        for day in occurrence_dates(rule, first, last)
    )
    window = Interval(start.astimezone(UTC), end.astimezone(UTC))
    return [
        Interval(max(i.opens, window.opens), min(i.closes, window.closes))
        for i in subtract(openings, closures)
        if i.closes > window.opens and i.opens < window.closes
    ]


def has_hours(rules: Sequence[Rule]) -> bool:
    """Whether the rules say anything about when the place opens."""
    return any(rule.is_opening for rule in rules)


def is_open_at(rules: Sequence[Rule], tz: tzinfo, moment: datetime) -> bool:
    around = open_intervals(rules, tz, moment - timedelta(minutes=1), moment + timedelta(minutes=1))
    return any(interval.contains(moment.astimezone(UTC)) for interval in around)


def next_change(
    rules: Sequence[Rule], tz: tzinfo, moment: datetime, horizon_days: int = 14
) -> datetime | None:
    """When the place next opens (if closed at ``moment``) or closes (if open), in UTC;
    None when that is not within ``horizon_days``."""
    moment = moment.astimezone(UTC)
    intervals = open_intervals(rules, tz, moment, moment + timedelta(days=horizon_days))
    for interval in intervals:
        if interval.contains(moment):
            closes = interval.closes
            return None if closes >= moment + timedelta(days=horizon_days) else closes
        if interval.opens > moment:
            return interval.opens
    return None


@dataclass(frozen=True)
class DayHours:
    """One local day's sessions, as wall-clock times, for display."""

    day: date
    sessions: tuple[tuple[time, time], ...]


def week(rules: Sequence[Rule], tz: tzinfo, first: date, days: int = 7) -> list[DayHours]:
    """Sessions per local day from ``first`` for ``days`` days. Each day shows only its
    own part of a session: overnight 22:00-06:00 is 22:00-00:00 on the first day and
    00:00-06:00 on the next; a whole day is (00:00, 00:00)."""
    result = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        bounds = whole_day(day, tz)
        sessions = tuple(
            (i.opens.astimezone(tz).time(), i.closes.astimezone(tz).time())
            for i in open_intervals(rules, tz, bounds.opens, bounds.closes)
        )
        result.append(DayHours(day, sessions))
    return result


def closures(rules: Sequence[Rule], first: date, last: date) -> list[tuple[date, Rule]]:
    """Closure days in [first, last] with the rule that closes them (to say why)."""
    found = [
        (day, rule)
        for rule in rules
        if rule.is_closure
        for day in occurrence_dates(rule, first, last)
    ]
    return sorted(found, key=lambda pair: pair[0])
