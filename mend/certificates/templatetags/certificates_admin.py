"""The admin home page's line on who may not be assigned cases yet."""

from __future__ import annotations

from django import template
from django.utils import timezone

from mend.accounts.models import User
from mend.certificates.access import uncertified_staff

register = template.Library()


@register.simple_tag
def staff_not_certified() -> list[User]:
    return list(uncertified_staff(timezone.now()))
