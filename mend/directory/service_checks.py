"""What the editor is told about a whole service, beyond its own fields.

Two kinds of problem, shown in the service change list and after each save:
- errors: stored values that break an HSDS rule the editor's form enforces (a record
  saved before the rule, or written outside the admin). The form refuses to save them.
- warnings: a service that is valid but that survivors cannot use well: one that no
  place search shows (no location, not offered remotely), or one with no phone, email or
  website anywhere HSDS looks (service, its places, its organisation).

``with_checks`` adds what the warnings need to a query in one pass (no query per row).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from mend.directory import models as m
from mend.directory.hsds.editing import record_problems
from mend.directory.hsds.problems import ERROR, WARNING

NOT_PLACED = _(
    "This service has no location and is not marked as offered by phone or online, so "
    "searches near a place will not show it. Add a location, or tick “Offered by phone "
    "or online”."
)
NOT_REACHABLE = _(
    "Survivors will see no way to reach this service: add a phone number, an email or a "
    "website (Contacts), or a phone to one of its locations or its organisation."
)


@dataclass(frozen=True)
class ServiceProblem:
    label: str  # a few words, for the change list
    message: str  # the whole sentence, after a save
    level: str


def with_checks(services: QuerySet[m.Service]) -> QuerySet[m.Service]:
    phones = m.Phone.objects.exclude(number="").exclude(type="fax")
    places = m.ServiceAtLocation.objects.filter(service=OuterRef("pk"))
    reachable = (
        Exists(phones.filter(service=OuterRef("pk")))
        | Exists(phones.filter(service_at_location__service=OuterRef("pk")))
        | Exists(phones.filter(location__service_at_locations__service=OuterRef("pk")))
        | Exists(phones.filter(organization=OuterRef("organization")))
        | ~Q(email="")
        | ~Q(url="")
        | ~Q(organization__email="")
        | ~Q(organization__website="")
    )
    return services.annotate(
        has_place=Exists(places),
        reachable=ExpressionWrapper(reachable, output_field=BooleanField()),
    )


def service_problems(service: m.Service) -> list[ServiceProblem]:
    """``service`` must come from ``with_checks``."""
    problems = [
        ServiceProblem(f"{p.field}: {p.reason}", f"{p.field}: {p.reason}", p.level)
        for p in record_problems("service", stored_values(service))
        if p.level == ERROR
    ]
    if not service.has_place and not service.offered_remotely:  # type: ignore[attr-defined]
        problems.append(ServiceProblem(str(_("not in place searches")), str(NOT_PLACED), WARNING))
    if not service.reachable:  # type: ignore[attr-defined]
        problems.append(ServiceProblem(str(_("no way to reach it")), str(NOT_REACHABLE), WARNING))
    return problems


def problems_of(service_id: uuid.UUID) -> list[ServiceProblem]:
    return service_problems(with_checks(m.Service.objects.filter(pk=service_id)).get())


def stored_values(service: m.Service) -> dict[str, object]:
    return {
        field.attname: getattr(service, field.attname) for field in m.Service._meta.concrete_fields
    }
