"""What the server-rendered leave pages show of a rule: plain, translated rows built from
the data (never more than it says; unconfirmed facts are marked as such)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from mend.leave import rules, strings


def language() -> str:
    return "es" if (get_language() or "en").startswith("es") else "en"


def text(value: dict[str, str] | None) -> str:
    return value[language()] if value else ""


def amounts(entitlement: dict[str, Any]) -> str:
    """'5 paid days, 5 unpaid days, up to 15 unpaid weeks per calendar year'."""
    parts = []
    if entitlement["paid_days"]:
        n = entitlement["paid_days"]
        parts.append(ngettext("%(n)d paid day", "%(n)d paid days", n) % {"n": n})
    if entitlement["unpaid_days"]:
        n = entitlement["unpaid_days"]
        parts.append(ngettext("%(n)d unpaid day", "%(n)d unpaid days", n) % {"n": n})
    if entitlement["unpaid_weeks"]:
        n = entitlement["unpaid_weeks"]
        parts.append(_("up to %(n)d unpaid weeks") % {"n": n})
    for tier in entitlement["tiers"]:
        hours = tier.get("paid_hours") or tier.get("unpaid_hours")
        weeks = tier.get("unpaid_weeks")
        size = tier["min_employees"]
        if weeks:
            parts.append(
                _("%(weeks)d weeks unpaid from %(size)d employees") % {"weeks": weeks, "size": size}
            )
        elif tier.get("paid_hours"):
            parts.append(
                _("%(hours)d paid hours from %(size)d employees") % {"hours": hours, "size": size}
            )
        elif hours:
            parts.append(
                _("%(hours)d hours, possibly unpaid, from %(size)d employees")
                % {"hours": hours, "size": size}
            )
    if entitlement["reasonable_leave"]:
        parts.append(_("reasonable time off"))
    return ", ".join(parts) + " " + str(strings.PERIOD[entitlement["period"]])


def span(value: dict[str, Any] | None) -> str:
    if not value:
        return _("none")
    n, unit = value["amount"], value["unit"]
    if unit == "days":
        return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}
    if unit == "weeks":
        return ngettext("%(n)d week", "%(n)d weeks", n) % {"n": n}
    return ngettext("%(n)d month", "%(n)d months", n) % {"n": n}


def harms(scope: dict[str, Any]) -> str:
    covered = [str(strings.HARMS[h]) for h, v in scope["harms"].items() if v == "yes"]
    return ", ".join(covered)


@dataclass
class Row:
    code: str
    name: str
    version: dict[str, Any]
    stale: bool
    citation: str


def rows(now: datetime) -> list[Row]:
    """One row per jurisdiction: the version in force on `now`'s day (or its latest)."""
    table = []
    for code, jurisdiction in rules.all_rules().items():
        version = rules.version_on(jurisdiction, now.date()) or jurisdiction["versions"][-1]
        citation = version["statute"] or ""
        if version["section"]:
            citation += f", {version['section']}"
        table.append(
            Row(code, text(jurisdiction["name"]), version, rules.is_stale(version, now), citation)
        )
    return sorted(table, key=lambda row: row.name)
