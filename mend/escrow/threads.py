"""What the survivor's and the counselor's message pages share: the form that sends a
message (through ``actions.do_send_message``) and the thread as the page shows it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from mend.accounts.models import User
from mend.escrow.actions import do_send_message
from mend.escrow.errors import RateLimited
from mend.escrow.forms import MessageForm
from mend.escrow.messages import open_message
from mend.escrow.models import Membership


def message_form(
    request: HttpRequest, membership: Membership, sender: User, *, from_counselor: bool
) -> tuple[MessageForm, int, bool]:
    """The page's form, after sending its message if one was posted: the form, the status
    to show it with (400 invalid, 429 too many messages) and whether the message went."""
    form = MessageForm(request.POST or None)
    if request.method != "POST":
        return form, 200, False
    if not form.is_valid():
        return form, 400, False
    try:
        do_send_message(
            membership, form.cleaned_data["text"], sender=sender, from_counselor=from_counselor
        )
    except RateLimited:
        form.add_error(
            "text", _("You have sent many messages in a short time. Please wait a while.")
        )
        return form, 429, False
    messages.success(request, _("Your message is sent."))
    return form, 200, True


def shown(membership: Membership, *, counselor_side: bool) -> list[dict[str, Any]]:
    """The thread's messages, opened, each marked as the reader's own or not."""
    return [
        {
            "mine": m.from_counselor == counselor_side,
            "text": open_message(m.id, bytes(m.ciphertext)),
            "at": m.created_at,
        }
        for m in membership.messages.all()
    ]
