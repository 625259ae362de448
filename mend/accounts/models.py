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
    # Training (mend.training): an organisation's learner or its administrator. Not staff,
    # not a survivor: survivor and staff pages answer a learner 404.
    LEARNER = "learner", _("Learner")
    #: A senior facilitator: sees each dialogue case's stage, dates and flags, not its content.
    SUPERVISOR = "supervisor", _("Dialogue supervisor")
    #: The responsible person of one dialogue case: an account made only through the one-time
    #: invitation code a facilitator hands over outside Mend; keys made in his browser.
    RESPONSIBLE = "responsible", _("Responsible person")


class User(AbstractUser):
    """An account: a username and a passphrase-derived key, no email required.

    Staff roles are granted by an admin and need two-factor login. No role, staff or
    admin, has a read path into a survivor's vault or escrow content.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    #: Asked only through mend.accounts.roles (one module of role checks).
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.SURVIVOR)


class KeyRing(models.Model):
    """What the server keeps of a survivor's keys: nothing it can use on its own.

    The vault key VK is stored only wrapped: once by the key derived from the passphrase in
    the browser (enc_key) and once by the recovery key shown once as words. The recovery
    proof is a hash, as a password is. A full copy of this table opens no record.
    """

    user = models.OneToOneField(
        User, primary_key=True, on_delete=models.CASCADE, related_name="keyring"
    )
    #: Chosen by the browser; the object id the wrapped vault key is bound to.
    vault_id = models.UUIDField(unique=True)
    #: Argon2id parameters (mend.crypto.kdf.Argon2Params.to_dict), beside what they protect.
    kdf_params = models.JSONField()
    wrapped_vk = models.BinaryField()
    recovery_wrapped_vk = models.BinaryField()
    #: A Django password hash of recovery_auth (derived from the recovery key in the browser).
    recovery_auth_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"key ring {self.vault_id}"


class RateLimitWindow(models.Model):
    """One counter of mend.lib.ratelimit: hits under one key in one fixed time window.

    The key is an HMAC of "scope:value" (a username or an address), so this table holds
    no usernames or IP addresses.
    """

    key = models.CharField(max_length=64)
    window = models.BigIntegerField()
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="ratelimit_key_window")
        ]

    def __str__(self) -> str:
        return f"{self.key[:8]}… {self.hits} hits"
