"""Gathering, for a chunk of services, every related HSDS row their entries need.

A few queries per chunk (not per service), grouped by the row's owner: the service, the
service at a location, or the location.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import Q

from mend.directory import taxonomy
from mend.directory.models import (
    Address,
    Attribute,
    CostOption,
    Language,
    Schedule,
    ServiceArea,
    ServiceAtLocation,
)

LINK_ENTITIES = ("service", "location", "service_at_location")
TERMS_BY_ID = {term.id: term for term in taxonomy.ALL_TERMS}
Link = tuple[UUID, UUID | None]  # an attached term's id and its taxonomy's id


@dataclass
class Related:
    """Everything about a chunk of services that their entries need, grouped by owner."""

    sals: dict[UUID, list[ServiceAtLocation]] = field(default_factory=lambda: defaultdict(list))
    terms: dict[UUID, list[taxonomy.Term]] = field(default_factory=lambda: defaultdict(list))
    links: dict[UUID, list[Link]] = field(default_factory=lambda: defaultdict(list))
    languages: dict[UUID, list[Language]] = field(default_factory=lambda: defaultdict(list))
    schedules: dict[UUID, list[Schedule]] = field(default_factory=lambda: defaultdict(list))
    costs: dict[UUID, list[CostOption]] = field(default_factory=lambda: defaultdict(list))
    areas: dict[UUID, list[ServiceArea]] = field(default_factory=lambda: defaultdict(list))
    addresses: dict[UUID, list[Address]] = field(default_factory=lambda: defaultdict(list))


def term_of(attribute: Attribute) -> taxonomy.Term | None:
    term = attribute.taxonomy_term
    if term is None:
        return None
    known = TERMS_BY_ID.get(term.id) or taxonomy.BY_CODE.get((term.taxonomy, term.code))
    return known or (taxonomy.Term(term.taxonomy, term.code, term.name) if term.code else None)


def link_of(attribute: Attribute, term_id: UUID) -> Link:
    """Any term, of any taxonomy, even one whose row is missing (a soft reference):
    ``taxonomy_term_id`` must find what the attribute names."""
    term = attribute.taxonomy_term
    return term_id, term.taxonomy_detail_id if term is not None else None


def gather(service_ids: Sequence[UUID]) -> Related:
    related = Related()
    sals = ServiceAtLocation.objects.filter(service_id__in=service_ids).select_related("location")
    for sal in sals.order_by("id"):
        related.sals[sal.service_id].append(sal)
    sal_ids = [s.id for group in related.sals.values() for s in group]
    location_ids = list({s.location_id for group in related.sals.values() for s in group})
    owners = [*service_ids, *sal_ids, *location_ids]
    # link_entity first: the HSDS table's index is (link_entity, link_id).
    attributes = Attribute.objects.filter(
        link_entity__in=LINK_ENTITIES, link_id__in=owners
    ).select_related("taxonomy_term")
    for attribute in attributes.order_by("id"):
        if attribute.link_id is None:
            continue
        term = term_of(attribute)
        if term is not None:
            related.terms[attribute.link_id].append(term)
        if attribute.taxonomy_term_id is not None:
            related.links[attribute.link_id].append(link_of(attribute, attribute.taxonomy_term_id))
    for language in Language.objects.filter(
        Q(service_id__in=service_ids) | Q(location_id__in=location_ids)
    ).order_by("id"):
        related.languages[language.service_id or language.location_id].append(language)  # type: ignore[index]
    _gather_schedules(related, service_ids, sal_ids, location_ids)
    for cost in CostOption.objects.filter(service_id__in=service_ids):
        related.costs[cost.service_id].append(cost)
    for area in ServiceArea.objects.filter(
        Q(service_id__in=service_ids) | Q(service_at_location_id__in=sal_ids)
    ).order_by("id"):
        related.areas[area.service_at_location_id or area.service_id].append(area)  # type: ignore[index]
    for address in Address.objects.filter(location_id__in=location_ids).order_by("id"):
        related.addresses[address.location_id].append(address)
    return related


def _gather_schedules(
    related: Related, service_ids: Sequence[UUID], sal_ids: list[UUID], location_ids: list[UUID]
) -> None:
    rows = Schedule.objects.filter(
        Q(service_id__in=service_ids)
        | Q(service_at_location_id__in=sal_ids)
        | Q(location_id__in=location_ids)
    ).order_by("id")
    for row in rows:
        # Grouped by the most specific owner the row names.
        owner = row.service_at_location_id or row.service_id or row.location_id
        if owner is not None:
            related.schedules[owner].append(row)
