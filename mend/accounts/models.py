from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SURVIVOR = "survivor", _("Survivor")
    COUNSELOR = "counselor", _("Counselor")
    FACILITATOR = "facilitator", _("Facilitator")
    EDITOR = "editor", _("Directory editor")
    ADMIN = "admin", _("Administrator")


STAFF_ROLES = frozenset({Role.COUNSELOR, Role.FACILITATOR, Role.EDITOR, Role.ADMIN})


class User(AbstractUser):
    """An account: a username and a passphrase-derived key, no email required.

    Staff roles are granted by an admin and need two-factor login. No role, staff or
    admin, has a read path into a survivor's vault or escrow content.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.SURVIVOR)

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES
