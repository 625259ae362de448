from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from mend.accounts.actions import StaffError, do_replace_staff_device, do_set_staff_passphrase
from mend.accounts.management.staff import add_passphrase_argument, read_passphrase


class Command(BaseCommand):
    stealth_options = ("stdin",)
    help = (
        "Set a new passphrase on a staff account and, with --new-authenticator, replace its "
        "two-factor device (printing the new otpauth:// URL). Written to the audit log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        add_passphrase_argument(parser)
        parser.add_argument(
            "--new-authenticator",
            action="store_true",
            help="also remove the account's authenticator and make a new one",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        passphrase = read_passphrase(options, "New passphrase: ")
        device = None
        try:
            with transaction.atomic():  # both changes, or neither
                user = do_set_staff_passphrase(options["username"], passphrase)
                if options["new_authenticator"]:
                    device = do_replace_staff_device(options["username"]).device
        except StaffError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"New passphrase set for {user.username!r}.")
        if device is not None:
            self.stdout.write("Enrol this in the authenticator app, then discard it:")
            self.stdout.write(device.config_url)
