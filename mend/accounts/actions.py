"""Writes with side effects for accounts (STYLE rule 4)."""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp.plugins.otp_totp.models import TOTPDevice

from mend.accounts.models import KeyRing, Role, User
from mend.accounts.roles import (
    BROWSER_KEY_ROLES,
    STAFF_ROLES,
    admin_flags,
    holds_browser_keys,
    is_browser_key_role,
    is_staff_role,
)
from mend.accounts.signals import account_deleting, staff_account_changed
from mend.crypto import kdf
from mend.crypto.errors import ParamsError
from mend.lib import passphrase as passphrase_rule
from mend.lib import ratelimit
from mend.lib.refusal import Refusal


@dataclass(frozen=True)
class NewStaff:
    user: User
    device: TOTPDevice


class StaffError(ValueError):
    pass


def _staff_changed(action: str, account: User, actor: User | None) -> None:
    """Tell the audit log (mend.audit listens) inside the caller's transaction."""
    staff_account_changed.send(User, action=action, account=account, actor=actor)


def _check_passphrase(passphrase: str) -> None:
    if len(passphrase) < passphrase_rule.MIN_LENGTH:
        least = passphrase_rule.MIN_LENGTH
        raise StaffError(f"the passphrase must have at least {least} characters")


@transaction.atomic
def do_create_staff(
    username: str, role: str, passphrase: str, *, actor: User | None = None
) -> NewStaff:
    """Create a staff account with a TOTP device, all or nothing, and audit both.

    Staff sign in to the admin with their passphrase and a one-time code; the account
    is useless without the authenticator app that scans the device's config URL.
    """
    if not is_staff_role(role):
        raise StaffError(f"role must be one of: {', '.join(sorted(STAFF_ROLES))}")
    _check_passphrase(passphrase)
    if User.objects.filter(username=username).exists():
        raise StaffError(f"an account named {username!r} already exists")
    user = User(username=User.normalize_username(username), role=role, **admin_flags(role))
    user.set_password(passphrase)
    user.save()
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    _staff_changed("staff.created", user, actor)
    _staff_changed("staff.device.added", user, actor)
    return NewStaff(user=user, device=device)


def get_staff_account(username: str) -> User:
    """A staff account by username; StaffError for a survivor's or a missing one.

    Survivor accounts are never turned into staff (nor back): their passphrase is a key
    derived in the browser, and a staff role on one would mix two trust levels.
    """
    user = User.objects.filter(username=username, role__in=STAFF_ROLES).first()
    if user is None:
        raise StaffError(f"there is no staff account named {username!r}")
    return user


@transaction.atomic
def do_set_staff_role(username: str, role: str, *, actor: User | None = None) -> User:
    """Change a staff account's role (and its admin flags with it); audited.

    Only the operator's command line calls this: the web admin cannot change a role.
    """
    if not is_staff_role(role):
        raise StaffError(f"role must be one of: {', '.join(sorted(STAFF_ROLES))}")
    user = get_staff_account(username)
    if user.role == role:
        return user
    user.role = role
    for flag, value in admin_flags(role).items():
        setattr(user, flag, value)
    user.save(update_fields=["role", "is_staff", "is_superuser"])
    _staff_changed("staff.role.changed", user, actor)
    return user


@transaction.atomic
def do_set_staff_passphrase(username: str, passphrase: str, *, actor: User | None = None) -> User:
    """Set a new passphrase on a staff account; audited. Its sessions stop working
    (Django ties a session to the password hash)."""
    _check_passphrase(passphrase)
    user = get_staff_account(username)
    user.set_password(passphrase)
    user.save(update_fields=["password"])
    _staff_changed("staff.passphrase.changed", user, actor)
    return user


@transaction.atomic
def do_replace_staff_device(username: str, *, actor: User | None = None) -> NewStaff:
    """Remove every authenticator of a staff account and add a new one; both audited."""
    user = get_staff_account(username)
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    if removed:
        _staff_changed("staff.device.removed", user, actor)
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    _staff_changed("staff.device.added", user, actor)
    return NewStaff(user=user, device=device)


# --- Survivor accounts (ARCHITECTURE section 8) ---------------------------------------------

USERNAME_MIN, USERNAME_MAX = 3, 40
_USERNAME = re.compile(r"[\w.-]+")
# A hash no auth key matches: checked when there is no account, so that a wrong username
# costs the same time as a wrong passphrase.
_NO_ACCOUNT_HASH_INPUT = "mend-no-such-account"


@dataclass(frozen=True)
class VaultKeyMaterial:
    """What the browser sends when it sets a passphrase: never the passphrase itself."""

    auth_key: bytes
    params: kdf.Argon2Params
    wrapped_vk: bytes


@dataclass(frozen=True)
class RecoveryMaterial:
    recovery_auth: bytes
    recovery_wrapped_vk: bytes


def normalize_username(raw: str) -> str:
    """The one spelling of a username: NFKC, trimmed, lower case."""
    return unicodedata.normalize("NFKC", raw).strip().lower()


def check_username(username: str) -> None:
    if not USERNAME_MIN <= len(username) <= USERNAME_MAX or not _USERNAME.fullmatch(username):
        raise Refusal(
            400,
            "username_invalid",
            f"A username has {USERNAME_MIN} to {USERNAME_MAX} letters, digits, dots, "
            "dashes or underscores.",
        )


def parse_params(data: dict[str, object]) -> kdf.Argon2Params:
    """Strictly parse KDF parameters and refuse any weaker than the production floor."""
    try:
        params = kdf.Argon2Params.from_dict(dict(data))
    except ParamsError as error:
        raise Refusal(400, "params_invalid", str(error)) from None
    if kdf.needs_upgrade(params):
        raise Refusal(400, "params_weak", "These key parameters are weaker than Mend accepts.")
    return params


def decoy_secret() -> bytes:
    """The server secret behind decoy parameters (stable while SECRET_KEY is)."""
    return salted_hmac(
        "mend.accounts.decoy-kdf", "v1", secret=settings.SECRET_KEY, algorithm="sha256"
    ).digest()


def kdf_params_for(username: str) -> dict[str, object]:
    """The KDF parameters to derive keys for this username, or stable decoys.

    Someone probing usernames gets the same shape of answer, and the same answer each time,
    whether an account exists or not (staff accounts get decoys too: they have no vault).
    """
    keyring = KeyRing.objects.filter(
        user__username=username, user__role__in=BROWSER_KEY_ROLES, user__is_active=True
    ).first()
    if keyring is not None:
        return kdf.Argon2Params.from_dict(keyring.kdf_params).to_dict()
    return kdf.decoy_params(decoy_secret(), username).to_dict()


def do_sign_up_survivor(
    username: str, vault_id: uuid.UUID, keys: VaultKeyMaterial, recovery: RecoveryMaterial
) -> User:
    """Create a survivor account from what the browser derived (`do_sign_up`)."""
    return do_sign_up(username, vault_id, keys, recovery, role=Role.SURVIVOR)


def do_sign_up(
    username: str,
    vault_id: uuid.UUID,
    keys: VaultKeyMaterial,
    recovery: RecoveryMaterial,
    *,
    role: str,
) -> User:
    """Create an account whose keys the browser derived, all or nothing: a survivor, or a
    responsible person (only through a dialogue invitation, mend.dialogue.actions).

    A username or a vault id already in use is a Refusal (409 username_taken,
    vault_id_taken). The database's unique constraints decide, so two sign-ups racing for
    the same name or id cannot both pass a check first; the loser's transaction is rolled
    back whole (a caller's outer transaction included).
    """
    if not is_browser_key_role(role):
        raise Refusal(400, "role_invalid", "Only survivor and responsible accounts sign up.")
    check_username(username)
    try:
        with transaction.atomic():
            return _create_account(username, vault_id, keys, recovery, role)
    except IntegrityError:
        taken = User.objects.filter(username=username).exists()
        raise _taken("username_taken" if taken else "vault_id_taken") from None


def _taken(code: str) -> Refusal:
    if code == "username_taken":
        return Refusal(409, code, "This username is taken. Please choose another.")
    # The browser picks a random vault id; one already in use means a replayed or forged
    # sign-up. Refused so that no key ring is ever bound to another account's vault id.
    return Refusal(409, code, "This vault id is already in use. Please try again.")


def _create_account(
    username: str,
    vault_id: uuid.UUID,
    keys: VaultKeyMaterial,
    recovery: RecoveryMaterial,
    role: str,
) -> User:
    user = User.objects.create_user(username=username, password=keys.auth_key.hex(), role=role)
    now = timezone.now()
    KeyRing.objects.create(
        user=user,
        vault_id=vault_id,
        kdf_params=keys.params.to_dict(),
        wrapped_vk=keys.wrapped_vk,
        recovery_wrapped_vk=recovery.recovery_wrapped_vk,
        recovery_auth_hash=make_password(recovery.recovery_auth.hex()),
        created_at=now,
        updated_at=now,
    )
    return user


def check_auth_key(user: User, auth_key: bytes) -> bool:
    return user.check_password(auth_key.hex())


def find_keyring_by_recovery(username: str, recovery_auth: bytes) -> KeyRing | None:
    """The survivor's key ring if recovery_auth proves she holds the recovery key."""
    keyring = (
        KeyRing.objects.select_related("user")
        .filter(user__username=username, user__role__in=BROWSER_KEY_ROLES, user__is_active=True)
        .first()
    )
    if keyring is None:
        make_password(_NO_ACCOUNT_HASH_INPUT)  # the same work as a real check
        return None
    if not check_password(recovery_auth.hex(), keyring.recovery_auth_hash):
        return None
    return keyring


@transaction.atomic
def do_set_passphrase(user: User, keys: VaultKeyMaterial) -> None:
    """A new passphrase: new auth key and the same VK, rewrapped. Records are untouched."""
    keyring = KeyRing.objects.select_for_update().get(user=user)
    user.set_password(keys.auth_key.hex())
    user.save(update_fields=["password"])
    keyring.kdf_params = keys.params.to_dict()
    keyring.wrapped_vk = keys.wrapped_vk
    keyring.updated_at = timezone.now()
    keyring.save(update_fields=["kdf_params", "wrapped_vk", "updated_at"])


@transaction.atomic
def do_recover_account(
    keyring: KeyRing, keys: VaultKeyMaterial, recovery: RecoveryMaterial
) -> None:
    """After proof of the recovery key: a new passphrase and a new recovery key.

    The used recovery key stops working, since it has now been typed somewhere.
    """
    do_set_passphrase(keyring.user, keys)
    keyring.refresh_from_db()
    keyring.recovery_wrapped_vk = recovery.recovery_wrapped_vk
    keyring.recovery_auth_hash = make_password(recovery.recovery_auth.hex())
    keyring.save(update_fields=["recovery_wrapped_vk", "recovery_auth_hash"])


#: The rate limits counted by account id (their settings are named RATE_LIMIT_*_ACCOUNT;
#: mend/accounts/tests/test_delete_account_api.py finds them all): an account's counters
#: go with it. The sign-in limit counts by username, not by account, and only for its
#: window (15 minutes): it is left to expire.
ACCOUNT_LIMIT_SCOPES = (
    "vault-save",
    "vault-import",
    "escrow-oprf",
    "escrow-verify",
    "escrow-code",
    "escrow-message",
    "dialogue-invite",
    "dialogue-item",
)


@transaction.atomic
def do_delete_account(user: User) -> None:
    """Delete the account and everything in it (records, versions, attachments, keys; her
    entries in a match group withdrawn, as mend.escrow does when told; a responsible
    person's part in a dialogue case, after the case is ended for him), her sessions on
    every device and her rate-limit counters.

    One transaction: either all of it is gone or none of it is.
    """
    if not holds_browser_keys(user):
        raise Refusal(400, "not_survivor", "Only survivor accounts are deleted here.")
    account_deleting.send(User, account=user)
    end_sessions(user)
    ratelimit.forget(ACCOUNT_LIMIT_SCOPES, str(user.pk))
    user.delete()


def end_sessions(user: User) -> int:
    """Delete every stored session signed in as this account, on any device: a request
    with one is signed out, and no session row keeps her id. Returns how many went.

    (A new passphrase ends her other sessions differently: Django ties a session to the
    password hash, so they stop working, but each row stays until its device calls again
    and Django flushes it, or until `clearsessions`.)

    Sessions live in the database (Django's default engine: the settings choose no other)
    with no index by account, so every live session is read: the expired ones, which can
    never be used again, are deleted first for every account, as `clearsessions` does.
    """
    SessionStore.clear_expired()
    signed_in_as = str(user.pk)  # as django.contrib.auth.login stores it
    mine = [
        session.session_key
        for session in Session.objects.only("session_key", "session_data").iterator()
        if session.get_decoded().get(SESSION_KEY) == signed_in_as
    ]
    deleted, _ = Session.objects.filter(session_key__in=mine).delete()
    return deleted
