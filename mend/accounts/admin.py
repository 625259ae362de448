"""The web admin's view of accounts: a read-only list of staff, and nothing that changes one.

Guarantees (issue 9): through /staff/admin/ nobody, superusers included, can add a user,
change a role, a passphrase, the admin flags, groups or permissions, delete an account, or
see or change a two-factor device: roles and passphrases change only from the command line
(`create_staff`, `set_staff_role`, `set_staff_passphrase`), which writes the audit log.
The two-factor device admin (it shows the TOTP secret), the group and permission admin,
and the task-result admin (its arguments and results name the accounts a task touched) are
unregistered. Only staff accounts (``roles.STAFF_ROLES``) are listed: survivors',
responsible persons' and learners' accounts have no page at all.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from mend.accounts.models import User
from mend.accounts.roles import STAFF_ROLES

#: Admin pages that must not exist, whichever app registered them.
CLOSED_MODELS: tuple[type[Model], ...] = (TOTPDevice, Group)


@admin.register(User)
class MendUserAdmin(UserAdmin):  # type: ignore[type-arg]
    """Staff accounts, read only. No password hash, no way to a password form."""

    list_display = ("username", "role", "is_active", "is_staff", "last_login")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = (
        (None, {"fields": ("username", "role")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    actions = None

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        # Staff roles only, named (not the others excluded): survivors, responsible persons
        # and training's learners are not listed, nor any role added later until it is one.
        # Their change pages answer "doesn't exist" (a redirect to the admin's index).
        return super().get_queryset(request).filter(role__in=STAFF_ROLES)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # also closes /<id>/password/, which asks this first

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def refuse_password_change(request: HttpRequest, extra_context: Any = None) -> NoReturn:
    """The admin's own "change password" page: staff passphrases change only from the
    command line (`set_staff_passphrase`), where the change is audited."""
    raise Http404


def close_unsafe_admin_pages() -> None:
    """Unregister admin pages that leak secrets or change staff accounts, and close the
    admin's own password-change page (the site builds its URLs later, in mend/urls.py).

    Called from AccountsConfig.ready(), after the admin has imported every app's admin
    module (django.contrib.admin comes first in INSTALLED_APPS), so that no app loaded
    later can register them again.
    """
    from django_tasks_db.models import DBTaskResult

    closed: tuple[type[Model], ...] = (*CLOSED_MODELS, DBTaskResult)
    for model in closed:
        if admin.site.is_registered(model):
            admin.site.unregister(model)
    admin.site.password_change = refuse_password_change  # type: ignore[method-assign]
    admin.site.password_change_done = refuse_password_change  # type: ignore[method-assign]
