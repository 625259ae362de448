from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils import timezone

from mend.directory.hsds.profile import time_zone_problem
from mend.lib.refusal import Refusal, answer

# No camera, microphone or location unless a page of ours asks (the directory asks for
# location only when the person presses "use my location").
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(self), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()"
)


class PrivacyHeadersMiddleware:
    """Headers that keep survivors' pages out of shared caches and other sites' reach."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if request.user.is_authenticated and "Cache-Control" not in response.headers:
            # A signed-in page must not be kept in the browser's cache, where someone
            # else using the device could open it again.
            response.headers["Cache-Control"] = "no-store"
        return response


class BodyLimitMiddleware:
    """Refuses a request body larger than its view can need, before anything reads it.

    Placed before the session, CSRF and every view, so an oversized upload costs the
    server no parsing and no disk: the decision is on the Content-Length header alone.
    Limits: REQUEST_MAX_BODY_BYTES for every path, except the larger ones that
    mend.vault.actions.body_limits() gives by view name (a save with files, an import).

    A body without Content-Length (chunked transfer encoding) is refused with 411: the
    WSGI server would hand Django no length to check, and Django reads no more than
    Content-Length says in any case. Not protected here: a client that stalls mid-body
    (the proxy's timeouts are for that; README, Production).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("CONTENT_LENGTH") or ""
        if not raw:
            if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
                return refuse(411, "length_required", "Please send a Content-Length.")
            return self.get_response(request)
        length = int(raw) if raw.isdigit() else -1
        if length < 0:
            return refuse(400, "malformed", "The Content-Length is not a number.")
        if length <= settings.REQUEST_MAX_BODY_BYTES:  # every path takes this much
            return self.get_response(request)
        limit, code = body_limit(request.path_info)
        if length > limit:
            return refuse(413, code, f"The request is larger than {limit} bytes.")
        return self.get_response(request)


def body_limit(path: str) -> tuple[int, str]:
    """The largest body this path accepts, with the code the page shows when it is more
    (paths that take more than REQUEST_MAX_BODY_BYTES are named in body_limits())."""
    from mend.vault.actions import body_limits  # an app: imported when first needed

    try:
        view = resolve(path).view_name
    except Resolver404:
        view = ""
    return body_limits().get(view, (int(settings.REQUEST_MAX_BODY_BYTES), "too_large"))


def refuse(status: int, code: str, detail: str) -> JsonResponse:
    """The API's one refusal shape (mend.lib.refusal), before any view runs."""
    return answer(Refusal(status, code, detail))


class HeadAsGetMiddleware:
    """Answers HEAD as GET without the body (RFC 9110, 9.3.2): uptime monitors and link
    checkers ask with HEAD, and every page and API route is declared for GET only.

    The one place HEAD becomes GET, first in the chain, so every later check (limits,
    CSRF, access) sees a GET; the answer keeps the GET's headers, Content-Length included,
    and loses its body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "HEAD":
            return self.get_response(request)
        request.method = "GET"
        response = self.get_response(request)
        request.method = "HEAD"
        if not response.streaming:
            response.headers.setdefault("Content-Length", str(len(response.content)))
            response.content = b""
        return response


class TimeZoneMiddleware:
    """Server pages write dates and times in the person's own time zone, as her browser's
    pages do (js/time-zone.js sets the ``mend_tz`` cookie to the browser's IANA zone).
    A missing or unknown zone leaves UTC; the cookie is read, never stored or logged."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = known_zone(request.COOKIES.get("mend_tz", ""))
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        return self.get_response(request)


def known_zone(name: str) -> ZoneInfo | None:
    return ZoneInfo(name) if len(name) <= 64 and time_zone_problem(name) is None else None
