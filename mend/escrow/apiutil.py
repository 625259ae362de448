"""Shared pieces of the escrow routers: who may call."""

from __future__ import annotations

from typing import cast

from django.http import Http404, HttpRequest
from ninja.security import SessionAuth

from mend.accounts.models import User
from mend.escrow.access import is_counselor, is_survivor


class SurvivorSession(SessionAuth):
    """A signed-in survivor (CSRF checked on writes); anyone else gets 404, not 401."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User:
        if not is_survivor(request.user):
            raise Http404
        return cast(User, request.user)


class CounselorSession(SessionAuth):
    """A counselor signed in with her second factor; anyone else gets 404."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User:
        if not is_counselor(request.user):
            raise Http404
        return cast(User, request.user)


def user_of(request: HttpRequest) -> User:
    return cast(User, request.auth)  # type: ignore[attr-defined]
