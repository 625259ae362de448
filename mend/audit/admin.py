from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mend.audit.models import AuditLog


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin[AuditLog]):
    """A read-only listing: no add, change or delete, for anyone, superusers included."""

    list_display = ("at", "action", "actor", "actor_role", "object_type", "object_id")
    list_filter = ("action", "actor_role")
    search_fields = ("action", "object_id")
    date_hierarchy = "at"
    list_select_related = ("actor",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)
