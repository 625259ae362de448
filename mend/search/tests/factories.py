"""Small HSDS factories for the search, API and page tests (independent of the demo data).

Every organisation here is fictional. Defaults describe a public counselling service in
Springfield, IL, open weekdays 9-17, free, in English and Spanish.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any

from mend.directory import taxonomy
from mend.directory.models import (
    Accessibility,
    Address,
    AddressVisibility,
    Attribute,
    CostOption,
    Language,
    Location,
    LocationType,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

SPRINGFIELD = (39.7817, -89.6501)  # Springfield, IL
CHICAGO = (41.8781, -87.6298)
LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "fr": "French", "zh": "Chinese"}


def term_row(term: taxonomy.Term) -> TaxonomyTerm:
    detail, _ = Taxonomy.objects.get_or_create(
        name=term.taxonomy, defaults={"description": f"Mend taxonomy: {term.taxonomy}"}
    )
    row, _ = TaxonomyTerm.objects.get_or_create(
        id=term.id,
        defaults={
            "code": term.code,
            "name": str(term.name),
            "description": str(term.name),
            "taxonomy": term.taxonomy,
            "taxonomy_detail": detail,
        },
    )
    return row


def tag(owner: Service | Location, taxonomy_name: str, code: str) -> Attribute:
    row = term_row(taxonomy.BY_CODE[(taxonomy_name, code)])
    entity = "service" if isinstance(owner, Service) else "location"
    return Attribute.objects.create(
        link_id=owner.id, link_entity=entity, link_type=taxonomy_name, taxonomy_term=row
    )


def make_organization(name: str = "Prairie Support Network", **fields: Any) -> Organization:
    fields.setdefault("description", "A fictional organisation for tests.")
    return Organization.objects.create(name=name, **fields)


def make_service(
    name: str = "Listening Counselling",
    *,
    organization: Organization | None = None,
    types: tuple[str, ...] = ("counselling",),
    eligibility: tuple[str, ...] = (),
    languages: tuple[str, ...] = ("en", "es"),
    free: bool = True,
    **fields: Any,
) -> Service:
    fields.setdefault("description", "Talk to a trained counsellor, in confidence.")
    service = Service.objects.create(
        name=name, organization=organization or make_organization(), **fields
    )
    for code in types:
        tag(service, taxonomy.SERVICE_TYPE, code)
    for code in eligibility:
        tag(service, taxonomy.ELIGIBILITY, code)
    for code in languages:
        Language.objects.create(service=service, code=code, name=LANGUAGE_NAMES.get(code, code))
    amount = Decimal(0) if free else Decimal(40)
    CostOption.objects.create(
        service=service, option="Free" if free else "Per session", amount=amount, currency="USD"
    )
    return service


def make_location(
    *,
    point: tuple[float, float] | None = SPRINGFIELD,
    visibility: str = AddressVisibility.PUBLIC,
    time_zone: str = "America/Chicago",
    street: str = "100 Elm Street",
    city: str = "Springfield",
    postal_code: str = "62701",
    location_type: str = LocationType.PHYSICAL,
    accessibility: tuple[str, ...] = (),
    **fields: Any,
) -> Location:
    latitude, longitude = point if point else (None, None)
    location = Location.objects.create(
        latitude=latitude,
        longitude=longitude,
        address_visibility=visibility,
        time_zone=time_zone,
        location_type=location_type,
        **fields,
    )
    if location_type != LocationType.VIRTUAL:
        Address.objects.create(
            location=location,
            address_1=street,
            city=city,
            state_province="IL",
            postal_code=postal_code,
            country="US",
            address_type="physical",
        )
    for code in accessibility:
        tag(location, taxonomy.ACCESSIBILITY, code)
        Accessibility.objects.create(location=location, description=code.replace("-", " "))
    return location


def place(service: Service, location: Location | None = None, **fields: Any) -> ServiceAtLocation:
    return ServiceAtLocation.objects.create(
        service=service, location=location or make_location(), **fields
    )


def weekly_hours(
    owner: Service | Location | ServiceAtLocation,
    opens: time = time(9),
    closes: time = time(17),
    byday: str = "MO,TU,WE,TH,FR",
    **fields: Any,
) -> Schedule:
    field_name = {
        Service: "service",
        Location: "location",
        ServiceAtLocation: "service_at_location",
    }[type(owner)]
    return Schedule.objects.create(
        **{field_name: owner},
        freq="WEEKLY",
        byday=byday,
        opens_at=opens,
        closes_at=closes,
        **fields,
    )


def closed_on(owner: Service, day: date, description: str = "Closed for a holiday") -> Schedule:
    return Schedule.objects.create(
        service=owner, valid_from=day, valid_to=day, description=description
    )


def phone(service: Service, number: str = "+1 217 555 0100", **fields: Any) -> Phone:
    return Phone.objects.create(service=service, number=number, type="voice", **fields)


def hotline(
    name: str = "Night Line",
    *,
    area: str = "",
    types: tuple[str, ...] = ("crisis-line",),
    **fields: Any,
) -> Service:
    """A remote (phone) service with no location, open around the clock."""
    service = make_service(name, types=types, offered_remotely=True, **fields)
    phone(service, "+1 800 555 0199")
    Schedule.objects.create(
        service=service, opens_at=time(0), closes_at=time(0), description="24 hours"
    )
    if area:
        ServiceArea.objects.create(service=service, name=area)
    return service


def shelter(
    name: str = "Harbour House", visibility: str = AddressVisibility.HIDDEN
) -> ServiceAtLocation:
    """Safe housing at a location whose address must never be shown."""
    service = make_service(name, types=("safe-housing",), description="Safe, confidential housing.")
    location = make_location(
        point=(39.8017, -89.6436),
        visibility=visibility,
        street="7 Secret Lane",
        postal_code="62702",
        name="Harbour House refuge",
        transportation="Bus 12 to Secret Lane",
    )
    ServiceArea.objects.create(service=service, name="Sangamon County")
    phone(service, "+1 217 555 0142")
    return place(service, location)


# What a hidden shelter's address looks like in any output: none of it may appear.
# (Its ZIP code is not listed: digits can occur by chance inside a UUID.)
SHELTER_SECRETS = ("Secret Lane", "39.8017", "89.6436", "Bus 12", "39.85")


def leaked_secrets(body: str) -> list[str]:
    """The shelter's address parts found in ``body`` (an HTML page or a JSON response)."""
    return [secret for secret in SHELTER_SECRETS if secret in body]
