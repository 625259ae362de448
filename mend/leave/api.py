"""The leave rules, read-only, at /api/v1/leave/ (declared in the OpenAPI document).

Nothing here takes anything a survivor typed: the checker fetches the whole data set once
(``/rules``) and answers in her browser.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema

from mend.leave import rules
from mend.lib.refusal import Refusal, refusals

router = Router(tags=["Survivor leave"])


class JurisdictionSummary(Schema):
    code: str
    name: dict[str, str]
    status: str
    statute: str | None
    section: str | None
    verified_on: str


class JurisdictionOut(Schema):
    code: str
    name: dict[str, str]
    #: The version in force on the day asked (`on`, default today), or null.
    in_force: dict[str, Any] | None
    versions: list[dict[str, Any]]


def _day(on: str | None) -> date:
    if on is None:
        return timezone.now().date()
    try:
        return date.fromisoformat(on)
    except ValueError:
        raise Refusal(400, "bad_date", "on must be a date written YYYY-MM-DD") from None


@router.get("/jurisdictions", response={200: list[JurisdictionSummary], **refusals(400)})
def list_jurisdictions(request: HttpRequest, on: str | None = None) -> list[dict[str, Any]]:
    """Every jurisdiction with the version in force on `on` (default today)."""
    day = _day(on)
    out = []
    for code, jurisdiction in rules.all_rules().items():
        version = rules.version_on(jurisdiction, day) or jurisdiction["versions"][-1]
        out.append(
            {
                "code": code,
                "name": jurisdiction["name"],
                "status": version["status"]
                if rules.version_on(jurisdiction, day)
                else "no_version",
                "statute": version["statute"],
                "section": version["section"],
                "verified_on": version["verified_on"],
            }
        )
    return out


@router.get("/jurisdictions/{code}", response={200: JurisdictionOut, **refusals(400, 404)})
def get_jurisdiction(request: HttpRequest, code: str, on: str | None = None) -> dict[str, Any]:
    """One jurisdiction: all its versions, and the one in force on `on` (default today)."""
    day = _day(on)
    jurisdiction = rules.get_jurisdiction(code)
    if jurisdiction is None:
        raise Refusal(404, "unknown_jurisdiction", f"no rules for {code!r}")
    return {
        "code": jurisdiction["code"],
        "name": jurisdiction["name"],
        "in_force": rules.version_on(jurisdiction, day),
        "versions": jurisdiction["versions"],
    }


@router.get("/rules", response={200: dict[str, Any]})
def all_rules(request: HttpRequest) -> HttpResponse:
    """The whole data set with its licence (the same document as /leave/rules.json),
    served from the bytes encoded once per process."""
    return HttpResponse(rules.open_data_bytes(), content_type="application/json")
