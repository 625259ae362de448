"""The one way every JSON API of Mend says no: a `Refusal`, answered by one handler.

An action or a view raises ``Refusal(status, code, detail)``; the handler installed on the
API (``install``) answers ``{"code", "detail", "retry_after"}`` with that status, and a
``Retry-After`` header when the caller may try again later. ``code`` is stable: pages show
their own translated words for it; ``detail`` is for developers (English, translated when a
page shows it as is).

Every route declares what it may refuse with ``refusals(...)``, so the OpenAPI document
lists each 4xx answer and its shape::

    @router.post("/entries", response={201: EntryOut, **refusals(400, 403, 409, 429)})

``install`` also turns what Django, ninja and the byte decoders raise into refusals, in
this one place, so that no answer of the API has another shape:

- ``Http404`` → 404 ``not_found`` (also the answer for what is not yours);
- ninja's ``AuthenticationError`` (an auth class found nobody) → 401 ``signed_out``;
- ninja's ``HttpError`` (the CSRF check of a cookie auth) → its status, ``http_<status>``;
- ninja's ``ValidationError`` → 422 ``invalid`` naming the first field, unless the API
  passes its own ``validation`` translation (the HSDS API answers 400 naming the parameter);
- ``WireError`` and ``CryptoError`` (bytes that are not what they claim) → 400 ``malformed``.

A refusal may carry more than the three fields (the HSDS API's ``parameter``): a subclass
overrides ``body()`` with a schema that extends ``ErrorOut``.

This module imports no app of Mend (checked by mend/tests/test_import_layers.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from mend.crypto.errors import CryptoError
from mend.lib.wire import WireError

#: The statuses a route may declare, and what each means in Mend.
MEANINGS = {
    400: "The request was malformed or a value was refused (see code)",
    401: "Not signed in, or the session ended: sign in again",
    403: "Signed in, but this step is not open to you yet (see code)",
    404: "Not found (also the answer when something is not yours)",
    409: "Conflicts with what is stored (see code)",
    413: "Too large",
    422: "A field did not validate",
    429: "Too many attempts: try again after Retry-After seconds",
    503: "Not available yet (see code)",
}

#: What a signed-out (or timed-out) caller of a protected route is told; the page runtime
#: turns any 401 outside /accounts/ into "sign in again".
SIGNED_OUT = "signed_out"


class ErrorOut(Schema):
    """A refusal: `code` is stable (the page translates it); `detail` explains it."""

    code: str
    detail: str
    retry_after: int | None = None


class Refusal(Exception):
    """A refusal with an HTTP status, a stable code and a detail, raised by actions and views."""

    def __init__(
        self, status: int, code: str, detail: str, *, retry_after: int | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        #: Seconds until a refused caller may try again (429 and some 503s).
        self.retry_after = retry_after

    def body(self) -> ErrorOut:
        return ErrorOut(code=self.code, detail=self.detail, retry_after=self.retry_after)


class RefusalKind(Refusal):
    """A named kind of refusal whose class fixes status and code (``class Conflict(
    RefusalKind): STATUS, CODE = 409, "conflict"``), so that actions read as what they
    refuse and callers can catch one kind. Still a Refusal: the same handler answers it."""

    STATUS: ClassVar[int]
    CODE: ClassVar[str]

    def __init__(self, detail: str, *, retry_after: int | None = None) -> None:
        super().__init__(self.STATUS, self.CODE, detail, retry_after=retry_after)


def signed_out() -> Refusal:
    return Refusal(401, SIGNED_OUT, "You are signed out. Please sign in again.")


def not_found() -> Refusal:
    return Refusal(404, "not_found", "Not found.")


def answer(refusal: Refusal) -> JsonResponse:
    response = JsonResponse(refusal.body().model_dump(), status=refusal.status)
    if refusal.retry_after:
        response.headers["Retry-After"] = str(refusal.retry_after)
    return response


def refusals(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The `response=` entries declaring which refusals a route may give."""
    unknown = [status for status in statuses if status not in MEANINGS]
    if unknown:
        raise ValueError(f"no meaning declared for status {unknown}")
    return dict.fromkeys(statuses, ErrorOut)


def invalid_fields(request: HttpRequest, error: ValidationError) -> Refusal:
    """ninja's validation errors as one refusal naming the first field that failed."""
    first = error.errors[0] if error.errors else {}
    where = ".".join(str(part) for part in first.get("loc", ()))
    message = str(first.get("msg", "is not valid"))
    return Refusal(422, "invalid", f"{where}: {message}" if where else message)


def as_refusal(exc: Exception) -> Refusal:
    """Everything else the API may raise before or around a view, as a refusal."""
    if isinstance(exc, Refusal):
        return exc
    if isinstance(exc, Http404):
        return not_found()
    if isinstance(exc, AuthenticationError):
        return signed_out()
    if isinstance(exc, HttpError):
        return Refusal(exc.status_code, f"http_{exc.status_code}", str(exc))
    assert isinstance(exc, (WireError, CryptoError))
    return Refusal(400, "malformed", str(exc))


Validation = Callable[[HttpRequest, ValidationError], Refusal]


def install(api: NinjaAPI, validation: Validation = invalid_fields) -> None:
    """Answer every refusal raised under `api` (and what ``as_refusal`` turns into one)
    with its status and the one error shape."""

    def handle(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
        assert isinstance(exc, Exception)  # ninja passes instances; its type says either
        if isinstance(exc, ValidationError):
            return answer(validation(request, exc))
        return answer(as_refusal(exc))

    for kind in (Refusal, Http404, HttpError, ValidationError, WireError, CryptoError):
        api.add_exception_handler(kind, handle)
