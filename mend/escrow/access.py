"""The one door to escrow objects (STYLE rule 5): everyone else gets 404, staff included.

Guarantees:
- Only survivors (role survivor, active) reach escrow; only verified ones evaluate the OPRF
  or store entries.
- An entry loads only for its owner.
- A match group loads only for the counselor it is assigned to, and only after a
  two-factor sign-in. Admins have no path at all.
"""

from __future__ import annotations

from uuid import UUID

from django.http import Http404

from mend.accounts.models import Role, User
from mend.escrow import trust
from mend.escrow.models import CounselorKey, Entry, EscrowAccount, MatchGroup, Membership


def is_survivor(user: object) -> bool:
    return (
        isinstance(user, User)
        and user.is_active
        and user.role == Role.SURVIVOR
        and not user.is_staff
    )


def is_counselor(user: object) -> bool:
    """A counselor who signed in with her second factor in this session."""
    if not (isinstance(user, User) and user.is_active and user.role == Role.COUNSELOR):
        return False
    is_verified = getattr(user, "is_verified", None)  # set by django_otp's middleware
    return bool(is_verified is not None and is_verified())


def require_survivor(user: object) -> User:
    if not is_survivor(user):
        raise Http404
    assert isinstance(user, User)
    return user


def require_counselor(user: object) -> User:
    if not is_counselor(user):
        raise Http404
    assert isinstance(user, User)
    return user


def get_escrow_account(user: User) -> EscrowAccount | None:
    try:
        return EscrowAccount.objects.get(user=user)
    except EscrowAccount.DoesNotExist:
        return None


def get_entry_for_user(user: object, entry_id: UUID) -> Entry:
    survivor = require_survivor(user)
    try:
        return Entry.objects.get(id=entry_id, owner=survivor)
    except Entry.DoesNotExist:
        raise Http404 from None


def get_membership_for_survivor(user: object, membership_id: UUID) -> Membership:
    survivor = require_survivor(user)
    try:
        return Membership.objects.select_related("group").get(id=membership_id, survivor=survivor)
    except Membership.DoesNotExist:
        raise Http404 from None


def get_group_for_counselor(user: object, group_id: UUID) -> MatchGroup:
    counselor = require_counselor(user)
    try:
        return MatchGroup.objects.get(id=group_id, counselor=counselor)
    except MatchGroup.DoesNotExist:
        raise Http404 from None


def get_membership_for_counselor(user: object, group_id: UUID, membership_id: UUID) -> Membership:
    group = get_group_for_counselor(user, group_id)
    try:
        return Membership.objects.select_related("group").get(id=membership_id, group=group)
    except Membership.DoesNotExist:
        raise Http404 from None


def get_pending_key_for_counselor(counselor: User, key_id: UUID) -> CounselorKey:
    """A colleague's key waiting for the endorsement this counselor may give; 404 for every
    other key (her own, an endorsed one, a retired one, or any when her key is unendorsed)."""
    for key in trust.pending_keys(counselor):
        if key.id == key_id:
            return key
    raise Http404
