"""manage.py verify_receipt FILE [--public-key HEX] [--ciphertext FILE]

Checks one Mend receipt offline: no database, no network. The verdict is trustworthy only
against a public key obtained independently (Mend publishes it), so the key comes from
--public-key or, on a Mend server, from its own RECEIPT_SIGNING_KEY; never from the receipt
itself. Exits with status 0 for a valid receipt and non-zero for anything else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from mend.crypto import receipts
from mend.crypto.errors import CryptoError
from mend.lib.trusted_key import trusted_key


class Command(BaseCommand):
    help = "Check a Mend receipt file offline against Mend's published public key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the receipt (.json) to check")
        parser.add_argument(
            "--public-key",
            default="",
            help="Mend's published receipt key, in hex (default: this server's own key)",
        )
        parser.add_argument(
            "--ciphertext",
            type=Path,
            help="also check that this file is exactly the ciphertext the receipt names",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        given = options["public_key"]
        key, source = trusted_key(given, "RECEIPT_SIGNING_KEY", receipts.public_key_for)
        receipt_text = read(options["file"]).decode("utf-8", errors="replace")
        ciphertext = read(options["ciphertext"]) if options["ciphertext"] else None
        try:
            receipt = receipts.from_json(receipt_text)
            receipts.verify_receipt(receipt, key)
            if ciphertext is not None:
                receipts.check_ciphertext(receipt, ciphertext)
        except CryptoError as error:
            raise CommandError(_("NOT VALID: %(reason)s") % {"reason": error}) from error
        self.report(receipt, source, ciphertext is not None)

    def report(self, receipt: receipts.Receipt, source: str, ciphertext_checked: bool) -> None:
        lines = [
            self.style.SUCCESS(_("VALID: Mend signed this receipt.")),
            _("  checked against:    %s") % source,
            _("  object:             %s") % receipt.object_id,
            _("  version:            %s") % receipt.version,
            _("  received at (UTC):  %s") % receipts.format_time(receipt.received_at),
            _("  ciphertext SHA-256: %s") % receipt.ciphertext_sha256.hex(),
            _("  signing key:        %s") % receipt.public_key.hex(),
            _("  ciphertext file:    matches")
            if ciphertext_checked
            else _("  ciphertext file:    not checked (use --ciphertext FILE)"),
        ]
        self.stdout.write("\n".join(lines))


def read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(
            _("Cannot read %(path)s: %(reason)s")
            % {
                "path": path,
                "reason": error.strerror,
            }
        ) from error
