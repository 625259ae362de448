"""manage.py allow_retake CERTIFICATE-ID --reason "…"

Lets the holder of a revoked certificate earn its path's certificate again. A revocation
bars the path for good: passing its checks again earns nothing, not even after a module is
raised. Once the people who run Mend have decided otherwise (a suspension served, a
revocation for a cause now remedied), this command lifts the bar: every module of the path
passed from now on earns a new certificate. The revoked one stays revoked and published as
such; the reason stays with Mend and the audit log records the decision.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mend.certificates.actions import RevokeError, do_allow_retake
from mend.certificates.management.commands.revoke_certificate import certificate_id_of


class Command(BaseCommand):
    help = "Let the holder of a revoked certificate earn its path's certificate again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("certificate_id", help="the id of the revoked certificate")
        parser.add_argument("--reason", required=True, help="why (kept by Mend, not published)")

    def handle(self, *args: Any, **options: Any) -> None:
        certificate_id = certificate_id_of(options["certificate_id"])
        try:
            certificate = do_allow_retake(certificate_id, options["reason"], timezone.now())
        except RevokeError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Certificate {certificate.id} ({certificate.path_id}) stays revoked. Its holder "
            "earns a new one by passing every module of the path again from now on."
        )
