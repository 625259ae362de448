"""The "Find help" pages: search and results, a service, and its print view.

Plain GET pages that work without JavaScript. Searches go through
``mend.search.query.search_services``, the same function as the HSDS API; what a page
shows about a location comes from ``mend.findhelp.display``, which leaves out hidden and
on-request addresses. The results map is sent positions of public addresses only
(``map_position``), never a hidden or on-request location's, however coarse. Each page
reads the directory from the read replica when one is configured and current
(``mend.search.replica.public_read_view``).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from mend.directory.models import AddressVisibility
from mend.findhelp import display
from mend.findhelp.access import get_public_service
from mend.findhelp.forms import FIELD_FOR_PARAMETER, SearchForm
from mend.search import gazetteer
from mend.search.models import SearchEntry
from mend.search.params import InvalidParameter
from mend.search.query import search_services
from mend.search.replica import public_read_view
from mend.search.results import Hit, SearchResult

PAGE_SIZE = 20
# The filters under "More filters": an empty result blames them only if one was chosen.
FILTERS = (
    "type",
    "free",
    "open_now",
    "open_at",
    "language",
    "eligibility",
    "accessibility",
    "in_person",
)


@require_GET
@public_read_view
def search(request: HttpRequest) -> HttpResponse:
    if not request.GET:
        return render(request, "findhelp/search.html", {"form": SearchForm()})
    form = SearchForm(request.GET)
    result: SearchResult | None = None
    if form.is_valid():
        try:
            result = search_services(form.to_params(PAGE_SIZE))
        except InvalidParameter as error:
            form.add_error(FIELD_FOR_PARAMETER.get(error.parameter, None), error.message)
    results = [result_view(hit, n) for n, hit in enumerate(result.hits, 1)] if result else []
    context = {
        "form": form,
        "result": result,
        "results": results,
        "map": results_map(result, results) if result else None,
        "pages": pagination(request.GET, result) if result else None,
        "other_places": other_places(request.GET, result) if result else [],
        "typed_place": typed_place(form, result),
        "filters_chosen": filters_chosen(request.GET),
    }
    return render(request, "findhelp/search.html", context, status=200 if result else 400)


def filters_chosen(query: QueryDict) -> int:
    """How many choices under "More filters" the search has (each ticked box counts)."""
    return sum(1 for name in FILTERS for value in query.getlist(name) if value)


def result_view(hit: Hit, number: int = 0) -> dict[str, Any]:
    """What the list shows of one result; ``number`` is its place on this page, which
    the results map's point for it also shows (``on_map``)."""
    entry = hit.entry
    return {
        "number": number,
        "on_map": map_position(entry) is not None,
        "service_id": entry.service_id,
        "anchor": f"at-{entry.service_at_location_id}"
        if entry.service_at_location_id
        else "remote",
        "name": display.translated(entry.service, "name"),
        "organization": display.translated(entry.organization, "name"),
        "types": [display.term_name(code) for code in hit.types],
        "languages": [display.language_name(code) for code in hit.languages],
        "distance_km": hit.distance_km,
        "distance_miles": display.miles(hit.distance_km) if hit.distance_km is not None else None,
        "open_now": hit.open_now,
        "free": entry.free,
        "remote": entry.remote,
        "located": entry.location_id is not None,
        "address_public": entry.address_public,
        "on_request": entry.location is not None
        and entry.location.address_visibility == AddressVisibility.ON_REQUEST,
        "place_name": display.translated(entry.location, "name") if entry.location else "",
    }


def map_position(entry: SearchEntry) -> tuple[float, float] | None:
    """Where the results map may draw this result: only at a public address with a
    position. Hidden and on-request locations give None (so not even the grid cell that
    the index keeps for them reaches the page), as do phone and online services.

    The location's own visibility is checked as well as the index's copy of it, so an
    address made private since the index was built is not drawn either."""
    location = entry.location
    if entry.remote or not entry.address_public or location is None:
        return None
    if not location.address_is_public or entry.latitude is None or entry.longitude is None:
        return None
    return (entry.latitude, entry.longitude)


def results_map(result: SearchResult, results: list[dict[str, Any]]) -> dict[str, Any]:
    """The data that mend/static/js/directory/map.js draws (through json_script): the
    numbered points of this page's results that have a ``map_position``, and the
    searched place with its radius. Nothing else about a result is sent."""
    points = []
    for hit, item in zip(result.hits, results, strict=True):
        position = map_position(hit.entry)
        if position is not None:
            url = reverse("findhelp:service", args=[item["service_id"]]) + "#" + item["anchor"]
            lat, lng = position
            points.append(
                {"number": item["number"], "name": item["name"], "url": url, "lat": lat, "lng": lng}
            )
    place = None
    if result.place is not None:
        where = result.place
        place = {
            "label": str(where.label),
            "lat": where.latitude,
            "lng": where.longitude,
            "radius_km": result.radius_km,
        }
    return {"points": points, "place": place}


def with_query(query: QueryDict, **changes: Any) -> str:
    updated = query.copy()
    for key, value in changes.items():
        if value is None:
            updated.pop(key, None)
        else:
            updated[key] = str(value)
    return "?" + updated.urlencode()


def pagination(query: QueryDict, result: SearchResult) -> dict[str, Any]:
    number = result.page_number
    return {
        "number": number,
        "total": result.total_pages,
        "previous": with_query(query, page=number - 1) if number > 1 else None,
        "next": with_query(query, page=number + 1) if number < result.total_pages else None,
    }


def other_places(query: QueryDict, result: SearchResult) -> list[dict[str, str]]:
    """Other places with the same name, as links (we pick the largest; say so)."""
    others = result.place.others[:5] if result.place else ()
    return [{"label": label, "url": with_query(query, place=label, page=None)} for label in others]


def typed_place(form: SearchForm, result: SearchResult | None) -> str:
    """What she typed as a place, when we read it as something else ("London" as
    London, KY): the page says which place it searched near and how to pick another."""
    typed = str(form.cleaned_data.get("place") or "") if form.is_valid() else ""
    if result is None or result.place is None or not typed or gazetteer.ZIP.match(typed):
        return ""
    return "" if gazetteer.normalise(typed) == gazetteer.normalise(result.place.label) else typed


@require_GET
@public_read_view
def service(request: HttpRequest, service_id: UUID) -> HttpResponse:
    if request.GET.get("print") == "1":
        return service_print(request, service_id)
    found = get_public_service(service_id)
    context = {"view": display.service_view(found, timezone.now())}
    return render(request, "findhelp/service.html", context)


@require_GET
@public_read_view
def service_print(request: HttpRequest, service_id: UUID) -> HttpResponse:
    found = get_public_service(service_id)
    context = {
        "view": display.service_view(found, timezone.now()),
        "print_view": True,
        # Its own address, never the query string: anything written there was printed
        # on the page as if Mend said it (found by a review).
        "page_address": request.build_absolute_uri(request.path),
    }
    return render(request, "findhelp/service_print.html", context)
