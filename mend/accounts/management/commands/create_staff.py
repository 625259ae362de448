from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mend.accounts.actions import StaffError, do_create_staff
from mend.accounts.models import STAFF_ROLES


class Command(BaseCommand):
    stealth_options = ("stdin",)  # tests pass a stream; scripts pipe into sys.stdin
    help = (
        "Create a staff account (counselor, facilitator, editor or admin) with a "
        "two-factor device, and print the otpauth:// URL to enrol it in an authenticator."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(STAFF_ROLES))
        parser.add_argument(
            "--passphrase-stdin",
            action="store_true",
            help="read the passphrase from standard input (for scripts) instead of a prompt",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["passphrase_stdin"]:
            stream = options.get("stdin") or sys.stdin
            passphrase = stream.readline().rstrip("\n")
        else:
            passphrase = getpass.getpass("Passphrase for the new account: ")
        if len(passphrase) < 12:
            raise CommandError("The passphrase must have at least 12 characters.")
        try:
            staff = do_create_staff(options["username"], options["role"], passphrase)
        except StaffError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Created {staff.user.role} {staff.user.username!r}.")
        self.stdout.write("Enrol this in the staff member's authenticator app, then discard it:")
        self.stdout.write(staff.device.config_url)
