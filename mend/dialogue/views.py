"""The dialogue's public page: stage 0, information, no account, no case (the parties'
pages are in pages_<part>.py)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from mend.accounts.roles import is_survivor
from mend.dialogue import availability


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    """What the pathway is and is not, its risks and alternatives (A.10 stage 0). Public:
    reading about it must never start anything (Scotland §6: only she asks)."""
    signed_in = request.user.is_authenticated
    context = {
        "can_ask": is_survivor(request.user),
        "offered": availability.offered(timezone.now()),
        "signed_in": signed_in,
        "keep_days": settings.DIALOGUE_CLOSED_KEEP_DAYS,
    }
    return render(request, "dialogue/about.html", context)
