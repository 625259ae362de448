from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from mend.accounts.models import User


@admin.register(User)
class MendUserAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "role", "is_active", "is_staff", "last_login")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Role", {"fields": ("role", "is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
