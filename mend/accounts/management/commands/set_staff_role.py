from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mend.accounts.actions import StaffError, do_set_staff_role
from mend.accounts.roles import STAFF_ROLES


class Command(BaseCommand):
    help = (
        "Change a staff account's role (counselor, facilitator, editor or admin). The only "
        "way to change a role: the web admin cannot. Written to the audit log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=sorted(STAFF_ROLES))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = do_set_staff_role(options["username"], options["role"])
        except StaffError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{user.username!r} is now {user.role}.")
