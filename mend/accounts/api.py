"""Survivor accounts: the JSON half of sign-up, log-in, recovery, passphrase and deletion.

The browser derives every key (ARCHITECTURE section 8); these endpoints receive only
auth_key (stored as a Django password hash), recovery_auth (hashed likewise) and wrapped
keys. Request bodies are never logged. Every endpoint checks CSRF.
"""

# No `from __future__ import annotations` here: ninja reads each endpoint's parameter types
# through @sensitive_variables' wrapper, whose module globals cannot resolve string
# annotations such as "SignUpIn"; real annotation objects need no resolving.
from django.conf import settings
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.views.decorators.debug import sensitive_variables
from ninja import Router, Status

from mend.accounts import actions
from mend.accounts.access import get_keyring_for_key_holder
from mend.accounts.actions import RecoveryMaterial, VaultKeyMaterial
from mend.accounts.models import KeyRing, User
from mend.accounts.schemas import (
    AliveOut,
    DeleteAccountIn,
    KdfParamsOut,
    LogInIn,
    PassphraseIn,
    RecoveryFinishIn,
    RecoveryStartIn,
    RecoveryStartOut,
    SessionOut,
    SignUpIn,
    UsernameIn,
    VaultKeyOut,
)
from mend.accounts.security import (
    CsrfOnly,
    IdleClockSession,
    KeyHolderSession,
    auth_user,
    keep_alive,
    session_seconds_left,
)
from mend.lib import ratelimit
from mend.lib.ratelimit import Limit
from mend.lib.refusal import Refusal, refusals
from mend.lib.wire import b64, wrapped_key

router = Router(tags=["accounts"], auth=CsrfOnly())

WRONG = Refusal(401, "wrong_credentials", "The username or the passphrase is not right.")
WRONG_RECOVERY = Refusal(401, "wrong_recovery", "The username or the recovery key is not right.")


def login_limits() -> tuple[Limit, Limit]:
    return (
        Limit.from_setting("login", settings.RATE_LIMIT_LOGIN_USERNAME),
        Limit.from_setting("login-ip", settings.RATE_LIMIT_LOGIN_IP),
    )


def client_ip(request: HttpRequest) -> str:
    return ratelimit.client_address(request)  # TRUSTED_PROXY_COUNT: see the README


def refuse_if_over(*checks: tuple[ratelimit.Limit, str]) -> None:
    """Count one attempt under each limit; Refusal(429) when one is exceeded."""
    wait = ratelimit.seconds_to_wait(*checks)
    if wait:
        raise Refusal(429, "rate_limited", ratelimit.too_many_attempts(wait), retry_after=wait)


def check_attempt(request: HttpRequest, username: str) -> None:
    """Count one attempt to prove a secret for `username`; Refusal(429) when over."""
    by_name, by_ip = login_limits()
    refuse_if_over((by_name, username), (by_ip, client_ip(request)))


def require_passphrase_again(request: HttpRequest, user: User, auth_key: str) -> None:
    """Her passphrase again (its auth key, derived in her browser), before a step that a
    stolen session alone must not take: a new passphrase, deleting her account, deleting
    records. Counted as a sign-in attempt (429 when over); 401 ``wrong_passphrase``."""
    check_attempt(request, user.username)
    if not actions.check_auth_key(user, bytes.fromhex(auth_key)):
        raise Refusal(401, "wrong_passphrase", "The passphrase is not right.")


def key_material(auth_key: str, params: dict[str, object], wrapped_vk: str) -> VaultKeyMaterial:
    return VaultKeyMaterial(
        auth_key=bytes.fromhex(auth_key),
        params=actions.parse_params(params),
        wrapped_vk=wrapped_key(wrapped_vk, "wrapped_vk"),
    )


def recovery_material(recovery_auth: str, recovery_wrapped_vk: str) -> RecoveryMaterial:
    return RecoveryMaterial(
        recovery_auth=bytes.fromhex(recovery_auth),
        recovery_wrapped_vk=wrapped_key(recovery_wrapped_vk, "recovery_wrapped_vk"),
    )


def vault_key_out(request: HttpRequest, keyring: KeyRing) -> VaultKeyOut:
    return VaultKeyOut(
        vault_id=keyring.vault_id,
        params=keyring.kdf_params,
        wrapped_vk=b64(keyring.wrapped_vk),
        csrf_token=get_token(request),
    )


def start_session(request: HttpRequest, user: User) -> None:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    keep_alive(request)


@router.post("/kdf-params", response={200: KdfParamsOut, **refusals(403, 422)})
def kdf_params(request: HttpRequest, body: UsernameIn) -> KdfParamsOut:
    """Argon2id parameters for a username; stable decoys when there is no such survivor."""
    username = actions.normalize_username(body.username)
    return KdfParamsOut(params=actions.kdf_params_for(username))


@router.post("/signup", response={201: SessionOut, **refusals(400, 403, 409, 422, 429)})
@sensitive_variables("body")
def sign_up(request: HttpRequest, body: SignUpIn) -> Status[SessionOut]:
    limit = Limit.from_setting("signup-ip", settings.RATE_LIMIT_SIGNUP_IP)
    refuse_if_over((limit, client_ip(request)))
    user = actions.do_sign_up_survivor(
        actions.normalize_username(body.username),
        body.vault_id,
        key_material(body.auth_key, body.params, body.wrapped_vk),
        recovery_material(body.recovery_auth, body.recovery_wrapped_vk),
    )
    start_session(request, user)
    return Status(201, SessionOut(csrf_token=get_token(request)))


@router.post("/login", response={200: VaultKeyOut, **refusals(401, 403, 422, 429)})
@sensitive_variables("body")
def log_in(request: HttpRequest, body: LogInIn) -> Status[VaultKeyOut]:
    """Check auth_key; on success start a session and hand back VK wrapped by enc_key."""
    username = actions.normalize_username(body.username)
    check_attempt(request, username)
    user = authenticate(request, username=username, password=body.auth_key)
    keyring = get_keyring_for_key_holder(user)
    if keyring is None or not isinstance(user, User):
        raise WRONG
    start_session(request, user)
    return Status(200, vault_key_out(request, keyring))


@router.post("/recovery/start", response={200: RecoveryStartOut, **refusals(401, 403, 422, 429)})
@sensitive_variables("body")
def start_recovery(request: HttpRequest, body: RecoveryStartIn) -> Status[RecoveryStartOut]:
    """Proof of the recovery key (without the key itself) gives VK wrapped by it."""
    username = actions.normalize_username(body.username)
    check_attempt(request, username)
    keyring = actions.find_keyring_by_recovery(username, bytes.fromhex(body.recovery_auth))
    if keyring is None:
        raise WRONG_RECOVERY
    return Status(
        200,
        RecoveryStartOut(
            vault_id=keyring.vault_id, recovery_wrapped_vk=b64(keyring.recovery_wrapped_vk)
        ),
    )


@router.post("/recovery/finish", response={200: SessionOut, **refusals(400, 401, 403, 422, 429)})
@sensitive_variables("body")
def finish_recovery(request: HttpRequest, body: RecoveryFinishIn) -> Status[SessionOut]:
    """A new passphrase and a new recovery key, after the same proof as start_recovery."""
    username = actions.normalize_username(body.username)
    check_attempt(request, username)
    keyring = actions.find_keyring_by_recovery(username, bytes.fromhex(body.recovery_auth))
    if keyring is None:
        raise WRONG_RECOVERY
    keys = key_material(body.auth_key, body.params, body.wrapped_vk)
    recovery = recovery_material(body.new_recovery_auth, body.new_recovery_wrapped_vk)
    actions.do_recover_account(keyring, keys, recovery)
    start_session(request, keyring.user)
    return Status(200, SessionOut(csrf_token=get_token(request)))


@router.post(
    "/passphrase",
    auth=KeyHolderSession(),
    response={200: SessionOut, **refusals(400, 401, 403, 404, 422, 429)},
)
@sensitive_variables("body")
def change_passphrase(request: HttpRequest, body: PassphraseIn) -> Status[SessionOut]:
    """Rewrap VK under a new passphrase; the records are not touched."""
    user = auth_user(request)
    require_passphrase_again(request, user, body.current_auth_key)
    actions.do_set_passphrase(user, key_material(body.auth_key, body.params, body.wrapped_vk))
    update_session_auth_hash(request, user)
    return Status(200, SessionOut(csrf_token=get_token(request)))


@router.post(
    "/delete",
    auth=KeyHolderSession(),
    response={204: None, **refusals(400, 401, 403, 404, 422, 429)},
)
@sensitive_variables("body")
def delete_account(request: HttpRequest, body: DeleteAccountIn) -> Status[None]:
    """Delete the account and everything in it, at once, after the passphrase again."""
    user = auth_user(request)
    if not body.confirm:
        raise Refusal(400, "not_confirmed", "Please confirm that you want to delete everything.")
    require_passphrase_again(request, user, body.auth_key)
    actions.do_delete_account(user)
    logout(request)
    return Status(204, None)


@router.get("/alive", auth=IdleClockSession(), response={200: AliveOut, **refusals(401, 404)})
def alive(request: HttpRequest) -> AliveOut:
    """Keeps the session open while a survivor or a counselor is active on a page (typing,
    reading), and when she answers the idle warning with "Stay signed in"."""
    return AliveOut(
        idle_seconds=settings.VAULT_IDLE_SECONDS, seconds_left=session_seconds_left(request)
    )
