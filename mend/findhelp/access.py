"""The one door to a directory service opened by its id (STYLE rule 5).

``get_public_service`` answers 404 for a service the public may not see (inactive or
defunct: ``mend.directory.models.PUBLIC_STATUSES``), to everyone, staff included: the
service page and ``GET /api/v1/hsds/services/{id}`` load through it, so they answer for
exactly the same services. Editors see every service in the admin, not here.
"""

from __future__ import annotations

from uuid import UUID

from django.shortcuts import get_object_or_404

from mend.directory.models import PUBLIC_STATUSES, Service


def get_public_service(service_id: UUID) -> Service:
    """The service with its organisation, if the public may see it; else Http404."""
    services = Service.objects.select_related("organization")
    return get_object_or_404(services, id=service_id, status__in=PUBLIC_STATUSES)
