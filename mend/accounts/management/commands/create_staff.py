from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mend.accounts.actions import StaffError, do_create_staff
from mend.accounts.management.staff import add_passphrase_argument, read_passphrase
from mend.accounts.roles import STAFF_ROLES


class Command(BaseCommand):
    stealth_options = ("stdin",)  # tests pass a stream; scripts pipe into sys.stdin
    help = (
        "Create a staff account (one of the --role choices) with a two-factor device, and "
        "print the otpauth:// URL to enrol it in an authenticator."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(STAFF_ROLES))
        add_passphrase_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        passphrase = read_passphrase(options, "Passphrase for the new account: ")
        try:
            staff = do_create_staff(options["username"], options["role"], passphrase)
        except StaffError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Created {staff.user.role} {staff.user.username!r}.")
        self.stdout.write("Enrol this in the staff member's authenticator app, then discard it:")
        self.stdout.write(staff.device.config_url)
