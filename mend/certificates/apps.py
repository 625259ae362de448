from __future__ import annotations

from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "mend.certificates"
    label = "certificates"
    verbose_name = "Training certificates"
    default_auto_field = "django.db.models.BigAutoField"
