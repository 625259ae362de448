"""Create an organisation, or give one another administrator code.

    manage.py training_organisation "Springfield Police Department"
    manage.py training_organisation --admin-code ORGANISATION-ID

Prints the organisation's id and a one-time code for its administrator (shown once,
stored only as a keyed hash). The administrator joins at /training/join/ with it and
then invites her learners from her dashboard.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mend.training import actions
from mend.training.models import Organisation


class Command(BaseCommand):
    help = "Create a training organisation and print its first administrator's one-time code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help="the organisation's name")
        parser.add_argument("--admin-code", metavar="ORGANISATION_ID", type=UUID)

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["admin_code"]:
            organisation = Organisation.objects.filter(pk=options["admin_code"]).first()
            if organisation is None:
                raise CommandError("no organisation has this id")
            [code] = actions.do_issue_invitations(organisation, None, 1, as_admin=True, now=now)
        else:
            name = (options["name"] or "").strip()
            if not name:
                raise CommandError("give the organisation's name, or --admin-code ID")
            same = Organisation.objects.filter(name__iexact=name).first()
            if same is not None:
                raise CommandError(
                    f"an organisation is named {same.name!r} already ({same.id}): give it "
                    "another administrator code with --admin-code ID, or name the new one "
                    "so that the two can be told apart (its town, for example)"
                )
            organisation, code = actions.do_create_organisation(name, now)
        self.stdout.write(f"organisation: {organisation.name} ({organisation.id})")
        self.stdout.write(f"administrator code (one use, shown once): {code}")
