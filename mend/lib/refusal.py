"""The one way every JSON API of Mend says no: a `Refusal`, answered by one handler.

An action or a view raises ``Refusal(status, code, detail)``; the handler installed on the
API (``install``) answers ``{"code", "detail", "retry_after"}`` with that status, and a
``Retry-After`` header when the caller may try again later. ``code`` is stable: pages show
their own translated words for it; ``detail`` is for developers (English, translated when a
page shows it as is).

Every route declares what it may refuse with ``refusals(...)``, so the OpenAPI document
lists each 4xx answer and its shape::

    @router.post("/entries", response={201: EntryOut, **refusals(400, 403, 409, 429)})

This module imports no app of Mend (checked by mend/tests/test_import_layers.py).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Schema

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


def answer(refusal: Refusal) -> JsonResponse:
    body = ErrorOut(code=refusal.code, detail=refusal.detail, retry_after=refusal.retry_after)
    response = JsonResponse(body.model_dump(), status=refusal.status)
    if refusal.retry_after:
        response.headers["Retry-After"] = str(refusal.retry_after)
    return response


def refusals(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The `response=` entries declaring which refusals a route may give."""
    unknown = [status for status in statuses if status not in MEANINGS]
    if unknown:
        raise ValueError(f"no meaning declared for status {unknown}")
    return dict.fromkeys(statuses, ErrorOut)


def install(api: NinjaAPI) -> None:
    """Answer every Refusal raised under `api` with its status and the one error shape."""

    def handle(request: HttpRequest, exc: Refusal | type[Refusal]) -> HttpResponse:
        assert isinstance(exc, Refusal)
        return answer(exc)

    api.add_exception_handler(Refusal, handle)
