"""Writes with side effects for accounts (STYLE rule 4)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from mend.accounts.models import STAFF_ROLES, Role, User


@dataclass(frozen=True)
class NewStaff:
    user: User
    device: TOTPDevice


class StaffError(ValueError):
    pass


@transaction.atomic
def do_create_staff(username: str, role: str, passphrase: str) -> NewStaff:
    """Create a staff account with an unconfirmed-free TOTP device, all or nothing.

    Staff sign in to the admin with their passphrase and a one-time code; the account
    is useless without the authenticator app that scans the device's config URL.
    """
    if role not in STAFF_ROLES:
        raise StaffError(f"role must be one of: {', '.join(sorted(STAFF_ROLES))}")
    if User.objects.filter(username=username).exists():
        raise StaffError(f"an account named {username!r} already exists")
    user = User.objects.create_user(
        username=username,
        password=passphrase,
        role=role,
        # Editors and admins use the Django admin; counselors and facilitators have
        # their own workspaces and no admin access.
        is_staff=role in (Role.EDITOR, Role.ADMIN),
        is_superuser=role == Role.ADMIN,
    )
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return NewStaff(user=user, device=device)
