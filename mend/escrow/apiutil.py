"""Shared pieces of the escrow routers: who may call, and how refusals are answered."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, cast

from django.http import HttpRequest, JsonResponse
from ninja.errors import HttpError
from ninja.security import SessionAuth

from mend.accounts.models import User
from mend.accounts.wire import WireError
from mend.crypto.errors import CryptoError
from mend.escrow.access import is_counselor, is_survivor
from mend.escrow.errors import EscrowError


class SurvivorSession(SessionAuth):
    """A signed-in survivor (CSRF checked on writes); anyone else gets 404, not 401."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User:
        if not is_survivor(request.user):
            raise HttpError(404, "Not Found")
        return cast(User, request.user)


class CounselorSession(SessionAuth):
    """A counselor signed in with her second factor; anyone else gets 404."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User:
        if not is_counselor(request.user):
            raise HttpError(404, "Not Found")
        return cast(User, request.user)


def problem(status: int, code: str, detail: str, retry_after: int = 0) -> JsonResponse:
    response = JsonResponse({"detail": detail, "code": code}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def answers_refusals[F: Callable[..., Any]](view: F) -> F:
    """Turn an action's refusal, or malformed bytes, into a JSON problem with its status."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except EscrowError as error:
            return problem(error.status, error.code, str(error), error.retry_after)
        except (WireError, CryptoError) as error:
            return problem(400, "invalid", str(error))

    # django-ninja reads parameter types from the signature: give it the view's, resolved in
    # the view's own module (its annotations are strings under `from __future__`).
    wrapper.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
    return cast(F, wrapper)


def user_of(request: HttpRequest) -> User:
    return cast(User, request.auth)  # type: ignore[attr-defined]
