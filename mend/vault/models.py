"""The encrypted record: what the server stores is ciphertext, sizes and times only.

Every ciphertext is an envelope from mend.crypto.envelope made in the survivor's browser;
the keys that open them never reach the server (ARCHITECTURE section 8). There is no admin
page for these models, and no staff role has a read path into them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Record(models.Model):
    """One record. Its id is chosen by the browser, because the record key is bound to it."""

    id = models.UUIDField(primary_key=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="records"
    )
    #: The record's own random key, wrapped by the vault key VK.
    wrapped_key = models.BinaryField()
    #: The latest saved version (versions are numbered 1, 2, 3, ...).
    current_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["owner", "-updated_at"], name="record_owner_updated")]

    def __str__(self) -> str:
        return f"record {self.id} v{self.current_version}"


class Receipted(models.Model):
    """A stored ciphertext with the server's Ed25519 receipt (mend.crypto.receipts)."""

    ciphertext = models.BinaryField()
    size = models.PositiveIntegerField()
    received_at = models.DateTimeField()
    signature = models.BinaryField()
    #: The public key that signed the receipt (this server's, or another's for an import).
    signer = models.BinaryField()

    class Meta:
        abstract = True


class RecordVersion(Receipted):
    """One saved version. Saved versions are never changed; a new save adds one."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "version"], name="record_version_unique")
        ]

    def __str__(self) -> str:
        return f"record {self.record_id} version {self.version}"


class Attachment(Receipted):
    """A photo, screenshot or document, encrypted in the browser under the record key."""

    id = models.UUIDField(primary_key=True)
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="attachments")
    #: The version of the record that added it.
    version = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"attachment {self.id}"

    @property
    def object_id(self) -> str:
        """What its ciphertext and its receipt are bound to."""
        return f"{self.record_id}/{self.id}"
