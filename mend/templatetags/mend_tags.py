from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

from mend.accounts import roles

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The current page in every language we offer: plain links, no JavaScript or form."""
    request = context.get("request")
    # One leading slash: a path such as //evil.example/help/ (a 404 page still has these
    # links) would otherwise come back as a link to another site (found by a review).
    path = "/" + request.get_full_path().lstrip("/\\") if request is not None else "/"
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": translate_url(path, code),
                "current": code == current,
            }
        )
    return links


@register.filter
def keeps_drafts(user: Any) -> bool:
    """Whether the idle sign-out keeps her unsaved words locked in the tab: only accounts
    whose keys live in the browser (lib/draft.js locks them with her vault key); a staff
    member's are not kept, and the warning must not promise it."""
    return roles.holds_browser_keys(user)
