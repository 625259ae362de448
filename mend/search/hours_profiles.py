"""Opening hours in the search index: schedules as rules, and their precomputed intervals.

An entry's schedules become an ``HoursProfile`` (shared by every entry with the same rules
in the same time zone) whose ``OpenInterval`` rows cover ``HORIZON_DAYS`` from the
rebuild's ``now``, split at most a day long so that "open at" is a bounded range lookup.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection

from mend.directory.models import Location, Schedule
from mend.search import hours
from mend.search.models import HoursProfile, OpenInterval

# The index's logger, as before these parts had modules of their own: a deployment's
# logging settings name it.
log = logging.getLogger("mend.search.index")
HORIZON_DAYS = 92  # "open at" looks up to 30 days ahead; the rest is slack for a late refresh


def rule_from_schedule(row: Schedule) -> hours.Rule:
    return hours.Rule(
        opens_at=row.opens_at,
        closes_at=row.closes_at,
        freq=row.freq,
        interval=row.interval,
        byday=row.byday,
        bymonthday=row.bymonthday,
        dtstart=row.dtstart,
        until=row.until,
        count=row.count,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        wkst=row.wkst,
    )


def rule_to_json(rule: hours.Rule) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date | time) else v for k, v in asdict(rule).items()}


def rule_from_json(data: dict[str, Any]) -> hours.Rule:
    def parse(name: str, kind: type[date] | type[time]) -> Any:
        value = data.get(name)
        return kind.fromisoformat(value) if value else None

    return hours.Rule(
        opens_at=parse("opens_at", time),
        closes_at=parse("closes_at", time),
        freq=data.get("freq", ""),
        interval=data.get("interval"),
        byday=data.get("byday", ""),
        bymonthday=data.get("bymonthday", ""),
        dtstart=parse("dtstart", date),
        until=parse("until", date),
        count=data.get("count"),
        valid_from=parse("valid_from", date),
        valid_to=parse("valid_to", date),
        wkst=data.get("wkst", ""),
    )


def zone_name(location: Location | None, rows: Sequence[Schedule]) -> str:
    """An IANA zone name: the location's, else one from the rows' HSDS UTC offset."""
    name = location.time_zone if location is not None else ""
    if name and name != "UTC" and isinstance(hours.zone(name), ZoneInfo):
        return name
    offsets = [row.timezone for row in rows if row.timezone is not None]
    if offsets and float(offsets[0]).is_integer() and -12 <= offsets[0] <= 14:
        # POSIX-style names: Etc/GMT+5 is five hours *behind* UTC.
        return f"Etc/GMT{-int(offsets[0]):+d}" if offsets[0] else "UTC"
    return "UTC"


def split_by_day(intervals: Iterable[hours.Interval]) -> Iterator[hours.Interval]:
    day = timedelta(days=1)
    for interval in intervals:
        start = interval.opens
        while start < interval.closes:
            end = min(start + day, interval.closes)
            yield hours.Interval(start, end)
            start = end


def store_intervals(profile: HoursProfile, rules: Sequence[hours.Rule], now: datetime) -> None:
    start, end = now - timedelta(days=1), now + timedelta(days=HORIZON_DAYS)
    try:
        found = hours.open_intervals(rules, hours.zone(profile.time_zone), start, end)
    except hours.ScheduleError as error:
        # Bad data means "hours unknown", never "open": log which profile, not content.
        log.warning("search index: unreadable schedule in profile %s: %s", profile.pk, error)
        found = []
    insert_intervals(profile.pk, split_by_day(found))
    profile.computed_from, profile.computed_until = start, end
    profile.save(update_fields=["computed_from", "computed_until"])


def insert_intervals(profile_id: int, intervals: Iterable[hours.Interval]) -> None:
    """What ``OpenInterval.objects.bulk_create`` did (the same rows, in the same order),
    as one prepared INSERT stepped for each row: building and compiling an instance per
    interval was two thirds of making a profile."""
    column = OpenInterval._meta.get_field("opens_at")
    quote = connection.ops.quote_name
    rows = [
        (
            profile_id,
            column.get_db_prep_value(i.opens, connection),
            column.get_db_prep_value(i.closes, connection),
        )
        for i in intervals
    ]
    names = ", ".join(quote(name) for name in ("profile_id", "opens_at", "closes_at"))
    sql = f"INSERT INTO {quote(OpenInterval._meta.db_table)} ({names}) VALUES (%s, %s, %s)"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


@dataclass
class ProfileCache:
    """Hours profiles by key, created (with their intervals) on first use."""

    now: datetime
    known: dict[str, HoursProfile | None] = field(default_factory=dict)
    by_rules: dict[tuple[str, frozenset[hours.Rule]], HoursProfile | None] = field(
        default_factory=dict
    )

    def get(self, zone: str, rules: Sequence[hours.Rule]) -> HoursProfile | None:
        if not hours.has_hours(rules):
            return None
        # Rules are hashable: most entries repeat a few sets, so skip the JSON and hash.
        memo = (zone, frozenset(rules))
        if memo not in self.by_rules:
            self.by_rules[memo] = self._get(zone, rules)
        return self.by_rules[memo]

    def _get(self, zone: str, rules: Sequence[hours.Rule]) -> HoursProfile | None:
        payload = sorted(
            (rule_to_json(r) for r in rules), key=lambda r: json.dumps(r, sort_keys=True)
        )
        key = hashlib.sha256(json.dumps([zone, payload], sort_keys=True).encode()).hexdigest()
        if key not in self.known:
            self.known[key] = self._load_or_create(key, zone, payload)
        return self.known[key]

    def _load_or_create(self, key: str, zone: str, payload: list[dict[str, Any]]) -> HoursProfile:
        profile, created = HoursProfile.objects.get_or_create(
            key=key, defaults={"time_zone": zone, "rules": payload}
        )
        if created:
            store_intervals(profile, [rule_from_json(p) for p in payload], self.now)
        return profile
