"""What the "Find help" pages show about a service, already translated and redacted.

The views hand these plain objects to templates, so templates never touch a location's
address fields themselves: ``PlaceView.address_lines`` is empty unless the address is
public, and nothing here carries a hidden location's position.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from babel import Locale, UnknownLocaleError
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mend.directory import taxonomy
from mend.directory.hsds import coerce
from mend.directory.models import (
    AddressVisibility,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
)
from mend.search import drafts, gather, hours, hours_profiles

TERM_NAMES: dict[str, str | Promise] = {t.code: t.name for t in taxonomy.ALL_TERMS}


def current_language() -> str:
    return (get_language() or "en").split("-")[0]


def translated(record: Any, field_name: str) -> str:
    """The record's text in the page's language when a translation exists, else as
    entered (``translations`` is {"es": {"description": "..."}})."""
    texts = getattr(record, "translations", None) or {}
    value = texts.get(current_language(), {}).get(field_name) if isinstance(texts, dict) else None
    return value if isinstance(value, str) and value.strip() else str(getattr(record, field_name))


def term_name(code: str) -> str:
    return str(TERM_NAMES.get(code, code))


@functools.cache
def _cldr_names(language: str) -> Mapping[str, str]:
    try:
        return Locale.parse(language).languages
    except (UnknownLocaleError, ValueError):
        return {}


def language_name(code: str, fallback: str = "") -> str:
    """A language's name in the page's language, from CLDR (Babel): "Chinese", "chino".
    When CLDR has no name there (Spanish has none for ASL, ``ase``), the name the data
    gives, then the English name, then the code itself."""
    base = code.strip().lower().replace("_", "-").split("-")[0]
    if name := _cldr_names(current_language()).get(base):
        return name
    return fallback or _cldr_names("en").get(base) or code


def language_names(languages: list[Language]) -> list[str]:
    names = {language_name(drafts.language_code(x), x.name) for x in languages}
    return sorted(name for name in names if name)


def miles(km: float) -> float:
    return km / 1.609344


#: Letters to the phone keypad's digits (ITU E.161).
KEYPAD = str.maketrans(
    {
        letter: str(key)
        for key, letters in enumerate(
            ("", "", "ABC", "DEF", "GHI", "JKL", "MNO", "PQRS", "TUV", "WXYZ")
        )
        for letter in letters
    }
)


@dataclass(frozen=True)
class PhoneView:
    number: str
    href: str  # tel: URI
    description: str
    kind: str

    @classmethod
    def of(cls, phone: Phone) -> PhoneView:
        # A vanity number (1-800-656-HOPE, as national lines are often written) dials its
        # letters' keys: dropped, the link dialled an incomplete number (found by a review).
        keyed = phone.number.upper().translate(KEYPAD)
        digits = "".join(c for c in keyed if (c.isascii() and c.isdigit()) or c == "+")
        extension = f";ext={phone.extension}" if phone.extension else ""
        return cls(
            phone.number, f"tel:{digits}{extension}", translated(phone, "description"), phone.type
        )


@dataclass(frozen=True)
class DayView:
    day: date
    sessions: tuple[tuple[time, time], ...]
    today: bool

    @property
    def all_day(self) -> bool:
        return self.sessions == ((time(0), time(0)),)


@dataclass(frozen=True)
class HoursView:
    known: bool
    open_now: bool = False
    next_change: datetime | None = None  # naive local wall-clock time (templates must
    next_change_today: bool = False  # not convert it to the site's zone)
    days: tuple[DayView, ...] = ()
    closures: tuple[tuple[date, str], ...] = ()
    time_zone: str = ""
    notes: tuple[str, ...] = ()


def hours_view(rows: list[Schedule], zone_name: str, now: datetime) -> HoursView:
    """The coming week's hours, whether open now, when that changes, and closures in
    the next 30 days with their reason ("Closed for Thanksgiving")."""
    tz: tzinfo = hours.zone(zone_name)
    rules = [hours_profiles.rule_from_schedule(r) for r in rows]
    notes = tuple(translated(r, "description") for r in rows if r.description and r.opens_at)
    if not hours.has_hours(rules):
        return HoursView(known=False, notes=notes)
    today = now.astimezone(tz).date()
    try:
        days = tuple(
            DayView(d.day, d.sessions, d.day == today) for d in hours.week(rules, tz, today)
        )
        change = hours.next_change(rules, tz, now)
        closed = [
            (day, translated(row, "description"))
            for row, rule in zip(rows, rules, strict=True)
            if rule.is_closure
            for day in hours.occurrence_dates(rule, today, today + timedelta(days=30))
        ]
    except hours.ScheduleError:
        return HoursView(known=False, notes=notes)
    return HoursView(
        known=True,
        open_now=hours.is_open_at(rules, tz, now),
        next_change=change.astimezone(tz).replace(tzinfo=None) if change else None,
        next_change_today=change is not None and change.astimezone(tz).date() == today,
        days=days,
        closures=tuple(sorted(closed)),
        time_zone=zone_name,
        notes=notes,
    )


@dataclass
class PlaceView:
    """One place where the service is offered (or its phone/online offer)."""

    anchor: str
    name: str
    remote: bool
    located: bool  # False: no location, and not marked as offered by phone or online
    visibility: str
    address_lines: list[str] = field(default_factory=list)  # empty unless public
    transportation: str = ""  # empty unless public
    areas: list[str] = field(default_factory=list)
    accessibility: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    phones: list[PhoneView] = field(default_factory=list)
    hours: HoursView = field(default_factory=lambda: HoursView(known=False))

    @property
    def public(self) -> bool:
        return self.visibility == AddressVisibility.PUBLIC and not self.remote

    @property
    def on_request(self) -> bool:
        return self.visibility == AddressVisibility.ON_REQUEST and not self.remote


@dataclass
class ServiceView:
    service: Service
    name: str
    organization: str
    description: str
    application_process: str
    eligibility_description: str
    fees_description: str
    alert: str
    wait_time: str
    interpretation_services: str
    url: str
    email: str
    types: list[str]
    eligibility: list[str]
    languages: list[str]
    free: bool
    costs: list[str]
    phones: list[PhoneView]
    places: list[PlaceView]
    assured_date: date | None
    minimum_age: int | None
    maximum_age: int | None


def address_lines(location: Location) -> list[str]:
    if not location.address_is_public:
        return []
    lines = []
    for address in location.addresses.order_by("id"):
        parts = [address.address_1, address.address_2]
        locality = " ".join(
            p
            for p in (address.city + ",", address.state_province, address.postal_code)
            if p.strip(",")
        )
        lines += [p for p in (*parts, locality.strip(" ,")) if p]
    return lines


def place_view(
    service: Service, sal: ServiceAtLocation | None, related: gather.Related, now: datetime
) -> PlaceView:
    location = sal.location if sal else None
    remote = drafts.is_remote(service, location)
    rows = drafts.schedules_for(related, service, sal)
    areas = (related.areas.get(sal.id, []) if sal else []) or related.areas.get(service.id, [])
    view = PlaceView(
        anchor=f"at-{sal.id}" if sal else "remote",
        name=translated(location, "name") if location else "",
        remote=remote,
        located=location is not None,
        visibility=location.address_visibility if location else AddressVisibility.PUBLIC,
        areas=[translated(a, "name") for a in areas if a.name],
        hours=hours_view(rows, hours_profiles.zone_name(location, rows), now),
    )
    if location is not None:
        _fill_location(view, location, related, sal)
    return view


def says_more(text: str, said: list[str]) -> bool:
    """Whether ``text`` says more than the names in ``said``: data often repeats its
    accessibility terms as text ("Wheelchair accessible, Quiet room.")."""
    rest = text.casefold()
    for name in said:
        rest = rest.replace(name.casefold(), "")
    return any(c.isalnum() for c in rest)


def each_once(lines: list[str]) -> list[str]:
    """Non-empty lines, each once whatever its case: data often says the same thing as a
    term and as text ("Wheelchair accessible")."""
    kept: dict[str, str] = {}
    for line in lines:
        if line:
            kept.setdefault(line.casefold(), line)
    return list(kept.values())


def _fill_location(
    view: PlaceView, location: Location, related: gather.Related, sal: ServiceAtLocation | None
) -> None:
    view.address_lines = address_lines(location)
    view.transportation = (
        translated(location, "transportation") if location.address_is_public else ""
    )
    codes = [
        t.code for t in related.terms.get(location.id, []) if t.taxonomy == taxonomy.ACCESSIBILITY
    ]
    names = [term_name(c) for c in codes]
    with translation.override("en"):
        said = names + [term_name(c) for c in codes]
    lines = names + [
        text
        for a in location.accessibility.order_by("id")
        for text in (translated(a, "description"), translated(a, "details"))
        if says_more(text, said)
    ]
    view.accessibility = each_once(lines)
    view.languages = language_names(related.languages.get(location.id, []))
    view.phones = (phone_views(sal.phones) if sal is not None else []) + phone_views(
        location.phones
    )


def first_link(values: list[str], problem: Callable[[str], str | None]) -> str:
    """The first value that is safe to put in a link. Imports and the editor refuse the
    rest now; this keeps a value stored before that (a javascript: address, a mailto: with
    a hidden bcc) off the page."""
    return next((value for value in values if value and problem(value) is None), "")


def phone_views(phones: Any) -> list[PhoneView]:
    """Numbers a person can call or text (a fax is not a way to reach help)."""
    return [PhoneView.of(p) for p in phones.order_by("id") if p.number and p.type != "fax"]


def service_view(service: Service, now: datetime | None = None) -> ServiceView:
    """Everything the service page shows. How to reach it follows HSDS from the most to
    the least specific: the service's own contacts, each place's (service at location,
    then location), and only when none of them has a number, the organisation's."""
    now = now or timezone.now()
    related = gather.gather([service.id])
    sals: list[ServiceAtLocation | None] = list(related.sals.get(service.id, [])) or [None]
    terms = related.terms.get(service.id, [])
    codes = {
        kind: [t.code for t in terms if t.taxonomy == kind]
        for kind in (taxonomy.SERVICE_TYPE, taxonomy.ELIGIBILITY)
    }
    costs = related.costs.get(service.id, [])
    places = [place_view(service, sal, related, now) for sal in sals]
    phones = phone_views(service.phones)
    organization = service.organization
    if not phones and not any(place.phones for place in places):
        phones = phone_views(organization.phones)
    return ServiceView(
        service=service,
        name=translated(service, "name"),
        organization=translated(service.organization, "name"),
        description=translated(service, "description"),
        application_process=translated(service, "application_process"),
        eligibility_description=translated(service, "eligibility_description"),
        fees_description=translated(service, "fees_description"),
        alert=translated(service, "alert"),
        wait_time=translated(service, "wait_time"),
        interpretation_services=translated(service, "interpretation_services"),
        url=first_link([service.url, organization.website], coerce.url_problem),
        email=first_link([service.email, organization.email], coerce.email_problem),
        types=[term_name(c) for c in codes[taxonomy.SERVICE_TYPE]],
        eligibility=[term_name(c) for c in codes[taxonomy.ELIGIBILITY]],
        languages=language_names(related.languages.get(service.id, [])),
        free=drafts.is_free(service, costs),
        costs=[_cost_text(c.option, c.amount, c.currency) for c in costs],
        phones=phones,
        places=places,
        assured_date=service.assured_date,
        minimum_age=service.minimum_age,
        maximum_age=service.maximum_age,
    )


def _cost_text(option: str, amount: Any, currency: str) -> str:
    if amount is None:
        return option
    if amount == 0:
        return option or _("Free")
    price = f"{amount:.2f} {currency}".strip()
    return f"{option}: {price}" if option else price
