"""Mend's survivor profile of HSDS: the checks for its extension fields.

Pure functions (no Django, no database), shared by the model validators (the admin) and
the importer, so an editor and an import file are held to the same rules.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Collection
from functools import cache
from typing import Any

PUBLIC = "public"
ON_REQUEST = "on_request"
HIDDEN = "hidden"
ADDRESS_VISIBILITIES = (PUBLIC, ON_REQUEST, HIDDEN)

# BCP 47 in the simple form HSDS data uses: "es", "zh-Hant", "ase", "pt-BR".
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def time_zone_problem(value: object) -> str | None:
    """Why ``value`` is not an IANA time zone name, or None when it is one."""
    if not isinstance(value, str) or not value:
        return "must be an IANA time zone name such as America/Chicago"
    if value not in _zone_names():
        return f"{value!r} is not an IANA time zone name (such as America/Chicago)"
    return None


def translations_problem(value: Any, fields: Collection[str] | None = None) -> str | None:
    """Why ``value`` is not ``{language: {field: text}}``, or None when it is.

    With ``fields``, each translated field must be one of them (the record's free text).
    """
    if not isinstance(value, dict):
        return 'must be an object such as {"es": {"name": "..."}}'
    for language, texts in value.items():
        if not isinstance(language, str) or not LANGUAGE_TAG.match(language):
            return f"{language!r} is not a language tag such as es or zh-Hant"
        if not isinstance(texts, dict):
            return f"{language}: must be an object of field names and texts"
        for field, text in texts.items():
            if fields is not None and field not in fields:
                return f"{language}.{field}: {field!r} is not a translatable field here"
            if not isinstance(text, str):
                return f"{language}.{field}: must be text"
    return None
