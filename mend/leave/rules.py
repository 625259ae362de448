"""The leave rules: one reviewed JSON file per jurisdiction in ``rules/``.

Guarantees: the files are read once per process and never written; a version is picked
by the day asked about (``version_on``), never by the clock, so callers pass ``now`` or a
date. Each version names its sources and says which facts were not confirmed; this module
passes that on and adds nothing. What it does not do: check the law itself (see
docs/leave.md for re-verifying a jurisdiction) or validate the files (the tests do, with
rules.schema.json, so a bad file never ships).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

RULES_DIR = Path(__file__).resolve().parent / "rules"
SCHEMA_PATH = Path(__file__).resolve().parent / "rules.schema.json"

#: A rule last checked longer ago than this is shown with a warning.
STALE_AFTER = timedelta(days=365)

#: The open-data licence of the rules (the code is AGPL; the data has its own).
LICENCE = {
    "name": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": "Mend survivor-leave rules",
}

Jurisdiction = dict[str, Any]
Version = dict[str, Any]


def load_directory(directory: Path) -> dict[str, Jurisdiction]:
    """Every jurisdiction file in `directory`, by code, in code order."""
    loaded: dict[str, Jurisdiction] = {}
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        loaded[data["code"]] = data
    return loaded


@cache
def all_rules() -> dict[str, Jurisdiction]:
    return load_directory(RULES_DIR)


def get_jurisdiction(code: str) -> Jurisdiction | None:
    table: dict[str, Jurisdiction] = all_rules()
    return table.get(code)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def version_on(jurisdiction: Jurisdiction, day: date) -> Version | None:
    """The version in force on `day` (from and until both inclusive), or None before the
    first one began."""
    versions: list[Version] = jurisdiction["versions"]
    for version in versions:
        start, end = _day(version["from"]), _day(version["until"])
        if (start is None or start <= day) and (end is None or day <= end):
            return version
    return None


def is_stale(version: Version, now: datetime) -> bool:
    """Whether the version was last checked more than STALE_AFTER before `now`."""
    return now.date() - date.fromisoformat(version["verified_on"]) > STALE_AFTER


def open_data() -> dict[str, Any]:
    """The whole data set as one document: what /leave/rules.json serves and the
    checker fetches once (every version, so her browser needs nothing else)."""
    return {
        "format": "mend-leave-rules/1",
        "licence": LICENCE,
        "schema": "rules.schema.json",
        "jurisdictions": list(all_rules().values()),
    }


@cache
def open_data_bytes() -> bytes:
    return json.dumps(open_data(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
