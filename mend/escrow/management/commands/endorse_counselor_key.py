"""The operator vouches for the first counselor key: `manage.py endorse_counselor_key carol
--seed-file /media/usb/mend-operator.seed` (or a facilitator's staff key, under the same rule).

Only while no endorsed counselor key exists (after that a colleague endorses new keys in
her browser). The seed (64 hex characters) is the operator's offline Ed25519 seed whose
public key is ESCROW_OPERATOR_PUBLIC_KEY; `--public-key` prints that public key and stops.
Compare the fingerprint printed here with the one the counselor sees on her workspace page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mend.accounts.models import Role, User
from mend.crypto import endorsement
from mend.escrow import trust
from mend.escrow.actions import active_key, do_endorse_counselor_key_as_operator
from mend.lib.refusal import Refusal


def read_seed(path: str) -> bytes:
    try:
        seed = bytes.fromhex(Path(path).read_text(encoding="ascii").strip())
    except (OSError, ValueError) as error:
        raise CommandError(f"cannot read a hexadecimal seed from {path}: {error}") from None
    if len(seed) != 32:
        raise CommandError("the seed must be 32 bytes (64 hexadecimal characters)")
    return seed


class Command(BaseCommand):
    help = "Endorse a counselor's key with the operator's offline key (first counselor only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?")
        parser.add_argument("--seed-file", required=True)
        parser.add_argument(
            "--public-key",
            action="store_true",
            help="print the public key of the seed (for ESCROW_OPERATOR_PUBLIC_KEY) and stop",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seed = read_seed(options["seed_file"])
        if options["public_key"]:
            self.stdout.write(endorsement.signing_public_key(seed).hex())
            return
        # A facilitator's too: a deployment with no endorsed counselor yet (the dialogue
        # alone) has nobody else to vouch for the key the parties' browsers must trust.
        counselor = User.objects.filter(
            username=options["username"] or "",
            role__in=(Role.COUNSELOR, Role.FACILITATOR),
            is_active=True,
        ).first()
        key = active_key(counselor) if counselor else None
        if key is None:
            raise CommandError(f"no active staff key for {options['username']!r}")
        try:
            do_endorse_counselor_key_as_operator(key, seed)
        except Refusal as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Endorsed the key {trust.key_fingerprint(key)} of {counselor!s}.")
