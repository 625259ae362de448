"""manage.py staff_certification

Lists Mend's active counselors and facilitators who do not hold a current certificate of
the staff path, and why: never certified, expired, revoked, or a module changed since.
Until they hold one, no case is assigned to them (docs/training.md, Certificates).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from mend.accounts.models import User
from mend.accounts.roles import CERTIFIED_ROLES
from mend.certificates.access import CertificateStatus, certificates_of, uncertified_staff
from mend.certificates.paths import PATH_FOR_ROLE


class Command(BaseCommand):
    help = "List the counselors and facilitators who are not yet certified to take cases."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        missing = list(uncertified_staff(now))
        total = User.objects.filter(role__in=CERTIFIED_ROLES, is_active=True).count()
        if not total:  # "All 0 ... hold a current certificate" read as all is well
            self.stdout.write(
                "There is no active counselor or facilitator yet: create them with create_staff "
                "(README, Staff accounts)."
            )
            return
        if not missing:
            self.stdout.write(
                f"All {total} counselors and facilitators hold a current certificate."
            )
            return
        held = certificates_of(missing, now)
        self.stdout.write(
            f"{len(missing)} of {total} counselors and facilitators may not be assigned cases "
            "until they hold a current certificate of their path:"
        )
        for user in missing:
            path_id = PATH_FOR_ROLE[user.role]
            latest = next((s for s in held.get(user.id, []) if s.path_id == path_id), None)
            self.stdout.write(f"  {user.username} ({user.role}): {why(latest)}")
        self.stdout.write(
            "Each takes the path in Training, signed in at the staff sign-in (/counselor/login/), "
            "and passes every module's check (again, to renew); a revoked certificate is not "
            "renewed that way until allow_retake lifts its bar (docs/training.md, Staff and "
            "Renewing)."
        )


def why(latest: CertificateStatus | None) -> str:
    if latest is None:
        return "never certified"
    if latest.retake_allowed:
        return f"certificate {latest.certificate_id} revoked; allowed to earn it again"
    if latest.revoked:
        return f"certificate {latest.certificate_id} revoked (allow_retake lets them earn it again)"
    if not latest.current:
        return f"certificate expired on {latest.expires_at:%Y-%m-%d}"
    return "a module of the path changed since the certificate: re-certify"
