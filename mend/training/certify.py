"""The one door from training to certificates (mend.certificates).

The only module of training that imports mend.certificates (which never imports training:
mend/tests/test_import_layers.py). When a learner completes a path, training issues its
certificate here; the dashboard reads each learner's latest certificate per path here, and
the training pages ask here which path a counselor's or facilitator's role needs.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from mend.accounts.models import User
from mend.certificates import access, actions, paths
from mend.training import curriculum


@dataclass(frozen=True)
class CertificateState:
    """What training shows of a certificate: when it expires, whether it was revoked, and
    if so whether its holder may earn the path's certificate again."""

    id: str
    expires_at: datetime | None
    revoked: bool
    retake_allowed: bool = False


def issue(
    *,
    holder: User,
    name: str,
    path_id: str,
    path_title: str,
    modules: list[tuple[str, int]],
    now: datetime,
) -> str:
    """Issue a certificate for a completed path, in the caller's transaction; its id."""
    certificate = actions.issue(
        holder=holder,
        name=name,
        path_id=path_id,
        path_title=path_title,
        modules=modules,
        now=now,
    )
    return str(certificate.id)


def certificates_of(
    users: Iterable[User], now: datetime
) -> dict[UUID, dict[str, CertificateState]]:
    """Per user id, per path id: the state of the latest certificate."""
    return {
        user_id: {
            status.path_id: CertificateState(
                id=str(status.certificate_id),
                expires_at=status.expires_at,
                revoked=status.revoked,
                retake_allowed=status.retake_allowed,
            )
            for status in statuses
        }
        for user_id, statuses in access.certificates_of(list(users), now).items()
    }


def renewal_open(expires_at: datetime, now: datetime) -> bool:
    """Whether a completed path's certificate may be renewed now (its path page says so)."""
    return access.renewal_open(expires_at, now)


def renewable(certificate_id: str, now: datetime) -> bool:
    """Whether the certificate of a completion may be renewed by passing the path again:
    expired, or expiring within the renewal notice; never a revoked one."""
    return access.renewable(certificate_id, now)


RevocationBar = access.RevocationBar


def revocation_bar(user: User, path_id: str) -> RevocationBar:
    """Whether her latest certificate of the path was revoked, and since when an operator
    has allowed her to earn it again (if she may)."""
    return access.revocation_bar(user, path_id)


def path_for_role(role: str) -> str | None:
    """The path a staff role trains for (counselors, facilitators); None for other roles."""
    return paths.PATH_FOR_ROLE.get(role)


def register_staff_paths() -> None:
    """Tell certificates which module versions each staff path has now, so that a material
    change (a module's version raised) makes a counselor's or facilitator's certificate
    stop counting for assignment (called once, from TrainingConfig.ready)."""
    for path_id in paths.PATH_FOR_ROLE.values():
        paths.register_module_versions(path_id, functools.partial(_versions, path_id))


def _versions(path_id: str) -> dict[str, int]:
    content = curriculum.current()
    path = content.paths.get(path_id)
    if path is None:
        return {}
    return {m: content.modules[m].version for m in path.modules if m in content.modules}
