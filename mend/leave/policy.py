"""The employer's policy builder: one leave policy that meets the strictest rule of every
jurisdiction picked, item by item, plus a recommended standard above the minimum.

Guarantees: a clause cites every jurisdiction whose rule sets its minimum; only versions
in force on the day asked count (no_law and not-yet-in-force places are listed, never
counted); where a size tier applies, the highest tier is taken (the strictest). It is
information for an employer, not legal advice, and the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mend.leave import rules
from mend.leave.rules import Version

AMOUNTS = ("paid_days", "unpaid_days", "unpaid_weeks", "paid_hours")
HARMS = ("domestic_violence", "sexual_violence", "sexual_harassment", "stalking")
# How little notice each rule lets an employee give, most lenient (strictest on the
# employer) first; the policy takes the most lenient any picked rule requires.
NOTICE_ORDER = (
    "none_confirm_after", "request_no_advance", "as_soon_as_practicable", "advance_or_asap",
    "as_soon_as_possible", "advance_except_emergency", "tell_start_and_length",
    "reasonable_advance", "hours_48", "form_may_be_required", "employer_policy",
    "written_advance", "unknown",
)  # fmt: skip
DOCS_ORDER = ("none", "after_3_days", "in_writing_after", "reasonable", "listed", "unknown")
DAYS_PER_UNIT = {"days": 1.0, "weeks": 7.0, "months": 30.4375}


@dataclass
class Cite:
    code: str
    name: str
    citation: str
    url: str


@dataclass
class Clause:
    key: str
    value: Any
    cites: list[Cite] = field(default_factory=list)


@dataclass
class Policy:
    on: date
    codes: list[str]
    clauses: dict[str, Clause]
    without_law: list[rules.Jurisdiction]
    unconfirmed: list[str]


def _cite(jurisdiction: rules.Jurisdiction, version: Version, language: str) -> Cite:
    citation = version["statute"] + (f", {version['section']}" if version["section"] else "")
    return Cite(
        jurisdiction["code"], jurisdiction["name"][language], citation, version["sources"][0]["url"]
    )


def _amounts(version: Version) -> dict[str, int]:
    entitlement = version["entitlement"]
    amounts = {key: int(entitlement[key]) for key in AMOUNTS}
    for tier in entitlement["tiers"]:  # the highest tier: the strictest
        amounts.update({k: int(v) for k, v in tier.items() if k in AMOUNTS})
    return amounts


def _most(clauses: dict[str, Clause], key: str, value: Any, cite: Cite, better: bool) -> None:
    """Keep the strictest value for `key`; cite every rule that sets it."""
    clause = clauses.setdefault(key, Clause(key, value))
    if better:
        clause.value, clause.cites = value, [cite]
    elif value == clause.value:
        clause.cites.append(cite)


def _service_days(version: Version) -> int:
    span = version["eligibility"]["service"]
    return round(span["amount"] * DAYS_PER_UNIT[span["unit"]]) if span else 0


def _add(clauses: dict[str, Clause], version: Version, cite: Cite) -> None:
    for key, value in _amounts(version).items():
        current = clauses.get(key)
        _most(clauses, key, value, cite, current is None or value > current.value)
    for harm in HARMS:
        if version["scope"]["harms"][harm] == "yes":
            clauses.setdefault(harm, Clause(harm, True)).cites.append(cite)
    if version["entitlement"]["reasonable_leave"]:
        clauses.setdefault("reasonable_leave", Clause("reasonable_leave", True)).cites.append(cite)
    days = _service_days(version)
    service = clauses.get("service")
    _most(clauses, "service", days, cite, service is None or days < service.value)
    for key, order in (("notice", NOTICE_ORDER), ("documentation", DOCS_ORDER)):
        kind = version[key]["kind" if key == "notice" else "may_require"]
        now = clauses.get(key)
        _most(clauses, key, kind, cite, now is None or order.index(kind) < order.index(now.value))
    protection = version["protection"]
    for duty in ("confidentiality", "anti_retaliation"):
        if protection[duty] == "yes":
            clauses.setdefault(duty, Clause(duty, True)).cites.append(cite)
    if protection["payslip_silent"]:
        clauses.setdefault("payslip_silent", Clause("payslip_silent", True)).cites.append(cite)
    if version["documentation"]["self_statement"]:
        clauses.setdefault("self_statement", Clause("self_statement", True)).cites.append(cite)
    for item in version["documentation"]["never_required"]:
        clauses.setdefault(f"never_{item}", Clause(f"never_{item}", True)).cites.append(cite)


def build_policy(codes: list[str], on: date, language: str = "en") -> Policy:
    """The strictest rule per item over `codes` (unknown codes are ignored by the caller's
    form, which offers only known ones)."""
    clauses: dict[str, Clause] = {}
    without_law, unconfirmed = [], []
    for code in codes:
        jurisdiction = rules.get_jurisdiction(code)
        if jurisdiction is None:
            continue
        version = rules.version_on(jurisdiction, on)
        if version is None or version["status"] != "in_force":
            without_law.append(jurisdiction)
            continue
        _add(clauses, version, _cite(jurisdiction, version, language))
        if any(not version[g]["confirmed"] for g in ("entitlement", "notice", "documentation")):
            unconfirmed.append(jurisdiction["name"][language])
    return Policy(on, codes, clauses, without_law, unconfirmed)
