"""Offline place lookup: US ZIP codes and city names to coordinates.

Everything comes from the ``zipcodes`` package's bundled data, so a search never asks
another website where a person is. Loaded once per process, on first use.

Guarantees: ``find_place`` is deterministic. A city name that several states share
("Springfield") resolves to the one with the most ZIP codes (a stand-in for size; ties go
to the alphabetically first state), and the result says which place was used and lists
the others, so the page can tell the person and offer the rest.
"""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

import zipcodes

ZIP = re.compile(r"^(\d{5})(?:-\d{4})?$")
EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LNG_AT_EQUATOR = 111.320
CELL_DEGREES = 1.0

STATE_NAMES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
    "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "PR": "Puerto Rico",
    "GU": "Guam", "VI": "U.S. Virgin Islands", "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
}  # fmt: skip


@dataclass(frozen=True)
class Place:
    """A resolved place. ``label`` is what the page shows ("Springfield, IL")."""

    label: str
    latitude: float
    longitude: float
    state: str
    time_zone: str
    postcode: str = ""
    others: tuple[str, ...] = field(default=())  # other places with the same name


@dataclass
class _City:
    name: str
    state: str
    time_zone: str
    points: list[tuple[float, float]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.name}, {self.state}"


@dataclass(frozen=True)
class _Data:
    by_zip: dict[str, Place]
    by_name: dict[str, list[_City]]  # normalised city name -> cities, largest first
    by_alias: dict[str, list[_City]]  # names a ZIP also accepts ("St Louis", "Manhattan")
    cells: dict[tuple[int, int], list[Place]]


@cache
def normalise(name: str) -> str:
    """Lower-case, accents removed, punctuation to spaces, "st" read as "saint"."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    words = re.sub(r"[^a-z0-9]+", " ", folded).split()
    return " ".join("saint" if w in ("st", "ste") else w for w in words)


STATE_BY_NAME = {normalise(name): code for code, name in STATE_NAMES.items()}


def _cell(latitude: float, longitude: float) -> tuple[int, int]:
    return (math.floor(latitude / CELL_DEGREES), math.floor(longitude / CELL_DEGREES))


def _usable(row: dict[str, Any]) -> bool:
    # A few rows carry 0,0 (no known position); they would drag a city's centre away.
    coordinates = (float(row.get("lat") or 0), float(row.get("long") or 0))
    return row.get("country") == "US" and 0.0 not in coordinates


@cache
def _data() -> _Data:
    by_zip: dict[str, Place] = {}
    cities: dict[tuple[str, str], _City] = {}
    names: dict[str, set[tuple[str, str]]] = defaultdict(set)
    aliases: dict[str, set[tuple[str, str]]] = defaultdict(set)
    cells: dict[tuple[int, int], list[Place]] = defaultdict(list)
    rows: list[dict[str, Any]] = zipcodes.list_all()  # type: ignore[no-untyped-call]
    for row in rows:
        if not _usable(row):
            continue
        lat, lng = float(row["lat"]), float(row["long"])
        city, state = str(row["city"]), str(row["state"])
        place = Place(f"{row['zip_code']} ({city}, {state})", lat, lng, state,
                      str(row.get("timezone") or ""), postcode=str(row["zip_code"]))  # fmt: skip
        by_zip[place.postcode] = place
        cells[_cell(lat, lng)].append(place)
        key = (normalise(city), state)
        cities.setdefault(key, _City(city, state, place.time_zone)).points.append((lat, lng))
        names[key[0]].add(key)
        for alias in row.get("acceptable_cities", []):
            aliases[normalise(alias)].add(key)
    return _Data(by_zip, _ranked(names, cities), _ranked(aliases, cities), dict(cells))


def _ranked(
    index: dict[str, set[tuple[str, str]]], cities: dict[tuple[str, str], _City]
) -> dict[str, list[_City]]:
    return {
        name: sorted((cities[k] for k in keys), key=lambda c: (-len(c.points), c.state))
        for name, keys in index.items()
    }


def _city_place(city: _City, others: tuple[str, ...] = ()) -> Place:
    # The median, not the mean: a city's ZIP list includes far-flung PO boxes.
    lat = statistics.median(p[0] for p in city.points)
    lng = statistics.median(p[1] for p in city.points)
    return Place(city.label, round(lat, 4), round(lng, 4), city.state, city.time_zone,
                 others=others)  # fmt: skip


def split_state(text: str) -> tuple[str, str] | None:
    """(normalised city name, state code) when ``text`` ends with a state, written as its
    code or its full name, with or without a comma: "Chicago, IL", "Chicago, Illinois",
    "kansas city missouri". None when it does not."""
    words = normalise(text).split()
    for size in (3, 2, 1):
        if len(words) <= size:
            continue
        tail = " ".join(words[-size:])
        code = STATE_BY_NAME.get(tail)
        if code is None and size == 1 and len(tail) == 2 and tail.upper() in STATE_NAMES:
            code = tail.upper()
        if code is not None:
            return " ".join(words[:-size]), code
    return None


def find_postcode(text: str) -> Place | None:
    match = ZIP.match(text.strip())
    return _data().by_zip.get(match.group(1)) if match else None


def find_place(text: str) -> Place | None:
    """A ZIP code, "City, ST" or a city name; None when we do not know it."""
    text = text.strip()
    if not text:
        return None
    if ZIP.match(text):
        return find_postcode(text)
    data = _data()
    if named := split_state(text):
        name, state = named
        for city in data.by_name.get(name, []) + data.by_alias.get(name, []):
            if city.state == state:
                return _city_place(city)
    name = normalise(text)
    candidates = data.by_name.get(name) or data.by_alias.get(name, [])
    if not candidates:
        return None
    return _city_place(candidates[0], tuple(c.label for c in candidates[1:]))


@dataclass(frozen=True)
class Circle:
    """A search area. Distances in it are equirectangular, squared, in km²: arithmetic
    every database has, and within 500 km under 1 % from the great circle. The SQL
    search and the in-memory one compute them with the same operations, in the same
    order, so both agree to the last bit on who is inside and who is nearer."""

    latitude: float
    longitude: float
    radius_km: float

    @cached_property
    def km_per_degree_lng(self) -> float:
        return KM_PER_DEGREE_LNG_AT_EQUATOR * max(math.cos(math.radians(self.latitude)), 0.01)

    def box(self) -> tuple[float, float, float, float]:
        """South, north, west and east edges of the box around the circle."""
        dlat = self.radius_km / KM_PER_DEGREE_LAT
        dlng = self.radius_km / self.km_per_degree_lng
        return (
            self.latitude - dlat,
            self.latitude + dlat,
            self.longitude - dlng,
            self.longitude + dlng,
        )

    def distance2(self, latitude: float, longitude: float) -> float:
        dy = (latitude - self.latitude) * KM_PER_DEGREE_LAT
        dx = (longitude - self.longitude) * self.km_per_degree_lng
        return dy * dy + dx * dx


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def nearest(latitude: float, longitude: float) -> Place | None:
    """The nearest ZIP code's place (for a browser location: its state and time zone)."""
    cells = _data().cells
    row, col = _cell(latitude, longitude)
    for reach in (1, 3):
        nearby = [
            place
            for r in range(row - reach, row + reach + 1)
            for c in range(col - reach, col + reach + 1)
            for place in cells.get((r, c), [])
        ]
        if nearby:
            return min(
                nearby, key=lambda p: distance_km(latitude, longitude, p.latitude, p.longitude)
            )
    return None


def state_codes(text: str) -> set[str]:
    """US state codes named in a service-area text ("Texas", "TX", "Statewide (NM)");
    {"US"} for a nationwide area. Used to keep remote services to where they serve."""
    words = normalise(text)
    if not words:
        return set()
    if re.search(r"\b(nationwide|national|united states|usa|us|all states)\b", words):
        return {"US"}
    found = {
        code for code, name in STATE_NAMES.items() if re.search(rf"\b{normalise(name)}\b", words)
    }
    tokens = set(re.split(r"[^A-Z]+", text))
    found |= {code for code in STATE_NAMES if code in tokens}
    return found
