from __future__ import annotations

from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "mend.training"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mend.training import certify, checks  # noqa: F401  (registers the content check)

        certify.register_staff_paths()
