"""The audit log's side of signals sent by lower apps (connected in AuditConfig.ready)."""

from __future__ import annotations

from typing import Any

from mend.accounts.models import User
from mend.accounts.signals import staff_account_changed
from mend.audit.actions import record_audit


def record_staff_change(
    sender: Any, *, action: str, account: User, actor: User | None, **kwargs: Any
) -> None:
    record_audit(action, actor=actor, object_type="user", object_id=account.pk)


def connect() -> None:
    staff_account_changed.connect(record_staff_change, dispatch_uid="audit-staff-change")
