"""manage.py verify_certificate TEXT-OR-FILE [--public-key HEX] [--revoked FILE]

Checks one Mend training certificate offline: no database, no network. The verdict is
trustworthy only against a public key obtained independently (Mend publishes it), so the
key comes from --public-key or, on a Mend server, from its own CERTIFICATE_SIGNING_KEY.
Revocation is checked against a copy of the published list (/certificates/revoked.json),
itself verified against the same key. Exit status: 0 valid, 1 not a valid certificate,
2 genuine but expired or revoked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from mend.crypto import certificates
from mend.crypto.errors import CryptoError
from mend.lib.trusted_key import trusted_key


class Command(BaseCommand):
    help = "Check a Mend training certificate offline against Mend's published public key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("certificate", help="the certificate's text, or a file holding it")
        parser.add_argument(
            "--public-key",
            default="",
            help="Mend's published certificate key, in hex (default: this server's own key)",
        )
        parser.add_argument(
            "--revoked", type=Path, help="a copy of Mend's list of revoked certificates (JSON)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        given = options["public_key"]
        key, source = trusted_key(given, "CERTIFICATE_SIGNING_KEY", certificates.public_key_for)
        try:
            certificate = certificates.verify_certificate(read_text(options["certificate"]), key)
            revocations = (
                certificates.verify_revocations(read_file(options["revoked"]), key)
                if options["revoked"]
                else None
            )
        except CryptoError as error:
            raise CommandError(_("NOT VALID: %(reason)s") % {"reason": error}) from error
        revoked = revocations.revoked if revocations else frozenset()
        verdict = certificates.status(certificate, timezone.now(), revoked)
        self.stdout.write(self.report(certificate, verdict, source, revocations))
        if verdict != "valid":
            raise CommandError(verdict_line(verdict), returncode=2)

    def report(
        self,
        certificate: certificates.Certificate,
        verdict: str,
        source: str,
        revocations: certificates.Revocations | None,
    ) -> str:
        modules = ", ".join(f"{m} (v{v})" for m, v in certificate.modules)
        checked = (
            _("  revocations:   checked against the list published %s")
            % certificates.format_time(revocations.published_at)
            if revocations
            else _("  revocations:   not checked (use --revoked FILE)")
        )
        head = verdict_line(verdict)
        return "\n".join(
            [
                self.style.SUCCESS(head) if verdict == "valid" else self.style.ERROR(head),
                _("  name:          %s") % certificate.name,
                _("  path:          %(title)s (%(id)s)")
                % {"title": certificate.path_title, "id": certificate.path_id},
                _("  modules:       %s") % modules,
                _("  issued (UTC):  %s") % certificates.format_time(certificate.issued_at),
                _("  expires (UTC): %s") % certificates.format_time(certificate.expires_at),
                _("  certificate:   %s") % certificate.certificate_id,
                _("  checked with:  %s") % source,
                checked,
            ]
        )


def verdict_line(verdict: str) -> str:
    return {
        "valid": _("VALID: Mend issued this certificate and it is current."),
        "expired": _("EXPIRED: Mend issued this certificate, but it has expired."),
        "revoked": _("REVOKED: Mend issued this certificate, but has since revoked it."),
    }[verdict]


def read_text(given: str) -> str:
    """The certificate itself, or the contents of the file it names."""
    path = Path(given)
    try:
        is_file = path.is_file()
    except OSError:  # a certificate's text is longer than a file name may be
        is_file = False
    return read_file(path) if is_file else given


def read_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise CommandError(
            _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": error.strerror}
        ) from error
