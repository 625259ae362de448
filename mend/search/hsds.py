"""HSDS 3.1 output schemas for the public API, with the survivor profile's redaction.

Each schema reads a directory model instance (``from_attributes``). Empty optional text
is left out rather than sent as "" (HSDS fields with a format, such as ``url`` or
``email``, must not be empty strings), and the API drops None values.

What this module guarantees: a location whose ``address_visibility`` is not public is
output without addresses, latitude, longitude, transportation directions or external
identifiers, wherever it appears (a service's locations, a service at location, an
organization's locations). It cannot stop an editor from writing an address into a
free-text field such as a description; the admin warns about that.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any
from uuid import UUID

from ninja import Schema
from pydantic import ConfigDict, PlainSerializer, ValidationInfo, WithJsonSchema, field_validator

from mend.directory.models import (
    PUBLIC_STATUSES,
    Attribute,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from mend.lib.refusal import ErrorOut

HSDS_VERSION = "3.1"

# A schedule's opening and closing times are local wall-clock times in the location's
# IANA ``time_zone`` (survivor profile), as HSDS's examples write them ("10:00:00"). No
# UTC offset: one would be wrong for half the year wherever clocks change. So they are
# declared as the pattern they follow, not as JSON Schema's "time" format, which is RFC
# 3339's full-time and requires an offset (a strict client would refuse every schedule).
LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"
LocalTime = Annotated[
    time,
    PlainSerializer(lambda value: value.strftime("%H:%M:%S"), return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": LOCAL_TIME_PATTERN,
            "description": "Local time (HH:MM:SS) in the location's time_zone; no offset.",
            "examples": ["09:00:00"],
        }
    ),
]


class Out(Schema):
    model_config = ConfigDict(from_attributes=True)

    @field_validator("*", mode="before")
    @classmethod
    def blank_is_absent(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if value == "" and field is not None and not field.is_required():
            return None
        return value


def attributes_of(record_id: UUID) -> list[Attribute]:
    return list(
        Attribute.objects.filter(link_id=record_id).select_related("taxonomy_term").order_by("id")
    )


class TaxonomyOut(Out):
    id: UUID
    name: str
    description: str
    uri: str | None = None
    version: str | None = None


class TaxonomyTermOut(Out):
    id: UUID
    code: str | None = None
    name: str
    description: str
    parent_id: UUID | None = None
    taxonomy: str | None = None
    taxonomy_id: UUID | None = None
    language: str | None = None
    term_uri: str | None = None

    @staticmethod
    def resolve_taxonomy_id(obj: TaxonomyTerm) -> UUID | None:
        return obj.taxonomy_detail_id


class AttributeOut(Out):
    id: UUID
    link_id: UUID | None = None
    taxonomy_term_id: UUID | None = None
    link_type: str | None = None
    link_entity: str | None = None
    value: str | None = None
    label: str | None = None
    taxonomy_term: TaxonomyTermOut | None = None

    @staticmethod
    def resolve_taxonomy_term(obj: Attribute) -> TaxonomyTerm | None:
        # A soft reference may point at nothing; then there is no term to nest.
        try:
            return obj.taxonomy_term
        except TaxonomyTerm.DoesNotExist:
            return None


class LanguageOut(Out):
    id: UUID
    service_id: UUID | None = None
    location_id: UUID | None = None
    phone_id: UUID | None = None
    name: str | None = None
    code: str | None = None
    note: str | None = None


class PhoneOut(Out):
    id: UUID
    location_id: UUID | None = None
    service_id: UUID | None = None
    organization_id: UUID | None = None
    contact_id: UUID | None = None
    service_at_location_id: UUID | None = None
    number: str
    extension: int | None = None
    type: str | None = None
    description: str | None = None
    languages: list[LanguageOut] = []

    @staticmethod
    def resolve_languages(obj: Any) -> list[Any]:
        return list(obj.languages.all())


class ScheduleOut(Out):
    id: UUID
    service_id: UUID | None = None
    location_id: UUID | None = None
    service_at_location_id: UUID | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    dtstart: date | None = None
    timezone: float | None = None
    until: date | None = None
    count: int | None = None
    wkst: str | None = None
    freq: str | None = None
    interval: int | None = None
    byday: str | None = None
    byweekno: str | None = None
    bymonthday: str | None = None
    byyearday: str | None = None
    description: str | None = None
    opens_at: LocalTime | None = None
    closes_at: LocalTime | None = None
    schedule_link: str | None = None
    attending_type: str | None = None
    notes: str | None = None


class ServiceAreaOut(Out):
    id: UUID
    service_id: UUID | None = None
    service_at_location_id: UUID | None = None
    name: str | None = None
    description: str | None = None
    extent: str | None = None
    extent_type: str | None = None
    uri: str | None = None


class CostOptionOut(Out):
    id: UUID
    service_id: UUID | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    option: str | None = None
    currency: str | None = None
    amount: float | None = None
    amount_description: str | None = None


class ContactOut(Out):
    id: UUID
    organization_id: UUID | None = None
    service_id: UUID | None = None
    service_at_location_id: UUID | None = None
    location_id: UUID | None = None
    name: str | None = None
    title: str | None = None
    department: str | None = None
    email: str | None = None


class AddressOut(Out):
    id: UUID
    location_id: UUID | None = None
    attention: str | None = None
    address_1: str
    address_2: str | None = None
    city: str
    region: str | None = None
    state_province: str
    postal_code: str
    country: str
    address_type: str


class AccessibilityOut(Out):
    id: UUID
    location_id: UUID | None = None
    description: str | None = None
    details: str | None = None
    url: str | None = None


class LocationListOut(Out):
    """A location's one-to-one fields; position and directions only if public."""

    id: UUID
    location_type: str
    url: str | None = None
    organization_id: UUID | None = None
    name: str | None = None
    alternate_name: str | None = None
    description: str | None = None
    transportation: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    external_identifier: str | None = None
    external_identifier_type: str | None = None
    # Mend survivor profile (declared at the API root).
    address_visibility: str
    time_zone: str | None = None

    @staticmethod
    def resolve_transportation(obj: Location) -> str | None:
        return obj.transportation if obj.address_is_public else None

    @staticmethod
    def resolve_latitude(obj: Location) -> float | None:
        return obj.latitude if obj.address_is_public else None

    @staticmethod
    def resolve_longitude(obj: Location) -> float | None:
        return obj.longitude if obj.address_is_public else None

    @staticmethod
    def resolve_external_identifier(obj: Location) -> str | None:
        return obj.external_identifier if obj.address_is_public else None

    @staticmethod
    def resolve_external_identifier_type(obj: Location) -> str | None:
        return obj.external_identifier_type if obj.address_is_public else None


class LocationOut(LocationListOut):
    languages: list[LanguageOut] = []
    addresses: list[AddressOut] = []
    accessibility: list[AccessibilityOut] = []
    phones: list[PhoneOut] = []
    schedules: list[ScheduleOut] = []
    attributes: list[AttributeOut] = []

    @staticmethod
    def resolve_addresses(obj: Location) -> list[Any]:
        return list(obj.addresses.order_by("id")) if obj.address_is_public else []

    @staticmethod
    def resolve_languages(obj: Location) -> list[Any]:
        return list(obj.languages.order_by("id"))

    @staticmethod
    def resolve_accessibility(obj: Location) -> list[Any]:
        return list(obj.accessibility.order_by("id"))

    @staticmethod
    def resolve_phones(obj: Location) -> list[Any]:
        return list(obj.phones.order_by("id"))

    @staticmethod
    def resolve_schedules(obj: Location) -> list[Any]:
        return list(obj.schedules.order_by("id"))

    @staticmethod
    def resolve_attributes(obj: Location) -> list[Any]:
        return attributes_of(obj.id)


class OrganizationListOut(Out):
    id: UUID
    name: str
    alternate_name: str | None = None
    description: str
    email: str | None = None
    website: str | None = None
    tax_status: str | None = None
    tax_id: str | None = None
    year_incorporated: int | None = None
    legal_status: str | None = None
    logo: str | None = None
    uri: str | None = None
    parent_organization_id: UUID | None = None


class ServiceListOut(Out):
    id: UUID
    organization_id: UUID | None = None
    program_id: UUID | None = None
    name: str
    alternate_name: str | None = None
    description: str | None = None
    url: str | None = None
    email: str | None = None
    status: str
    interpretation_services: str | None = None
    application_process: str | None = None
    fees_description: str | None = None
    wait_time: str | None = None
    fees: str | None = None
    accreditations: str | None = None
    eligibility_description: str | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None
    assured_date: date | None = None
    assurer_email: str | None = None
    licenses: str | None = None
    alert: str | None = None
    last_modified: datetime | None = None
    organization: OrganizationListOut | None = None


class ServiceAtLocationListOut(Out):
    id: UUID
    service_id: UUID
    location_id: UUID
    description: str | None = None
    location: LocationListOut
    service: ServiceListOut


class ServiceAtLocationOut(Out):
    id: UUID
    service_id: UUID
    location_id: UUID
    description: str | None = None
    service_areas: list[ServiceAreaOut] = []
    contacts: list[ContactOut] = []
    phones: list[PhoneOut] = []
    schedules: list[ScheduleOut] = []
    location: LocationOut
    attributes: list[AttributeOut] = []

    @staticmethod
    def resolve_service_areas(obj: ServiceAtLocation) -> list[Any]:
        return list(obj.service_areas.order_by("id"))

    @staticmethod
    def resolve_contacts(obj: ServiceAtLocation) -> list[Any]:
        return list(obj.contacts.order_by("id"))

    @staticmethod
    def resolve_phones(obj: ServiceAtLocation) -> list[Any]:
        return list(obj.phones.order_by("id"))

    @staticmethod
    def resolve_schedules(obj: ServiceAtLocation) -> list[Any]:
        return list(obj.schedules.order_by("id"))

    @staticmethod
    def resolve_attributes(obj: ServiceAtLocation) -> list[Any]:
        return attributes_of(obj.id)


class ServiceAtLocationFullOut(ServiceAtLocationOut):
    service: ServiceListOut


class ServiceOut(ServiceListOut):
    """A fully nested service (HSDS compiled/service.json)."""

    phones: list[PhoneOut] = []
    schedules: list[ScheduleOut] = []
    service_areas: list[ServiceAreaOut] = []
    service_at_locations: list[ServiceAtLocationOut] = []
    languages: list[LanguageOut] = []
    cost_options: list[CostOptionOut] = []
    contacts: list[ContactOut] = []
    attributes: list[AttributeOut] = []

    @staticmethod
    def resolve_phones(obj: Service) -> list[Any]:
        return list(obj.phones.order_by("id"))

    @staticmethod
    def resolve_schedules(obj: Service) -> list[Any]:
        return list(obj.schedules.order_by("id"))

    @staticmethod
    def resolve_service_areas(obj: Service) -> list[Any]:
        return list(obj.service_areas.order_by("id"))

    @staticmethod
    def resolve_service_at_locations(obj: Service) -> list[Any]:
        return list(obj.service_at_locations.select_related("location").order_by("id"))

    @staticmethod
    def resolve_languages(obj: Service) -> list[Any]:
        return list(obj.languages.order_by("id"))

    @staticmethod
    def resolve_cost_options(obj: Service) -> list[Any]:
        return list(obj.cost_options.order_by("id"))

    @staticmethod
    def resolve_contacts(obj: Service) -> list[Any]:
        return list(obj.contacts.order_by("id"))

    @staticmethod
    def resolve_attributes(obj: Service) -> list[Any]:
        return attributes_of(obj.id)


class OrganizationOut(OrganizationListOut):
    """A nested organization (HSDS compiled/organization.json)."""

    contacts: list[ContactOut] = []
    phones: list[PhoneOut] = []
    locations: list[LocationOut] = []
    attributes: list[AttributeOut] = []
    services: list[ServiceListOut] = []

    @staticmethod
    def resolve_contacts(obj: Organization) -> list[Any]:
        return list(obj.contacts.order_by("id"))

    @staticmethod
    def resolve_phones(obj: Organization) -> list[Any]:
        return list(obj.phones.order_by("id"))

    @staticmethod
    def resolve_locations(obj: Organization) -> list[Any]:
        return list(obj.locations.order_by("id"))

    @staticmethod
    def resolve_attributes(obj: Organization) -> list[Any]:
        return attributes_of(obj.id)

    @staticmethod
    def resolve_services(obj: Organization) -> list[Any]:
        # The public ones only: the same rule as GET /services/{id} (findhelp.access).
        return list(obj.services.filter(status__in=PUBLIC_STATUSES).order_by("name", "id"))


class PageOut(Schema):
    """The HSDS Page envelope."""

    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool


class ServicePage(PageOut):
    contents: list[ServiceListOut]


class ServiceAtLocationPage(PageOut):
    contents: list[ServiceAtLocationListOut]


class OrganizationPage(PageOut):
    contents: list[OrganizationListOut]


class TaxonomyPage(PageOut):
    contents: list[TaxonomyOut]


class TaxonomyTermPage(PageOut):
    contents: list[TaxonomyTermOut]


class ApiRoot(Schema):
    version: str
    profile: str
    openapi_url: str


class ParameterErrorOut(ErrorOut):
    """The HSDS API's 400: Mend's one refusal shape (``code`` is ``bad_parameter``), plus
    the documented ``parameter`` that names the query parameter refused."""

    parameter: str | None = None
