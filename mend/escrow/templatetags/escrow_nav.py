"""Whether the site's navigation offers "Find others, safely" to the person signed in."""

from __future__ import annotations

from django import template

from mend.escrow.access import is_survivor

register = template.Library()


@register.filter
def may_find_others(user: object) -> bool:
    """True for visitors (they may be survivors about to sign in) and for survivors; false
    for staff accounts, which the escrow's one door answers with 404 anyway."""
    is_authenticated = getattr(user, "is_authenticated", False)
    return not is_authenticated or is_survivor(user)
