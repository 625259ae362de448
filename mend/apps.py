from __future__ import annotations

from django.apps import AppConfig


class MendConfig(AppConfig):
    name = "mend"
    verbose_name = "Mend"

    def ready(self) -> None:
        from mend import checks  # noqa: F401  (registers the system checks)
