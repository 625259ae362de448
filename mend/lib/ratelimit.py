"""A small fixed-window rate limiter kept in the database, so it holds across processes.

Usage::

    LOGIN = Limit("login", max_hits=10, window_seconds=900)
    verdict = hit(LOGIN, username)
    if not verdict.allowed:
        ...  # answer 429 with Retry-After: verdict.retry_after

Every call counts (successful or not), and the count is taken in the same statement that
increments it, so parallel requests cannot slip past the limit together. Counters are keyed
by an HMAC of ``scope:value`` under SECRET_KEY: the table holds no usernames or addresses.

Guarantees: at most ``max_hits`` calls per key are allowed in each window of
``window_seconds`` (windows are aligned to the epoch). Not protected: a burst of up to
``2 * max_hits`` across a window boundary (a fixed window's known edge), and denial of
service against a key (someone can use up a survivor's login attempts by typing her
username; she can try again when the window ends).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import ngettext

# How often a hit also sweeps expired counters of every key (they are harmless, only dead).
SWEEP_PROBABILITY = 0.02


@dataclass(frozen=True)
class Limit:
    scope: str
    max_hits: int
    window_seconds: int

    @classmethod
    def from_setting(cls, scope: str, setting: tuple[int, int]) -> Limit:
        return cls(scope, max_hits=setting[0], window_seconds=setting[1])


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    hits: int
    #: Seconds until the current window ends (when a refused caller may try again).
    retry_after: int


def now() -> float:
    """The clock the limiter reads (tests replace it)."""
    return time.time()


def window_model() -> type[models.Model]:
    """The counters' table: the model ``settings.RATE_LIMIT_WINDOW_MODEL`` names (fields
    ``key``, ``window``, ``hits``, ``expires_at``; unique on key and window). Named by
    the settings, as ``AUTH_USER_MODEL`` is, because lib imports no app (ADR 0010)."""
    return apps.get_model(settings.RATE_LIMIT_WINDOW_MODEL)


def counter_key(limit: Limit, value: str) -> str:
    message = f"{limit.scope}:{value}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def hit(limit: Limit, value: str) -> Verdict:
    """Count one attempt under ``value`` and say whether it is within the limit."""
    windows = window_model()._default_manager
    moment = now()
    window = int(moment // limit.window_seconds)
    window_end = (window + 1) * limit.window_seconds
    key = counter_key(limit, value)
    rows = windows.filter(key=key, window=window)
    with transaction.atomic():
        if not rows.update(hits=F("hits") + 1):
            try:
                with transaction.atomic():
                    windows.create(
                        key=key,
                        window=window,
                        hits=1,
                        expires_at=datetime.fromtimestamp(window_end, UTC),
                    )
            except IntegrityError:  # another process created it first
                rows.update(hits=F("hits") + 1)
        hits = rows.values_list("hits", flat=True).get()
    if random.random() < SWEEP_PROBABILITY:  # noqa: S311 (not a secret)
        sweep_expired(moment)
    retry_after = max(1, int(window_end - moment))
    return Verdict(allowed=hits <= limit.max_hits, hits=hits, retry_after=retry_after)


def seconds_to_wait(*checks: tuple[Limit, str]) -> int:
    """Count one attempt under each ``(limit, value)`` in turn, stopping at the first one
    exceeded: the seconds to wait then, or 0 when every limit allows it. (A sign-in counts
    per username and per address: one loop for every form and API that does.)"""
    for limit, value in checks:
        verdict = hit(limit, value)
        if not verdict.allowed:
            return verdict.retry_after
    return 0


def too_many_attempts(wait_seconds: int) -> str:
    """What a refused person reads, in her language: the whole minutes to wait (at least 1)."""
    minutes = max(1, round(wait_seconds / 60))
    return ngettext(
        "Too many attempts. Please wait %(minutes)d minute and try again.",
        "Too many attempts. Please wait %(minutes)d minutes and try again.",
        minutes,
    ) % {"minutes": minutes}


def sweep_expired(moment: float | None = None) -> int:
    """Delete counters whose window has ended; returns how many."""
    cutoff = datetime.fromtimestamp(now() if moment is None else moment, UTC)
    deleted, _ = window_model()._default_manager.filter(expires_at__lte=cutoff).delete()
    return deleted


def forget(scopes: Iterable[str], value: str) -> int:
    """Delete the counters of ``value`` under these scopes, in every window (an account
    being deleted: nothing keyed by her id outlives her). Returns how many rows went."""
    # counter_key reads only the limit's scope: the key is the same whatever the limit.
    keys = [counter_key(Limit(scope, max_hits=0, window_seconds=1), value) for scope in scopes]
    deleted, _ = window_model()._default_manager.filter(key__in=keys).delete()
    return deleted


def client_address(request: HttpRequest) -> str:
    """The visitor's address as every limit by address counts it.

    Behind TRUSTED_PROXY_COUNT proxies (each appending the address it received the
    request from to X-Forwarded-For), that is the entry the outermost proxy wrote: the
    last but TRUSTED_PROXY_COUNT - 1. Entries further left are whatever the visitor sent
    and are never read. Without proxies, or when the header is missing, short or not an
    address, it is the connection's address (REMOTE_ADDR).

    An IPv6 address is counted as its /64 network (see `address_group`): one subscriber
    commonly holds a whole /64, so counting single addresses would give her 2**64 tries.
    """
    direct = address_group(str(request.META.get("REMOTE_ADDR", "")))
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return direct
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(chain) < count:
        return direct
    try:
        ipaddress.ip_address(chain[-count])
    except ValueError:
        return direct
    return address_group(chain[-count])


def address_group(address: str) -> str:
    """What a limit by address counts: an IPv4 address itself (an IPv4-mapped IPv6 address
    is that IPv4 address), any other IPv6 address its /64 network; anything else as given."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)
