"""The search answered by the database: every filter as SQL over the index tables.

Any search can be answered here; ``mend.search.memory`` answers the commonest ones (near
a place) from a per-process copy instead, with the same result.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import OrderBy

from mend.search import fulltext, gazetteer, tiers
from mend.search.codes import Codes
from mend.search.models import EntryTerm, OpenInterval, SearchEntry
from mend.search.params import Resolved
from mend.search.results import SearchResult, empty_result


def with_bits(
    qs: QuerySet[SearchEntry], column: str, mask: int, every: bool
) -> QuerySet[SearchEntry]:
    """Rows whose ``column`` has any (or, with ``every``, all) of the ``mask`` bits."""
    if not mask:
        return qs
    alias = f"{column}_{'all' if every else 'any'}"
    qs = qs.alias(**{alias: F(column).bitand(mask)})
    return qs.filter(**{alias: mask} if every else {f"{alias}__gt": 0})


def with_codes(qs: QuerySet[SearchEntry], c: Codes) -> QuerySet[SearchEntry]:
    qs = with_bits(qs, "type_bits", c.any_types, every=False)
    qs = with_bits(qs, "type_bits", c.all_types, every=True)
    qs = with_bits(qs, "eligibility_bits", c.eligibility, every=True)
    qs = with_bits(qs, "accessibility_bits", c.accessibility, every=True)
    for code in c.languages:
        qs = qs.filter(languages__contains=f" {code} ")
    return qs


def filtered(r: Resolved) -> QuerySet[SearchEntry]:
    qs = SearchEntry.objects.all()
    p = r.params
    if r.place is not None:
        qs = _near(qs, r)
    elif not p.include_remote:
        qs = qs.filter(remote=False)
    qs = with_codes(qs, r.codes)
    if p.free:
        qs = qs.filter(free=True)
    if p.organization_id is not None:
        qs = qs.filter(organization_id=p.organization_id)
    if p.modified_after is not None:
        qs = qs.filter(service__last_modified__gte=p.modified_after)
    if r.moment is not None:
        qs = qs.filter(hours_id__in=open_profiles(r.moment))
    for term_id in r.linked_terms:
        qs = qs.filter(has_link(Q(term_id=term_id), per_row=r.place is not None))
    for taxonomy_id in p.taxonomy_ids:
        qs = qs.filter(has_link(Q(taxonomy_id=taxonomy_id), per_row=r.place is not None))
    if r.words:
        qs = qs.filter(fulltext.matching(r.words, per_row=r.place is not None))
    return qs


def has_link(link: Q, per_row: bool) -> Q | Exists:
    """Entries with an attached term matching ``link`` exactly (an index seek on
    (term_id, entry) or (taxonomy_id, entry)). Near a place, the position index drives
    and each nearby row checks its own links; otherwise the links drive (IN subquery),
    as words do (``fulltext.matching``)."""
    links = EntryTerm.objects.filter(link)
    if per_row:
        return Exists(links.filter(entry_id=OuterRef("pk")))
    return Q(pk__in=links.values("entry_id"))


def open_profiles(moment: datetime) -> QuerySet[OpenInterval, int]:
    # Intervals are at most a day long (hours_profiles.split_by_day): a bounded index range.
    return OpenInterval.objects.filter(
        opens_at__gt=moment - timedelta(days=1), opens_at__lte=moment, closes_at__gt=moment
    ).values_list("profile_id", flat=True)


def circle_of(r: Resolved) -> gazetteer.Circle:
    assert r.place is not None
    return gazetteer.Circle(r.place.latitude, r.place.longitude, r.radius_km)


def _near(qs: QuerySet[SearchEntry], r: Resolved) -> QuerySet[SearchEntry]:
    """Within the radius (a bounding box the index can use, then the circle), plus
    remote services that serve the place's state when they are wanted."""
    assert r.place is not None
    circle = circle_of(r)
    south, north, west, east = circle.box()
    # The same operations in the same order as gazetteer.Circle.distance2.
    dy = (F("latitude") - Value(circle.latitude)) * Value(gazetteer.KM_PER_DEGREE_LAT)
    dx = (F("longitude") - Value(circle.longitude)) * Value(circle.km_per_degree_lng)
    qs = qs.annotate(d2=ExpressionWrapper(dy * dy + dx * dx, output_field=FloatField()))
    box = Q(latitude__range=(south, north), longitude__range=(west, east))
    located = box & Q(d2__lte=circle.radius_km * circle.radius_km)
    if not r.params.include_remote:
        return qs.filter(located)
    serves_here = Q(areas="") | Q(areas__contains=" US ")
    if r.place.state:
        serves_here |= Q(areas__contains=f" {r.place.state} ")
    return qs.filter(located | (Q(remote=True) & serves_here))


def relevance(words: tuple[str, ...]) -> Case | Value:
    """2 points per word found in the title (name, organisation, type), else 1."""
    if not words:
        return Value(0)
    total: Case | Value | None = None
    for word in words:
        points = Case(
            When(title_words__contains=f" {word}", then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
        total = points if total is None else total + points  # type: ignore[assignment]
    assert total is not None
    return total


def ordering(r: Resolved) -> list[OrderBy | str]:
    by_distance: list[OrderBy | str] = [F("d2").asc(nulls_last=True)] if r.place else []
    if r.sort == "distance":
        return [*by_distance, "sort_name", "pk"]
    if r.sort == "relevance":
        return [F("score").desc(), *by_distance, "sort_name", "pk"]
    return ["sort_name", "pk"]


def search(r: Resolved, counts: tiers.Counts | None = None) -> SearchResult:
    """One page of matching ids (entries, or services with ``by_service``), no hits.
    ``counts``: where text alone counts its matches (the full-text index if not given)."""
    params = r.params
    counts = counts or tiers.Counts()
    if r.sort == "relevance" and tiers.can_answer(r.words) and only_text(r):
        return by_tiers(r, counts)
    qs = filtered(r)
    if r.sort == "relevance":
        qs = qs.annotate(score=relevance(r.words))
    result = empty_result(r)
    if params.by_service:
        return page_of_services(qs, r, result)
    offset = (params.page - 1) * params.per_page
    # A separate count, not COUNT(*) OVER (): the window makes the database materialise
    # and fully sort every match, where ORDER BY ... LIMIT keeps only the top rows.
    result.total_items = count_of(qs, r, counts)
    ordered = qs.order_by(*ordering(r)).values_list("pk", flat=True)
    result.entry_ids = list(ordered[offset : offset + params.per_page])
    return result


def by_tiers(r: Resolved, counts: tiers.Counts) -> SearchResult:
    """Text alone by relevance: counted by ``counts``, paged from the full-text index,
    reading only the page's rows (``mend.search.tiers``), not scoring and sorting every
    match."""
    result = empty_result(r)
    result.total_items = counts.every(r.words)
    offset = (r.params.page - 1) * r.params.per_page
    result.entry_ids = tiers.page(
        r.words, offset, r.params.per_page, result.total_items, counts=counts
    )
    return result


def count_of(qs: QuerySet[SearchEntry], r: Resolved, counts: tiers.Counts) -> int:
    """How many entries match. Text alone (the commonest broad query) is counted by
    ``counts``, without visiting the entries."""
    if not r.words or not only_text(r):
        return qs.count()
    return counts.every(r.words)


def only_text(r: Resolved) -> bool:
    p = r.params
    return (
        r.place is None
        and r.moment is None
        and r.codes == Codes()
        and p.include_remote
        and not p.free
        and p.organization_id is None
        and p.modified_after is None
        and not p.by_service
        and not r.linked_terms
        and not p.taxonomy_ids
    )


def page_of_services(qs: QuerySet[SearchEntry], r: Resolved, result: SearchResult) -> SearchResult:
    aggregates: dict[str, Min | Max] = {"sort_name_min": Min("sort_name")}
    order: list[OrderBy | str] = []
    if r.place is not None:
        aggregates["d2_min"] = Min("d2")
        order.append(F("d2_min").asc(nulls_last=True))
    if r.sort == "relevance":
        aggregates["score_max"] = Max("score")
        order.insert(0, F("score_max").desc())
    if r.sort != "distance" and r.sort != "relevance":
        order = []
    grouped = qs.order_by().values("service_id").annotate(**aggregates)
    result.total_items = grouped.count()
    offset = (r.params.page - 1) * r.params.per_page
    order += ["sort_name_min", "service_id"]
    page = grouped.order_by(*order)[offset : offset + r.params.per_page]
    result.service_ids = [row["service_id"] for row in page]
    return result
