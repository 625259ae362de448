from __future__ import annotations

from django.apps import AppConfig


class LeaveConfig(AppConfig):
    """Survivor leave (part 5, first half): what the law gives, as sourced data; the
    checker and the letter run in her browser; the employer's policy builder. No models:
    the rules are files in the repository (mend/leave/rules/)."""

    name = "mend.leave"
    label = "leave"
    verbose_name = "Survivor leave"
