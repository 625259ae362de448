"""The one door from training to certificates (mend.certificates, built beside this app).

The only module of training that imports mend.certificates. Until that app is installed,
``issue`` records nothing and returns None, and ``certificates_of`` knows no certificate:
completions are still recorded by training (models.Completion) and shown to the learner
and her organisation, and a certificate can be issued for them once the app arrives.

The interface called (mend.certificates):
- ``actions.issue(*, holder, name, path_id, path_title, modules, now) -> Certificate``
  where ``modules`` is [(module id, version)], in the path's order;
- ``access.certificates_of(users, now)``: per user id, the latest certificate per path id,
  each with ``expires_at`` and ``revoked``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mend.accounts.models import User


@dataclass(frozen=True)
class CertificateState:
    """What training shows of a certificate: when it expires and whether it was revoked."""

    id: str
    expires_at: datetime | None
    revoked: bool


def installed() -> bool:
    try:
        from mend.certificates import actions  # type: ignore[import-not-found,unused-ignore] # noqa: F401
    except ImportError:
        return False
    return True


def issue(
    *,
    holder: User,
    name: str,
    path_id: str,
    path_title: str,
    modules: list[tuple[str, int]],
    now: datetime,
) -> str | None:
    """Issue a certificate for a completed path; its id, or None without the app."""
    try:
        from mend.certificates import actions  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    certificate = actions.issue(
        holder=holder,
        name=name,
        path_id=path_id,
        path_title=path_title,
        modules=modules,
        now=now,
    )
    return str(getattr(certificate, "id", getattr(certificate, "pk", "")))


def certificates_of(users: Iterable[User], now: datetime) -> dict[Any, dict[str, CertificateState]]:
    """Per user id, per path id: the latest certificate's state (empty without the app)."""
    try:
        from mend.certificates import access  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return {}
    found: Mapping[Any, Mapping[str, Any]] = access.certificates_of(list(users), now)
    return {
        user_id: {path_id: _state(cert) for path_id, cert in per_path.items()}
        for user_id, per_path in found.items()
    }


def _state(certificate: Any) -> CertificateState:
    return CertificateState(
        id=str(getattr(certificate, "id", getattr(certificate, "pk", ""))),
        expires_at=getattr(certificate, "expires_at", None),
        revoked=bool(getattr(certificate, "revoked", False)),
    )
