"""Whether the site's navigation offers the survivors' parts to the person signed in."""

from __future__ import annotations

from django import template

from mend.accounts.roles import is_survivor
from mend.escrow import trust

register = template.Library()


@register.filter
def visitor_or_survivor(user: object) -> bool:
    """True for visitors (they may be survivors about to sign in) and for survivors; false
    for staff accounts, to whom "Keep a record" and "Find others, safely" answer 404."""
    is_authenticated = getattr(user, "is_authenticated", False)
    return not is_authenticated or is_survivor(user)


@register.simple_tag
def escrow_setup_missing() -> bool:
    """True while no counselor key can receive entries (the admin home says what to do)."""
    return not trust.sealable_ids()
