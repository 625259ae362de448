"""Admin pages for the escrow: operators manage verification and counselor keys only.

There is deliberately no admin page for entries, tags, shares, groups or messages: an
admin has no read path into escrow content (ARCHITECTURE section 4).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from mend.accounts.models import User
from mend.escrow.actions import do_retire_counselor_key
from mend.escrow.models import CounselorKey, InstitutionDomain, Invitation


@admin.register(InstitutionDomain)
class InstitutionDomainAdmin(admin.ModelAdmin[InstitutionDomain]):
    list_display = ("domain", "name", "added_at")
    search_fields = ("domain", "name")

    def save_model(
        self, request: HttpRequest, obj: InstitutionDomain, form: Any, change: bool
    ) -> None:
        obj.domain = obj.domain.strip().lower().removeprefix("@")
        super().save_model(request, obj, form, change)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    """Codes are issued with `manage.py escrow_invite` (shown once); here they are listed."""

    list_display = ("created_at", "expires_at", "used", "created_by")
    list_filter = ("used",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.action(description="Retire the selected keys (their shares are deleted)")
def retire_keys(
    modeladmin: CounselorKeyAdmin, request: HttpRequest, queryset: QuerySet[CounselorKey]
) -> None:
    actor = request.user if isinstance(request.user, User) else None
    for key in queryset.filter(active=True):
        do_retire_counselor_key(key, actor)
    messages.success(request, "Retired. Open groups go to another counselor who can open them.")


@admin.register(CounselorKey)
class CounselorKeyAdmin(admin.ModelAdmin[CounselorKey]):
    """Keys, read only: an admin can retire a key (audited) but never add, edit, endorse or
    delete one; endorsements are signatures made in a counselor's browser (ADR 0007)."""

    list_display = ("id", "counselor", "active", "endorsed_at", "created_at", "retired_at")
    list_filter = ("active",)
    fields = (
        "id",
        "counselor",
        "active",
        "created_at",
        "retired_at",
        "endorsed_by",
        "endorsed_at",
    )
    readonly_fields = fields
    actions = [retire_keys]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
