"""Refusals an escrow action can give; each maps to one HTTP status in the API."""

from __future__ import annotations


class EscrowError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, retry_after: int = 0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class NotVerified(EscrowError):
    status = 403
    code = "not_verified"


class Conflict(EscrowError):
    status = 409
    code = "conflict"


class KeysChanged(EscrowError):
    """The counselor keys changed since the browser sealed the shares: fetch and seal again."""

    status = 409
    code = "keys_changed"


class NotOpen(EscrowError):
    """There is no active counselor key yet, so nothing could ever be opened."""

    status = 503
    code = "not_open"


class RateLimited(EscrowError):
    status = 429
    code = "rate_limited"
