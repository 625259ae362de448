"""Turning one HSDS field value (a CSV cell or a JSON value) into what the model stores.

Each ``to_*`` function takes a non-empty value and returns the stored value, or raises
``Invalid`` with a plain reason. Empty values (None, "") never reach them: the caller
stores the field's empty value instead. Pure functions; they run millions of times in a
large import, so they stay small and allocation-free where they can.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

Coercer = Callable[[Any], Any]

BYDAY_PART = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")


class Invalid(ValueError):
    """A value that cannot be stored; the message is the reason shown in the report."""


def is_empty(value: object) -> bool:
    return value is None or value == ""


def to_uuid(value: Any) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    if not isinstance(value, str):
        raise Invalid("must be a UUID such as 3a19ff88-4620-4d17-9830-ac1d859eb5d5")
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Invalid(f"{value!r} is not a UUID") from None


def string(max_length: int | None) -> Coercer:
    def to_string(value: Any) -> str:
        text: str
        if type(value) is str:  # CSV cells are always text: the fast path
            text = value
        elif isinstance(value, bool) or not isinstance(value, int | float):
            raise Invalid("must be text")
        else:
            text = str(value)
        if max_length is not None and len(text) > max_length:
            raise Invalid(f"is {len(text)} characters long; at most {max_length} fit")
        return text

    return to_string


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise Invalid("must be a number")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            raise Invalid(f"{value!r} is not a number") from None
    else:
        raise Invalid("must be a number")
    if not math.isfinite(number):
        raise Invalid(f"{value!r} is not a finite number")
    return number


def to_float(value: Any) -> float:
    return _number(value)


def whole(maximum: int) -> Coercer:
    """A whole number from 0 to ``maximum`` (the model's positive integer fields)."""

    def to_whole(value: Any) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            real = _number(value)
            if not real.is_integer():
                raise Invalid(f"{value!r} is not a whole number")
            number = int(real)
        if not 0 <= number <= maximum:
            raise Invalid(f"{number} is outside 0 to {maximum}")
        return number

    return to_whole


def decimal(max_digits: int, places: int) -> Coercer:
    def to_decimal(value: Any) -> Decimal:
        _number(value)  # rejects booleans, text that is not a number, NaN and infinity
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise Invalid(f"{value!r} is not a number") from None
        exponent = amount.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < -places:
            raise Invalid(f"{value!r} has more than {places} decimal places")
        if abs(amount) >= Decimal(10) ** (max_digits - places):
            raise Invalid(f"{value!r} is too large")
        return amount

    return to_decimal


def to_date(value: Any) -> date:
    if not isinstance(value, str):
        raise Invalid("must be a date such as 2026-01-31")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{value!r} is not a date such as 2026-01-31") from None


def to_datetime(value: Any) -> datetime:
    """An ISO 8601 date-time; one without an offset is taken as UTC."""
    if not isinstance(value, str):
        raise Invalid("must be a date and time such as 2026-01-31T09:30:00Z")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{value!r} is not a date and time such as 2026-01-31T09:30:00Z") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def to_time(value: Any) -> time:
    """A local wall-clock time. "24:00" (end of the day) is stored as 00:00, which the
    schedule convention reads as midnight at the end of the session's day."""
    if not isinstance(value, str):
        raise Invalid("must be a time such as 09:30")
    if value in ("24:00", "24:00:00"):
        return time(0, 0)
    try:
        moment = time.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{value!r} is not a time such as 09:30") from None
    if moment.tzinfo is not None:
        raise Invalid(f"{value!r}: give the local time without an offset")
    return moment


def to_bool(value: Any) -> bool:
    """true or false: a JSON boolean, or its text in a CSV cell."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "false"):
        return text == "true"
    raise Invalid(f"{value!r} is not true or false")


def choice(options: tuple[str, ...]) -> Coercer:
    def to_choice(value: Any) -> str:
        if value not in options:
            raise Invalid(f"{value!r} is not one of {', '.join(options)}")
        return str(value)

    return to_choice


def to_json_object(value: Any) -> Any:
    """A JSON object given as JSON (nested documents) or as JSON text (a CSV cell)."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise Invalid("is not valid JSON") from None
    return value


# Characters an address may hold that a mail program reads as more than the address in a
# mailto: link: "?" and "&" add headers (a hidden bcc:, a subject, a body), "%" encodes them.
MAILTO_SPECIALS = re.compile(r"[?&%#/]")


def email_problem(value: str) -> str | None:
    try:
        validate_email(value)
    except ValidationError:
        return f"{value!r} is not an email address"
    if MAILTO_SPECIALS.search(value):
        return f"{value!r} is not an email address"
    return None


WEB_SCHEMES = frozenset({"http", "https"})


def url_problem(value: str) -> str | None:
    """Only a web address: a link shown to survivors must not run script (javascript:),
    open a page made of its own text (data:), or hand her to another program."""
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme.lower() not in WEB_SCHEMES
        or not parts.hostname
        or any(character.isspace() or ord(character) < 32 for character in value)
    ):
        return f"{value!r} is not a web address starting with https:// or http://"
    return None


def byday_problem(value: str) -> str | None:
    for part in value.split(","):
        if not BYDAY_PART.match(part.strip().upper()):
            return f"{part!r} is not a day such as MO, or 1TU for the first Tuesday"
    return None


def number_list_problem(value: str) -> str | None:
    for part in value.split(","):
        if not re.fullmatch(r"[+-]?\d{1,3}", part.strip()):
            return f"{part!r} is not a number"
    return None


def range_advice(low: float, high: float) -> Callable[[Any], str | None]:
    def advice(value: Any) -> str | None:
        if low <= value <= high:
            return None
        return f"{value} is outside {low} to {high}; kept, but it places nothing on a map"

    return advice
