from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from mend.accounts.models import Role, User


@admin.register(User)
class MendUserAdmin(UserAdmin):  # type: ignore[type-arg]
    """Staff accounts only. Survivor accounts are not listed, shown or editable here:
    an admin who could reset a survivor's passphrase could sign in as her and delete her
    record. Vault models have no admin page at all (no staff read path)."""

    list_display = ("username", "role", "is_active", "is_staff", "last_login")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Role", {"fields": ("role", "is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).exclude(role=Role.SURVIVOR)
