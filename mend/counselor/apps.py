from __future__ import annotations

from django.apps import AppConfig


class CounselorConfig(AppConfig):
    """The counselor workspace (/counselor/, /api/v1/counselor/): a counselor opens the
    groups assigned to her in her browser. Its data is the escrow's (mend.escrow)."""

    name = "mend.counselor"
    label = "counselor"
    verbose_name = "Counselor workspace"
    default_auto_field = "django.db.models.BigAutoField"
