"""The escrow's named refusals: each a `RefusalKind` (mend.lib.refusal) with its status and code.

Named so that actions read as what they refuse, and so that a page can catch one kind
(``threads.py`` catches RateLimited); the API answers every one with the one handler.
"""

from __future__ import annotations

from mend.lib.refusal import RefusalKind


class Invalid(RefusalKind):
    STATUS, CODE = 400, "invalid"


class NotVerified(RefusalKind):
    STATUS, CODE = 403, "not_verified"


class Conflict(RefusalKind):
    STATUS, CODE = 409, "conflict"


class KeysChanged(RefusalKind):
    """The counselor keys changed since the browser sealed the shares: fetch and seal again."""

    STATUS, CODE = 409, "keys_changed"


class NotOpen(RefusalKind):
    """There is no active counselor key yet, so nothing could ever be opened."""

    STATUS, CODE = 503, "not_open"


class RateLimited(RefusalKind):
    STATUS, CODE = 429, "rate_limited"
