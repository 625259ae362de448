from __future__ import annotations

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "mend.directory"
    label = "directory"
    verbose_name = "Support directory"
    default_auto_field = "django.db.models.BigAutoField"
