"""The dialogue's pages. Only stage 0 exists yet: public information, no account, no case."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    """What the pathway is and is not, its risks and alternatives (A.10 stage 0). Public:
    reading about it must never start anything (Scotland §6: only she asks)."""
    return render(request, "dialogue/about.html")
