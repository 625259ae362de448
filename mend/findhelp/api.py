"""The HSDS 3.1 API at /api/v1/hsds/ (Open Referral's OpenAPI, plus Mend's extensions).

Searches go through ``mend.search.query.search_services``, the same function as the
"Find help" pages. Extension parameters, documented in the OpenAPI schema: ``lat``,
``lng``, ``radius_km``, ``place``, ``type``, ``free``, ``language``, ``eligibility``,
``accessibility``, ``open_now``, ``open_at``, ``include_remote`` and ``sort``.

Guarantees: hidden and on-request locations never show an address, a position, a
distance or directions (``mend.search.hsds``); a bad parameter gets a 400 whose
``parameter`` names it, and so does a parameter the endpoint does not know (never
silently ignored) or an HSDS option Mend does not offer (``full``, ``minimal``,
``full_service`` set to true, a ``format`` other than json).
"""

from __future__ import annotations

import functools
import json
from datetime import datetime
from typing import Annotated, Any, Literal, get_origin
from uuid import UUID

from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Router, Schema
from ninja.errors import ValidationError
from ninja.schema import DjangoGetter
from pydantic import (
    AfterValidator,
    ModelWrapValidatorHandler,
    ValidationInfo,
    field_validator,
    model_validator,
)

from mend.directory import taxonomy
from mend.directory.models import (
    Attribute,
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from mend.findhelp.access import (
    get_public_organization,
    get_public_service,
    get_public_service_at_location,
    public_organizations,
)
from mend.lib.quickquery import QuickQuery, query_lists
from mend.lib.refusal import ErrorOut, Refusal, invalid_fields, refusals
from mend.lib.text import CONTROL_MESSAGE, has_control_characters
from mend.search import hsds
from mend.search.documents import documents_for
from mend.search.models import EntryTerm, SearchEntry
from mend.search.params import (
    MAX_PER_PAGE,
    MAX_PLACE,
    MAX_RADIUS_KM,
    MAX_TEXT,
    InvalidParameter,
    SearchParams,
)
from mend.search.query import search_services
from mend.search.replica import public_read_view
from mend.search.results import SearchResult

router = Router(tags=["HSDS"])
# Every endpoint is a public read: it may read the replica, whole (mend.search.replica).
router.add_decorator(public_read_view, mode="view")
PREFIX = "/hsds/"
ERRORS: dict[int, type[ErrorOut]] = {400: hsds.ParameterErrorOut}
NOT_FOUND = refusals(404)


class TextParams(Schema):
    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(
        cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo
    ) -> Any:
        """Query parameters arrive as a dict of strings and lists: validated as they are.
        (ninja's own root validator wraps every input in a getter made for model
        instances, which cost a fifth of a search request; anything else still gets it.)
        Replaces ninja's validator of the same name, which would otherwise run too."""
        if type(values) is dict:
            return handler(values)
        return handler(DjangoGetter(values, cls, info.context))

    @field_validator("*", mode="before")
    @classmethod
    def no_control_characters(cls, value: Any) -> Any:
        # Mend's one rule for typed text (mend.lib.text), on a string or a list of them;
        # mend.lib.quickquery mirrors this validator by its name.
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and has_control_characters(v) for v in values):
            raise ValueError(CONTROL_MESSAGE)
        return value


def not_offered(value: bool) -> bool:
    """An HSDS option Mend does not offer: false (the default) is what it does anyway;
    true is refused, never silently ignored."""
    if value:
        raise ValueError(_("Mend does not offer this option; leave it out or set it to false."))
    return value


NotOffered = Annotated[bool, AfterValidator(not_offered)]


class PageParams(TextParams):
    search: str = Field(
        "", max_length=MAX_TEXT, description="Full text search (every word must match)."
    )
    page: int = Field(1, ge=1, le=100_000, description="Page number of paginated result.")
    per_page: int = Field(
        20, ge=1, le=MAX_PER_PAGE, description="Number of results in a single page."
    )
    format: Literal["json"] = Field(
        "json", description="Only `json` (paginated); `ndjson` is not offered."
    )


class TermFilters(PageParams):
    taxonomy_term_id: UUID | None = Field(
        None, description="Records with this taxonomy term (of any taxonomy)."
    )
    taxonomy_id: UUID | None = Field(
        None, description="Records with any term of this taxonomy (Mend's or an imported one)."
    )
    full: NotOffered = Field(False, description="Not offered: `true` is refused with a 400.")


class SearchFilters(TermFilters):
    organization_id: UUID | None = Field(None, description="Services this organization provides.")
    modified_after: datetime | None = Field(None, description="Modified on or after this time.")
    postcode: str = Field(
        "",
        max_length=10,
        description="A US ZIP code: results within `proximity` metres of its centroid "
        "(within 40 km when `proximity` is not given).",
    )
    proximity: int | None = Field(
        None, gt=0, le=500_000, description="Metres from the centroid of `postcode`."
    )
    lat: float | None = Field(None, ge=-90, le=90, description="Extension: latitude of the point.")
    lng: float | None = Field(None, ge=-180, le=180, description="Extension: longitude.")
    radius_km: float | None = Field(
        None, gt=0, le=MAX_RADIUS_KM, description="Extension: radius in km."
    )
    place: str = Field(
        "", max_length=MAX_PLACE, description="Extension: a ZIP code or US city name."
    )
    type: list[str] = Field([], description="Extension: Mend service type codes (any of).")
    free: bool = Field(False, description="Extension: only services free of charge.")
    language: list[str] = Field([], description="Extension: ISO 639-1 codes (all of).")
    eligibility: list[str] = Field([], description="Extension: Mend eligibility codes (all of).")
    accessibility: list[str] = Field([], description="Extension: accessibility codes (all of).")
    open_now: bool = Field(False, description="Extension: only services open now.")
    open_at: datetime | None = Field(
        None, description="Extension: open at this time (within 30 days; no offset: local time)."
    )
    include_remote: bool = Field(True, description="Extension: include phone and online services.")
    sort: Literal["", "distance", "relevance", "name"] = Field("", description="Extension.")

    def to_params(self, by_service: bool) -> SearchParams:
        radius = self.proximity / 1000 if self.proximity is not None else self.radius_km
        return SearchParams(
            text=self.search,
            place=self.place,
            postcode=self.postcode,
            latitude=self.lat,
            longitude=self.lng,
            radius_km=radius,
            types=tuple(self.type),
            free=self.free,
            languages=tuple([code.lower() for code in self.language]),
            eligibility=tuple(self.eligibility),
            accessibility=tuple(self.accessibility),
            open_now=self.open_now,
            open_at=self.open_at,
            # Remote services have no location: only /services (by service) includes them.
            include_remote=self.include_remote and by_service,
            organization_id=self.organization_id,
            taxonomy_term_ids=(self.taxonomy_term_id,) if self.taxonomy_term_id else (),
            taxonomy_ids=(self.taxonomy_id,) if self.taxonomy_id else (),
            modified_after=self.modified_after,
            sort=self.sort,
            page=self.page,
            per_page=self.per_page,
            by_service=by_service,
            with_hits=False,  # the API loads its own documents
        )


API_PARAMETER_NAMES = {"text": "search", "types": "type", "languages": "language"}


def run_search(
    filters: SearchFilters, by_service: bool, *, verify_later: bool = False
) -> SearchResult:
    try:
        params = filters.to_params(by_service)
        return search_services(params, verify_later=verify_later)
    except InvalidParameter as error:
        name = API_PARAMETER_NAMES.get(error.parameter, error.parameter)
        if name == "radius_km" and filters.proximity is not None:
            name = "proximity"
        raise BadParameter(name, error.message) from None


class BadParameter(Refusal):
    """A 400 naming the query parameter refused, answered by the API's one handler."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(400, "bad_parameter", f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message

    def body(self) -> hsds.ParameterErrorOut:
        return hsds.ParameterErrorOut(code=self.code, detail=self.detail, parameter=self.parameter)


def only_known(request: HttpRequest, schema: type[Schema] | None, *left_out: str) -> None:
    """Refuse (400 naming it) any query parameter that ``schema`` does not declare, or
    that is ``left_out`` of it here: a misspelt or unsupported filter must not answer
    as if it were not there, with more results than the caller asked for."""
    allowed, repeatable = _parameters(schema, left_out)
    for name, values in query_lists(request).items():
        if name not in allowed:
            # Capped: the name is echoed back, and any string can be sent as one.
            raise BadParameter(name[:100], _("This endpoint has no such parameter."))
        if name not in repeatable and len(values) > 1:
            # Which of two values was meant? Neither may be dropped silently.
            raise BadParameter(name, _("Give this parameter once."))


@functools.cache
def _parameters(
    schema: type[Schema] | None, left_out: tuple[str, ...]
) -> tuple[frozenset[str], frozenset[str]]:
    """The names ``only_known`` allows, and those of them that may repeat (lists)."""
    fields = schema.model_fields if schema is not None else {}
    allowed = frozenset(fields) - set(left_out)
    return allowed, frozenset(n for n in allowed if get_origin(fields[n].annotation) is list)


def page_of[M: Model](qs: QuerySet[M], page: int, per_page: int) -> dict[str, Any]:
    """A plain queryset as an HSDS Page (for the lists that need no search index)."""
    total = qs.count()
    total_pages = max(1, -(-total // per_page))
    contents = list(qs[(page - 1) * per_page : page * per_page])
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": total == 0,
        "contents": contents,
    }


# --- endpoints -----------------------------------------------------------------------------


@router.get("/", response=hsds.ApiRoot, summary="About this API and its HSDS profile")
def api_root(request: HttpRequest) -> dict[str, str]:
    return {
        "version": hsds.HSDS_VERSION,
        "profile": taxonomy.PROFILE_URI,
        "openapi_url": request.build_absolute_uri("/api/v1/openapi.json"),
    }


class ServiceFilters(SearchFilters):
    minimal: NotOffered = Field(False, description="Not offered: `true` is refused with a 400.")


@router.get("/services", response={200: hsds.ServicePage, **ERRORS}, exclude_none=True)
def list_services(
    request: HttpRequest, filters: Annotated[ServiceFilters, QuickQuery()]
) -> dict[str, Any]:
    """Services with at least one place (or remote offer) matching every filter."""
    only_known(request, ServiceFilters)
    result = run_search(filters, by_service=True)
    found = Service.objects.filter(id__in=result.service_ids).select_related("organization")
    by_id = {service.id: service for service in found}
    return {**result.envelope(), "contents": [by_id[i] for i in result.service_ids]}


@router.get(
    "/services/{id}", response={200: hsds.ServiceOut, **ERRORS, **NOT_FOUND}, exclude_none=True
)
def get_service(request: HttpRequest, id: UUID) -> Service:
    only_known(request, None)
    return get_public_service(id)  # 404 for exactly the services whose page is 404


@router.get(
    "/service_at_locations",
    response={200: hsds.ServiceAtLocationPage, **ERRORS},
    exclude_none=True,
)
def list_service_at_locations(
    request: HttpRequest, filters: Annotated[SearchFilters, QuickQuery()]
) -> HttpResponse:
    """Services at locations matching every filter; remote services have no location
    and are listed only by /services."""
    # Remote services have no location: include_remote would have nothing to include.
    only_known(request, SearchFilters, "include_remote")
    # Each item as the indexer rendered it with this schema (SearchDocument), read from
    # the search file that answered (the database gives those of entries added since):
    # nothing to build or validate per item. The one query checks that the copy of the
    # index that answered is current, and if not, the search runs again.
    result = run_search(filters, by_service=False, verify_later=True)
    contents = documents_for(result.entry_ids, version=result.unverified_version)
    if contents is None:
        result = run_search(filters, by_service=False)
        contents = documents_for(result.entry_ids) or []
    envelope = json.dumps(result.envelope())  # numbers and booleans: as ninja writes them
    body = f'{envelope[:-1]}, "contents": [{", ".join(contents)}]}}'
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@router.get(
    "/service_at_locations/{id}",
    response={200: hsds.ServiceAtLocationFullOut, **ERRORS, **NOT_FOUND},
    exclude_none=True,
)
def get_service_at_location(request: HttpRequest, id: UUID) -> ServiceAtLocation:
    only_known(request, None)
    return get_public_service_at_location(id)  # 404 unless its service's page answers


class FullServiceParams(TextParams):
    full_service: NotOffered = Field(
        False, description="Not offered: `true` is refused with a 400."
    )


class OrganizationFilters(TermFilters, FullServiceParams):
    pass


@router.get("/organizations", response={200: hsds.OrganizationPage, **ERRORS}, exclude_none=True)
def list_organizations(request: HttpRequest, params: Query[OrganizationFilters]) -> dict[str, Any]:
    only_known(request, OrganizationFilters)
    qs = public_organizations().order_by("name", "id")
    if params.search:
        qs = qs.filter(
            Q(name__icontains=params.search) | Q(alternate_name__icontains=params.search)
        )
    if params.taxonomy_term_id:
        qs = qs.filter(
            with_term(
                Q(taxonomy_term_id=params.taxonomy_term_id), Q(term_id=params.taxonomy_term_id)
            )
        )
    if params.taxonomy_id:
        qs = qs.filter(
            with_term(
                Q(taxonomy_term__taxonomy_detail_id=params.taxonomy_id),
                Q(taxonomy_id=params.taxonomy_id),
            )
        )
    return page_of(qs, params.page, params.per_page)


def with_term(attribute: Q, link: Q) -> Q:
    """Organizations with a matching term of their own (an HSDS attribute), or providing
    a listed service that has one (at any of its places: the search index's links)."""
    own = Attribute.objects.filter(attribute, link_entity="organization").values("link_id")
    entries = EntryTerm.objects.filter(link).values("entry_id")
    providers = SearchEntry.objects.filter(pk__in=entries).values("organization_id")
    return Q(id__in=own) | Q(id__in=providers)


@router.get(
    "/organizations/{id}",
    response={200: hsds.OrganizationOut, **ERRORS, **NOT_FOUND},
    exclude_none=True,
)
def get_organization(
    request: HttpRequest, id: UUID, params: Query[FullServiceParams]
) -> Organization:
    only_known(request, FullServiceParams)
    return get_public_organization(id)  # 404 unless it provides a public service


@router.get("/taxonomies", response={200: hsds.TaxonomyPage, **ERRORS}, exclude_none=True)
def list_taxonomies(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    only_known(request, PageParams)
    qs = Taxonomy.objects.order_by("name", "id")
    if params.search:
        qs = qs.filter(name__icontains=params.search)
    return page_of(qs, params.page, params.per_page)


@router.get(
    "/taxonomies/{id}", response={200: hsds.TaxonomyOut, **ERRORS, **NOT_FOUND}, exclude_none=True
)
def get_taxonomy(request: HttpRequest, id: UUID) -> Taxonomy:
    only_known(request, None)
    return get_object_or_404(Taxonomy, id=id)


class TermParams(PageParams):
    taxonomy_id: UUID | None = Field(None, description="Terms of this taxonomy.")
    parent_id: UUID | None = Field(None, description="Terms whose parent is this term.")
    top_only: bool = Field(False, description="Only terms without a parent.")


@router.get("/taxonomy_terms", response={200: hsds.TaxonomyTermPage, **ERRORS}, exclude_none=True)
def list_taxonomy_terms(request: HttpRequest, params: Query[TermParams]) -> dict[str, Any]:
    only_known(request, TermParams)
    qs = TaxonomyTerm.objects.order_by("taxonomy", "code", "id")
    if params.search:
        qs = qs.filter(Q(name__icontains=params.search) | Q(code__icontains=params.search))
    if params.taxonomy_id:
        qs = qs.filter(taxonomy_detail_id=params.taxonomy_id)
    if params.parent_id:
        qs = qs.filter(parent_id=params.parent_id)
    if params.top_only:
        qs = qs.filter(parent__isnull=True)
    return page_of(qs, params.page, params.per_page)


@router.get(
    "/taxonomy_terms/{id}",
    response={200: hsds.TaxonomyTermOut, **ERRORS, **NOT_FOUND},
    exclude_none=True,
)
def get_taxonomy_term(request: HttpRequest, id: UUID) -> TaxonomyTerm:
    only_known(request, None)
    return get_object_or_404(TaxonomyTerm, id=id)


# --- mounting -------------------------------------------------------------------------------


def mount(api: NinjaAPI) -> None:
    """Add the HSDS router to ``api`` at /hsds/."""
    api.add_router(PREFIX, router)


def refusal_for(request: HttpRequest, error: ValidationError) -> Refusal:
    """A parameter that did not validate: under /api/v1/hsds/ a 400 naming it (HSDS's
    documented answer) instead of the 422 of Mend's other APIs."""
    if not request.path.startswith(reverse("api-v1:api_root")):
        return invalid_fields(request, error)
    first = error.errors[0] if error.errors else {}
    location = [str(part) for part in first.get("loc", ()) if not isinstance(part, int)]
    parameter = location[-1] if len(location) > 1 else "request"
    return BadParameter(parameter, str(first.get("msg", "is not valid")))
