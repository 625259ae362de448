"""Issue escrow invitation codes: `manage.py escrow_invite --count 5 --days 30 --by adam`.

The codes are printed once and stored only as keyed hashes; hand each to one survivor.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mend.accounts.models import Role, User
from mend.escrow.verification import do_issue_invitations


class Command(BaseCommand):
    help = "Print new one-time invitation codes that verify a survivor account for the escrow."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=1)
        parser.add_argument("--days", type=int, default=30)
        parser.add_argument("--by", help="the admin issuing the codes (for the audit log)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["count"] <= 500 or not 1 <= options["days"] <= 365:
            raise CommandError("--count must be 1-500 and --days 1-365")
        admin = None
        if options["by"]:
            admin = User.objects.filter(username=options["by"], role=Role.ADMIN).first()
            if admin is None:
                raise CommandError(f"no admin account named {options['by']!r}")
        for code in do_issue_invitations(admin, options["count"], options["days"]):
            self.stdout.write(code)
