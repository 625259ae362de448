"""manage.py revoke_certificate CERTIFICATE-ID --reason "…"

Revokes a training certificate for good (issued in error, or its holder may no longer
claim it). The reason stays with Mend and the audit log records the revocation; the
published list (/certificates/revoked.json) names the id from now on, so the verify page
and verify_certificate --revoked show it as revoked.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mend.certificates.actions import RevokeError, do_revoke_certificate


class Command(BaseCommand):
    help = "Revoke a training certificate (written to the audit log, published as revoked)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("certificate_id", help="the id printed on the certificate")
        parser.add_argument("--reason", required=True, help="why (kept by Mend, not published)")

    def handle(self, *args: Any, **options: Any) -> None:
        certificate_id = certificate_id_of(options["certificate_id"])
        try:
            certificate = do_revoke_certificate(certificate_id, options["reason"], timezone.now())
        except RevokeError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Revoked certificate {certificate.id} ({certificate.path_id}, "
            f"issued {certificate.issued_at:%Y-%m-%d}). It is listed as revoked from now on."
        )


def certificate_id_of(text: str) -> UUID:
    """The certificate id an operator typed, or a CommandError saying what one looks like."""
    try:
        return UUID(text)
    except ValueError:
        raise CommandError(
            f"{text!r} is not a certificate id "
            "(it looks like 8c6f0f5e-1b2a-4c3d-9e8f-0a1b2c3d4e5f)."
        ) from None
