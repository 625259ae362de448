from __future__ import annotations

from django.apps import AppConfig


class EscrowConfig(AppConfig):
    name = "mend.escrow"
    label = "escrow"
    verbose_name = "Find others, safely (escrow)"
    default_auto_field = "django.db.models.BigAutoField"
