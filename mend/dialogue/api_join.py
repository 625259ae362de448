"""The responsible person's sign-up: the survivor sign-up of mend.accounts, with an
invitation code, made into an account of role "responsible" (ARCHITECTURE 4).

The browser derives every key exactly as for a survivor (the same page code can serve
both); the server receives auth_key, recovery_auth and wrapped keys, never a passphrase.
Rate-limited by address, since each attempt is a guess at a code.
"""

# No `from __future__ import annotations` here, as in mend/accounts/api.py: ninja reads the
# endpoint's parameter types through @sensitive_variables' wrapper, whose module globals
# cannot resolve string annotations.
from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables
from ninja import Router, Status

from mend.accounts.actions import normalize_username
from mend.accounts.api import key_material, recovery_material, start_session
from mend.accounts.schemas import SessionOut
from mend.accounts.security import CsrfOnly
from mend.dialogue import actions
from mend.dialogue.api import limit
from mend.dialogue.schemas import JoinIn
from mend.lib import ratelimit
from mend.lib.refusal import Refusal, refusals
from mend.lib.wire import WireError

router = Router(tags=["dialogue"], auth=CsrfOnly())


@router.post("/join", response={201: SessionOut, **refusals(400, 403, 409, 422, 429)})
@sensitive_variables("body")
def join(request: HttpRequest, body: JoinIn) -> Status[SessionOut]:
    """Sign up with a one-time invitation code; the account takes part in that case only."""
    address = ratelimit.client_address(request)
    limit("dialogue-join", settings.RATE_LIMIT_DIALOGUE_JOIN_IP, address)
    try:
        account = actions.NewAccount(
            username=normalize_username(body.username),
            vault_id=body.vault_id,
            keys=key_material(body.auth_key, body.params, body.wrapped_vk),
            recovery=recovery_material(body.recovery_auth, body.recovery_wrapped_vk),
        )
    except WireError as error:
        raise Refusal(400, "malformed", str(error)) from None
    part = actions.do_join_with_invitation(body.code, account, timezone.now())
    start_session(request, part.user)
    return Status(201, SessionOut(csrf_token=get_token(request)))
