"""Reading certificates: the one door to a certificate page, and who holds a current one.

Guarantees: `get_certificate_for_user` gives a certificate to its holder only; everyone
else, staff included, gets 404, whether or not the id exists. A certificate is *current*
when it is the holder's latest for its path, is not revoked, has not expired, and (when the
path's module versions are given) records every module of the path at its current version
or later: a material change to a module means re-certifying.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from mend.accounts.models import User
from mend.certificates.models import Certificate
from mend.certificates.paths import PATH_FOR_ROLE, module_versions


@dataclass(frozen=True)
class CertificateStatus:
    certificate_id: UUID
    path_id: str
    path_title: str
    issued_at: datetime
    expires_at: datetime
    modules: dict[str, int]
    revoked: bool
    #: Not expired and not revoked (module versions are not known here: see holds_current).
    current: bool
    #: Revoked, and an operator has allowed its holder to earn the path's certificate again.
    retake_allowed: bool = False


def get_certificate_for_user(user: User | AnonymousUser, certificate_id: UUID) -> Certificate:
    if not user.is_authenticated:
        raise Http404
    found = Certificate.objects.filter(id=certificate_id, holder=user).first()
    if found is None:
        raise Http404
    return found


def current_certificates(
    path_id: str, now: datetime, module_versions: Mapping[str, int] | None = None
) -> QuerySet[Certificate]:
    """Every current certificate of `path_id` (one SQL query when evaluated)."""
    newer = Certificate.objects.filter(
        holder=OuterRef("holder"), path_id=path_id, issued_at__gt=OuterRef("issued_at")
    )
    found = Certificate.objects.filter(
        path_id=path_id, revoked_at=None, expires_at__gt=now
    ).exclude(Exists(newer))
    if module_versions:
        up_to_date = Q()
        for module_id, version in module_versions.items():
            up_to_date |= Q(modules__module_id=module_id, modules__version__gte=version)
        found = found.annotate(
            up_to_date=Count("modules", filter=up_to_date, distinct=True)
        ).filter(up_to_date=len(module_versions))
    return found


def current_holder_ids(
    path_id: str, now: datetime, module_versions: Mapping[str, int] | None = None
) -> QuerySet[Certificate, UUID]:
    """The ids of everyone who holds a current certificate of `path_id`: a subquery to
    filter users with (`User.objects.filter(id__in=...)`), not a list."""
    return current_certificates(path_id, now, module_versions).values_list("holder_id", flat=True)


def holds_current(
    user: User, path_id: str, now: datetime, module_versions: Mapping[str, int] | None = None
) -> bool:
    return current_certificates(path_id, now, module_versions).filter(holder=user).exists()


# A staff path's rule (who may take cases, and who may keep reading them): current at
# `now`, and recording every module of the path at the version training registers now.
def staff_holder_ids(path_id: str, now: datetime) -> QuerySet[Certificate, UUID]:
    return current_holder_ids(path_id, now, module_versions(path_id))


def holds_current_staff(user: User, path_id: str, now: datetime) -> bool:
    return holds_current(user, path_id, now, module_versions(path_id))


#: How long before her staff certificate expires her workspace asks her to renew it.
RENEW_NOTICE = timedelta(days=60)


@dataclass(frozen=True)
class StaffStanding:
    """Where a counselor or facilitator stands with her role's path, as her workspace tells
    her: how to begin (never certified), how to renew (lapsed, or expiring soon), or until
    when she is certified."""

    current_until: datetime | None  # when her current certificate expires; None: none is
    ever_held: bool
    renew_soon: bool  # current, and expiring within RENEW_NOTICE
    revoked: bool  # none current, and her latest was revoked: no renewal by checks
    retake_allowed: bool = False  # revoked, and an operator allowed her to earn it again

    @property
    def current(self) -> bool:
        return self.current_until is not None


def renewal_open(expires_at: datetime, now: datetime) -> bool:
    """Whether a certificate expiring at ``expires_at`` may be renewed at ``now``: from
    RENEW_NOTICE before it expires (or after). The one rule for Training and the workspaces."""
    return expires_at - now <= RENEW_NOTICE


def renewable(certificate_id: str, now: datetime) -> bool:
    """Its renewal is open, and it was not revoked (an unknown id: no)."""
    try:
        found = Certificate.objects.filter(id=certificate_id).first()
    except (ValueError, ValidationError):  # not a certificate id
        return False
    return found is not None and found.revoked_at is None and renewal_open(found.expires_at, now)


def staff_standing(user: User, path_id: str, now: datetime) -> StaffStanding:
    """Her standing with a staff path, under the staff rule (``holds_current_staff``)."""
    current = current_certificates(path_id, now, module_versions(path_id)).filter(holder=user)
    until = current.order_by("-expires_at").values_list("expires_at", flat=True).first()
    bar = revocation_bar(user, path_id)
    revoked = until is None and bar.barred
    renew_soon = until is not None and renewal_open(until, now)
    return StaffStanding(until, bar.ever_held, renew_soon, revoked, revoked and bar.lifted)


@dataclass(frozen=True)
class RevocationBar:
    """Whether her latest certificate of a path was revoked, which bars her from the path's
    certificate (passing the checks again earns none) until an operator allows a retake
    (``do_allow_retake``); from then, modules passed after ``lifted_at`` earn it."""

    ever_held: bool
    barred: bool
    lifted_at: datetime | None

    @property
    def lifted(self) -> bool:
        return self.lifted_at is not None


def revocation_bar(user: User, path_id: str) -> RevocationBar:
    """The bar of her latest certificate of ``path_id`` (one query)."""
    held = Certificate.objects.filter(holder=user, path_id=path_id).order_by("-issued_at")
    latest = held.values_list("revoked_at", "retake_allowed_at").first()
    if latest is None or latest[0] is None:
        return RevocationBar(ever_held=latest is not None, barred=False, lifted_at=None)
    return RevocationBar(ever_held=True, barred=True, lifted_at=latest[1])


def certificates_of(users: Iterable[User], now: datetime) -> dict[UUID, list[CertificateStatus]]:
    """Each user's latest certificate per path (two queries, however many users)."""
    found = (
        Certificate.objects.filter(holder__in=list(users))
        .prefetch_related("modules")
        .order_by("holder_id", "path_id", "-issued_at")
    )
    statuses: dict[UUID, list[CertificateStatus]] = {}
    seen: set[tuple[UUID, str]] = set()
    for certificate in found:
        if (certificate.holder_id, certificate.path_id) in seen:
            continue
        seen.add((certificate.holder_id, certificate.path_id))
        statuses.setdefault(certificate.holder_id, []).append(status_of(certificate, now))
    return statuses


def status_of(certificate: Certificate, now: datetime) -> CertificateStatus:
    revoked = certificate.revoked_at is not None
    return CertificateStatus(
        certificate_id=certificate.id,
        path_id=certificate.path_id,
        path_title=certificate.path_title,
        issued_at=certificate.issued_at,
        expires_at=certificate.expires_at,
        modules={m.module_id: m.version for m in certificate.modules.all()},
        revoked=revoked,
        current=not revoked and now < certificate.expires_at,
        retake_allowed=revoked and certificate.retake_allowed_at is not None,
    )


def uncertified_staff(now: datetime) -> QuerySet[User]:
    """Active counselors and facilitators who may not be assigned cases yet: no current
    certificate of their role's path (one query)."""
    missing = Q()
    for role, path_id in PATH_FOR_ROLE.items():
        certified = staff_holder_ids(path_id, now)
        missing |= Q(role=role) & ~Q(id__in=certified)
    return User.objects.filter(missing, is_active=True).order_by("username")


def held_by(user: User | AnonymousUser) -> QuerySet[Certificate]:
    """Her own certificates, newest first (nothing for anyone signed out)."""
    return Certificate.objects.filter(holder_id=user.pk).order_by("-issued_at")


def revoked_ids() -> QuerySet[Certificate, UUID]:
    """The id of every revoked certificate: the public revocation list names only these."""
    return Certificate.objects.exclude(revoked_at=None).values_list("id", flat=True)
