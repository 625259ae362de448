"""The words the browser page runtime (static/js/lib/page.js) needs on every page.

Every page script runs through ``run(main)``, which tells the person when something fails
that the page did not handle itself; ``api.js`` names a lost connection ``network`` and an
ended session ``session_ended``. Those words are the same on every page, so they live here
once, and every page's "mend-strings" element starts from them (``page_strings``); a page's
own words come after and may say more for its own codes.

This module imports no app of Mend (checked by mend/tests/test_import_layers.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def runtime_strings() -> dict[str, Promise]:
    return {
        "error_generic": _("Something went wrong. Nothing was changed. Please try again."),
        "network": _("Mend could not be reached. Check your connection and try again."),
        "session_ended": _("You were signed out. Please log in again."),
    }


def page_strings(words: Mapping[str, Promise | str]) -> dict[str, str]:
    """The runtime's words and the page's own, translated now, for json_script."""
    return {code: str(text) for code, text in {**runtime_strings(), **words}.items()}
