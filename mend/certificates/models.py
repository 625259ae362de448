"""Training certificates as Mend keeps them: who holds each, and what was signed.

The signed text (`compact`) is the certificate; the other columns repeat its fields so
that the staff rule and the organisation pages can filter in SQL. `holder` is never in the
signed text: a certificate names the holder's chosen name only. Revocation is a column
here and an entry in the published, signed list (mend.certificates.keys.published_list).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Certificate(models.Model):
    #: The random certificate id that the signed text carries.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates"
    )
    name = models.CharField(max_length=200)
    path_id = models.CharField(max_length=64)
    path_title = models.CharField(max_length=200)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    #: The certificate itself: base64url of the signed payload and its signature.
    compact = models.TextField()
    #: The Ed25519 public key that signed it (to tell certificates apart after a rotation).
    signer = models.BinaryField(max_length=32)
    revoked_at = models.DateTimeField(null=True, blank=True)
    #: Why it was revoked; kept for the operator, never published.
    revoked_reason = models.TextField(blank=True)
    #: A revoked certificate bars its holder from this path's certificate until an operator
    #: allows her to earn it again (manage.py allow_retake): when, and why (never published).
    retake_allowed_at = models.DateTimeField(null=True, blank=True)
    retake_reason = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["path_id", "holder", "-issued_at"], name="certificate_latest"),
        ]

    def __str__(self) -> str:
        return f"certificate {self.id} ({self.path_id})"


class CertificateModule(models.Model):
    """One module and the version of it that a certificate records."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="modules")
    module_id = models.CharField(max_length=64)
    version = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "module_id"], name="certificate_module_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.module_id} v{self.version}"
