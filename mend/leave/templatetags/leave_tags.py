from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.utils.formats import date_format

from mend.leave import display

register = template.Library()


@register.filter
def pick(value: dict[str, str] | None) -> str:
    """The page's language of a {en, es} text from the rules."""
    return display.text(value)


@register.filter
def harms(scope: dict[str, Any] | None) -> str:
    return display.harms(scope) if scope else ""


@register.filter
def amounts(entitlement: dict[str, Any] | None) -> str:
    return display.amounts(entitlement) if entitlement else ""


@register.filter
def span(value: dict[str, Any] | None) -> str:
    return display.span(value)


@register.filter
def isodate(value: str) -> str:
    """A YYYY-MM-DD day, written as the page's language writes a date."""
    return date_format(date.fromisoformat(value), "DATE_FORMAT")
