"""``training_text``: a piece of training content, translated and safely rendered."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from mend.training import catalogue

register = template.Library()


@register.filter
def training_text(text: str) -> SafeString:
    return catalogue.show(text)
