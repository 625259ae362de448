from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
