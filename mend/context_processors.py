from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language

from mend.directory import hotlines


def site(request: HttpRequest) -> dict[str, object]:
    """What every page needs: where the quick exit goes in the current language, and
    the national help lines (the footer names the emergency number)."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    urls = settings.QUICK_EXIT_URLS
    return {
        "quick_exit_url": urls.get(language, urls["en"]),
        "national_lines": hotlines.for_country(language=language),
    }
