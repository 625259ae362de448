"""The dialogue's side of signals sent by lower apps (connected in DialogueConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from mend.accounts.models import User
from mend.accounts.signals import account_deleting
from mend.dialogue import actions


def end_cases_of_departing(sender: Any, *, account: User, **kwargs: Any) -> None:
    actions.do_end_cases_of_departing(account, timezone.now())


def connect() -> None:
    account_deleting.connect(end_cases_of_departing, dispatch_uid="dialogue-account-deleting")
