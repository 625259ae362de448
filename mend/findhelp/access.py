"""The one door to directory records opened by their id (STYLE rule 5).

One rule, the service page's: the public sees a service whose status is in
``mend.directory.models.PUBLIC_STATUSES`` (not inactive, not defunct), and 404 for any
other, to everyone, staff included. Every record opened by id follows it:

- ``get_public_service``: the service page and ``GET /api/v1/hsds/services/{id}``;
- ``get_public_service_at_location``: ``/service_at_locations/{id}``, a place of a public
  service only;
- ``get_public_organization`` and ``public_organizations``: ``/organizations/{id}`` and
  ``/organizations``, every organization except one whose services have all closed
  (inactive or defunct: the pages would show none of them); one that lists no service
  yet stays, with its own terms. Its nested services are the public ones
  (``mend.search.hsds``).

Editors see every record in the admin, not here.
"""

from __future__ import annotations

from uuid import UUID

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from mend.directory.models import PUBLIC_STATUSES, Organization, Service, ServiceAtLocation


def get_public_service(service_id: UUID) -> Service:
    """The service with its organisation, if the public may see it; else Http404."""
    services = Service.objects.select_related("organization")
    return get_object_or_404(services, id=service_id, status__in=PUBLIC_STATUSES)


def get_public_service_at_location(sal_id: UUID) -> ServiceAtLocation:
    """A place of a service the public may see, with its location and service; else Http404."""
    places = ServiceAtLocation.objects.select_related("location", "service")
    return get_object_or_404(places, id=sal_id, service__status__in=PUBLIC_STATUSES)


def public_organizations() -> QuerySet[Organization]:
    """Organizations with a service the public may see, or with no service at all."""
    public = Service.objects.filter(status__in=PUBLIC_STATUSES).values("organization_id")
    providers = Service.objects.values("organization_id")
    return Organization.objects.filter(Q(id__in=public) | ~Q(id__in=providers))


def get_public_organization(organization_id: UUID) -> Organization:
    return get_object_or_404(public_organizations(), id=organization_id)
