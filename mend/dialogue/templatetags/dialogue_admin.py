"""The admin home page's line on whether the dialogue is open (mend.dialogue.availability)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from mend.dialogue import availability

register = template.Library()


@register.simple_tag
def dialogue_setup_missing() -> bool:
    return not availability.offered(timezone.now())
