from __future__ import annotations

from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "mend.vault"
    label = "vault"
    verbose_name = "Keep a record"
