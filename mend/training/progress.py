"""Where each learner stands on each path: for her own page and her organisation's dashboard.

A path is ``completed`` when every module was passed at its current version, ``due`` for
re-certification when it was completed before but a module's version has since been
raised (a material change) or its certificate has expired or been revoked, and
``in progress`` when some of its modules are passed. Read-only: three queries for any
number of learners (attempts, completions, certificates).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from mend.training import access, certify
from mend.training.curriculum import Curriculum, LearningPath
from mend.training.models import Completion, Membership

STATUS_LABELS = {
    "completed": _("Completed"),
    "due": _("Re-certification due"),
    "in_progress": _("In progress"),
    "not_started": _("Not started"),
}
REASON_LABELS = {
    "changed": _("A module has changed since"),
    "expired": _("The certificate has expired"),
    "revoked": _("The certificate was revoked"),
    "retake": _("The certificate was revoked; it may be earned again"),
}


@dataclass
class PathStatus:
    path: LearningPath
    passed: int
    total: int
    status: str
    completed_at: datetime | None = None
    reason: str = ""
    expires_at: datetime | None = None
    renew_soon: bool = False  # completed, its certificate expiring within the renewal notice

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def reason_label(self) -> str:
        return str(REASON_LABELS[self.reason]) if self.reason else ""


@dataclass
class LearnerProgress:
    membership: Membership
    paths: list[PathStatus] = field(default_factory=list)

    def active_paths(self) -> list[PathStatus]:
        return [p for p in self.paths if p.status != "not_started"]


def progress_of(
    memberships: Sequence[Membership], content: Curriculum, now: datetime
) -> list[LearnerProgress]:
    users = [m.user_id for m in memberships]
    passed: dict[object, set[tuple[str, int]]] = {}
    for user_id, module_id, version in access.passed_modules(users):
        passed.setdefault(user_id, set()).add((module_id, version))
    completions: dict[object, list[Completion]] = {}
    for completion in access.completions_of(users):
        completions.setdefault(completion.learner_id, []).append(completion)
    certificates = certify.certificates_of([m.user for m in memberships], now)
    rows = []
    for membership in memberships:
        uid = membership.user_id
        row = LearnerProgress(membership)
        for path in content.paths.values():
            if not access.may_hold(membership, path):
                continue
            status = path_status(
                content,
                path,
                passed.get(uid, set()),
                [c for c in completions.get(uid, []) if c.path_id == path.id],
                certificates.get(uid, {}).get(path.id),
                now,
            )
            row.paths.append(status)
        rows.append(row)
    return rows


def path_status(
    content: Curriculum,
    path: LearningPath,
    passed: set[tuple[str, int]],
    completions: list[Completion],
    certificate: certify.CertificateState | None,
    now: datetime,
) -> PathStatus:
    current = [(m, content.modules[m].version) for m in path.modules if m in content.modules]
    done = sum(1 for pair in current if pair in passed)
    status = PathStatus(path, passed=done, total=len(path.modules), status="not_started")
    if done:
        status.status = "in_progress"
    if not completions:
        return status
    latest = completions[-1]
    status.completed_at = latest.completed_at
    status.expires_at = certificate.expires_at if certificate else None
    if certificate is not None and certificate.revoked:  # before a change: passing earns none
        status.status = "due"
        status.reason = "retake" if certificate.retake_allowed else "revoked"
    elif [list(pair) for pair in current] != latest.modules:
        status.status, status.reason = "due", "changed"
    elif certificate is not None and certificate.expires_at and certificate.expires_at <= now:
        status.status, status.reason = "due", "expired"
    else:
        status.status = "completed"
        expires = status.expires_at
        status.renew_soon = expires is not None and certify.renewal_open(expires, now)
    return status
