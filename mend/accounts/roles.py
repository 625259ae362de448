"""Who someone is to Mend: the one module of role checks, used by every app.

Each check takes whatever ``request.user`` is (a signed-in ``User`` or Django's
``AnonymousUser``) and answers from the account alone; an inactive account is no role at
all. An access helper (``mend.<app>.access``) starts from one of these, and answers 404,
never 403, to everyone the check refuses, so nobody learns what exists.

Guarantees:
- A survivor is an active account with the survivor role and no staff flag: one
  definition for the vault, the accounts API and the escrow.
- A counselor is one only after her second factor in this session (django_otp's
  ``is_verified``); without it she is signed in but is no counselor yet.
- No staff role is ever a survivor, so no staff role reaches a survivor's data.
- A learner (training) is neither: survivor and staff pages answer her 404.

No other module compares ``.role`` with a ``Role`` by hand (checked by
mend/tests/test_guard_rails.py): it asks one of these, so that a rule changes in one place.
"""

from __future__ import annotations

from django.http import Http404

from mend.accounts.models import Role, User

#: ``request.user``: a User, Django's AnonymousUser, or the lazy object wrapping either.
AnyUser = object

#: Roles an operator grants from the command line (create_staff, set_staff_role); each
#: signs in with a second factor.
STAFF_ROLES = frozenset(
    {Role.COUNSELOR, Role.FACILITATOR, Role.EDITOR, Role.ADMIN, Role.SUPERVISOR}
)
#: Accounts whose passphrase is a key derived in the browser (sign-up, log-in, recovery).
BROWSER_KEY_ROLES = frozenset({Role.SURVIVOR, Role.RESPONSIBLE})

#: Roles that may edit the directory in the admin (an admin may do all an editor does).
DIRECTORY_EDITORS = frozenset({Role.EDITOR, Role.ADMIN})

#: Staff roles that are given cases (escrow groups to counselors, dialogue cases to
#: facilitators): each must hold a current certificate of her role's learning path first
#: (mend.certificates.paths.PATH_FOR_ROLE names the path).
CERTIFIED_ROLES = frozenset({Role.COUNSELOR, Role.FACILITATOR})


def _active(user: AnyUser) -> User | None:
    return user if isinstance(user, User) and user.is_active else None


def has_role(user: AnyUser, role: str) -> bool:
    account = _active(user)
    return account is not None and account.role == role


def has_second_factor(user: AnyUser) -> bool:
    """Signed in with a one-time code in this session (set by django_otp's middleware)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified is not None and is_verified())


def is_survivor(user: AnyUser) -> bool:
    return has_role(user, Role.SURVIVOR) and not getattr(user, "is_staff", False)


def is_counselor(user: AnyUser) -> bool:
    """A counselor who signed in with her second factor in this session."""
    return has_role(user, Role.COUNSELOR) and has_second_factor(user)


def is_facilitator(user: AnyUser) -> bool:
    """A facilitator who signed in with her second factor in this session."""
    return has_role(user, Role.FACILITATOR) and has_second_factor(user)


def is_supervisor(user: AnyUser) -> bool:
    """A dialogue supervisor who signed in with her second factor in this session."""
    return has_role(user, Role.SUPERVISOR) and has_second_factor(user)


def is_responsible(user: AnyUser) -> bool:
    """The responsible person of a dialogue case (an account made by invitation only)."""
    return has_role(user, Role.RESPONSIBLE)


def holds_browser_keys(user: AnyUser) -> bool:
    """An account whose passphrase is a key made in the browser: a survivor, or a
    responsible person (both log in, and recover, the same way)."""
    return is_survivor(user) or is_responsible(user)


def is_facilitator_account(user: AnyUser) -> bool:
    """An active facilitator's account, before or after her second factor: who may be
    assigned to a dialogue case (with a current certificate of her path)."""
    return has_role(user, Role.FACILITATOR)


#: Staff who sign in at the staff workspace's sign-in (/counselor/login/): counselors, and
#: the dialogue's facilitators and supervisors, each then sent to her own pages.
WORKSPACE_ROLES = frozenset({Role.COUNSELOR, Role.FACILITATOR, Role.SUPERVISOR})


def signs_in_to_workspace(user: AnyUser) -> bool:
    """An active counselor's, facilitator's or supervisor's account, before her second
    factor: who may try the staff workspace's sign-in. Not a door to any data."""
    account = _active(user)
    return account is not None and account.role in WORKSPACE_ROLES


def is_workspace_staff(user: AnyUser) -> bool:
    """A counselor, facilitator or supervisor signed in with her second factor."""
    return signs_in_to_workspace(user) and has_second_factor(user)


def holds_staff_key(user: AnyUser) -> bool:
    """Who makes and unlocks a staff key in her browser (the workspace's key, ADR 0007): a
    counselor, or a facilitator, whose dialogue case keys it vouches for. Escrow shares are
    sealed only to counselors' keys (mend.escrow.trust), never to a facilitator's."""
    return is_counselor(user) or is_facilitator(user)


def is_browser_key_role(role: str) -> bool:
    """Whether accounts of ``role`` (a value of Role) derive their passphrase key in the
    browser: survivors and responsible persons sign up, log in and recover that way."""
    return role in BROWSER_KEY_ROLES


def is_counselor_account(user: AnyUser) -> bool:
    """A counselor's account, before or after her second factor: who may try the counselor
    sign-in, and whose certificate of the staff path lets her take groups. Not a door to
    any data: the workspace asks ``is_counselor``."""
    return has_role(user, Role.COUNSELOR)


def is_learner(user: AnyUser) -> bool:
    """A training learner's account (her organisation's membership is training's to check:
    ``mend.training.access.find_membership``)."""
    return has_role(user, Role.LEARNER)


def is_staff_role(role: str) -> bool:
    """Whether ``role`` (a value of Role) is one an operator may grant."""
    return role in STAFF_ROLES


def admin_flags(role: str) -> dict[str, bool]:
    """Django's admin flags that go with a role: editors and admins use the Django admin;
    counselors and facilitators have their own workspaces and no admin access."""
    return {"is_staff": role in DIRECTORY_EDITORS, "is_superuser": role == Role.ADMIN}


def is_editor(user: AnyUser) -> bool:
    """Someone who edits the directory (in the admin, which asks its own second factor)."""
    account = _active(user)
    return account is not None and account.is_staff and account.role in DIRECTORY_EDITORS


def is_admin(user: AnyUser) -> bool:
    account = _active(user)
    return account is not None and account.is_superuser and account.role == Role.ADMIN


def is_other_account(user: AnyUser) -> bool:
    """Signed in, but not as a survivor (staff, or a training learner): the survivor's
    sign-up, log-in and recovery pages answer them 404."""
    is_authenticated = bool(getattr(user, "is_authenticated", False))
    return is_authenticated and getattr(user, "role", None) != Role.SURVIVOR


def runs_idle_clock(user: AnyUser) -> bool:
    """Whose pages sign them out after VAULT_IDLE_SECONDS without activity: survivors,
    responsible persons, counselors and facilitators, who unlock keys in their browser (a
    facilitator's case page shows what the parties wrote; a counselor before her second
    factor too: the sign-in page's own clock)."""
    return holds_browser_keys(user) or is_counselor_account(user) or is_facilitator_account(user)


def require_survivor(user: AnyUser) -> User:
    """The survivor herself; Http404 for anyone else (staff and signed-out included)."""
    if not is_survivor(user):
        raise Http404
    assert isinstance(user, User)
    return user


def require_counselor(user: AnyUser) -> User:
    """The counselor (second factor done); Http404 for anyone else."""
    if not is_counselor(user):
        raise Http404
    assert isinstance(user, User)
    return user
