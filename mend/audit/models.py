"""The append-only audit log (ARCHITECTURE section 4: every staff action on survivor data).

Guarantees: rows are only ever inserted. `save()` on an existing row, `delete()`, and the
queryset's `update()` and `delete()` raise, so no code path in Mend changes history; on
PostgreSQL a trigger (migration 0002) also refuses UPDATE and DELETE in SQL. A row says
who (actor), did what (action), to which object (type and id), and when; never content.

Not protected: someone with the database owner's credentials can still rewrite the table.
Survivor-side escrow events are recorded as counts only (no actor, no object, day
precision), so the log cannot be used to tell who once had an entry (docs/escrow.md).
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class AppendOnlyError(RuntimeError):
    """Raised by every attempt to change or remove an audit record."""


class AuditQuerySet(models.QuerySet["AuditLog"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit records are never changed")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("audit records are never deleted")


class AuditLog(models.Model):
    at = models.DateTimeField(db_index=True)
    #: The staff member who acted; null for the system and for survivor-side counts.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # the log outlives accounts; the id is kept as written
        related_name="+",
    )
    actor_role = models.CharField(max_length=16, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit records are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit records are never deleted")
