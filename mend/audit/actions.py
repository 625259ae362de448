"""Writing to the audit log: one helper, used by every action that must leave a record."""

from __future__ import annotations

from datetime import datetime, time

from django.utils import timezone

from mend.accounts.models import User
from mend.audit.models import AuditLog


def record_audit(
    action: str,
    *,
    actor: User | None = None,
    object_type: str = "",
    object_id: object = "",
    count_only: bool = False,
) -> AuditLog:
    """Append one record; call inside the transaction of the change it records.

    `count_only` records that something happened and nothing else: no actor, no object,
    and the time rounded down to the day. Survivor-side escrow events use it, so that an
    entry withdrawn before a match leaves nothing but a number.
    """
    now = timezone.now()
    if count_only:
        day = timezone.localdate(now)
        return AuditLog.objects.create(
            at=timezone.make_aware(datetime.combine(day, time.min)), action=action
        )
    return AuditLog.objects.create(
        at=now,
        actor=actor,
        actor_role=actor.role if actor is not None else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
    )
