"""The support directory: Open Referral HSDS 3.1 tables, plus Mend's survivor profile.

Field names follow HSDS exactly, so import and export are a mapping, not a translation.
Our profile adds, on a location, ``address_visibility`` (shelters' addresses never leave
the server in public output) and ``time_zone`` (IANA, for "open now"), and a
``translations`` JSON field ({language: {field: text}}) on free-text records.

References between HSDS tables are *soft* (``db_constraint=False``) except the three a
record cannot be shown without: a service's organization, and a service-at-location's
service and location. Soft references keep the id they were given even when it points
at nothing (HSDS extracts often do); code that follows one must treat a missing target
as absent. See docs/adr/0002-hsds-references.md.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from mend.directory.hsds.profile import time_zone_problem, translations_problem


def text() -> models.TextField[str, str]:
    return models.TextField(blank=True, default="")


def short(length: int = 255) -> models.CharField[str, str]:
    return models.CharField(max_length=length, blank=True, default="")


def validate_translations(value: Any) -> None:
    problem = translations_problem(value)
    if problem:
        raise ValidationError(problem)


def validate_time_zone(value: Any) -> None:
    problem = time_zone_problem(value)
    if problem:
        raise ValidationError(problem)


def translations() -> models.JSONField[Any, Any]:
    return models.JSONField(default=dict, blank=True, validators=[validate_translations])


class HsdsModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(getattr(self, "name", "") or self.id)


class Taxonomy(HsdsModel):
    name = short()
    description = text()
    uri = short(500)
    version = short(50)
    translations = translations()

    class Meta:
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(HsdsModel):
    code = short(100)
    name = short()
    description = text()
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        db_constraint=False,
    )
    taxonomy = short(100)  # HSDS: free-text name of the taxonomy ("mend-service-type")
    # HSDS calls the column taxonomy_id (tabular) and the nested object taxonomy_detail.
    taxonomy_detail = models.ForeignKey(
        Taxonomy,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="terms",
        db_constraint=False,
    )
    language = short(20)
    term_uri = short(500)
    translations = translations()

    class Meta:
        indexes = [models.Index(fields=["taxonomy", "code"])]

    def __str__(self) -> str:
        return f"{self.taxonomy}: {self.name}"


class Organization(HsdsModel):
    name = short()
    alternate_name = short()
    description = text()
    email = short()
    website = short(500)
    tax_status = short()
    tax_id = short()
    year_incorporated = models.PositiveIntegerField(null=True, blank=True)
    legal_status = short()
    logo = short(500)
    uri = short(500)
    parent_organization = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        db_constraint=False,
    )
    translations = translations()

    def __str__(self) -> str:
        return self.name


class Program(HsdsModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="programs", db_constraint=False
    )
    name = short()
    alternate_name = short()
    description = text()
    translations = translations()


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Defunct")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


# The one definition of which services the public sees (docs/directory-search.md).
# Opened by id (the service page, GET /api/v1/hsds/services/{id}): a temporarily closed
# service too, so that a link someone kept says it is closed instead of "not found".
PUBLIC_STATUSES = (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)
# Found by a search (the index holds only these): nobody looking for help now is sent to
# a closed door. Inactive and defunct services are neither found nor opened.
SEARCHED_STATUSES = (ServiceStatus.ACTIVE,)


class Service(HsdsModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="services"
    )
    program = models.ForeignKey(
        Program,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
        db_constraint=False,
    )
    name = short()
    alternate_name = short()
    description = text()
    url = short(500)
    email = short()
    status = models.CharField(
        max_length=32, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    interpretation_services = text()
    application_process = text()
    fees_description = text()
    wait_time = short()
    fees = text()
    accreditations = text()
    eligibility_description = text()
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    assured_date = models.DateField(null=True, blank=True)  # shown as "last checked"
    assurer_email = short()
    licenses = text()
    alert = text()
    last_modified = models.DateTimeField(null=True, blank=True)
    # Survivor profile: reached by phone or online, wherever its service areas reach. A
    # service with no location appears in place searches only when this is set, so one
    # an editor has not yet placed never shows in every city as "by phone or online".
    offered_remotely = models.BooleanField(
        default=False,
        verbose_name=_("Offered by phone or online"),
        help_text=_(
            "Tick this for a helpline or an online service. A service with no location "
            "and without this tick is not shown in searches near a place."
        ),
    )
    translations = translations()

    def __str__(self) -> str:
        return self.name


class LocationType(models.TextChoices):
    PHYSICAL = "physical", _("Physical")
    POSTAL = "postal", _("Postal")
    VIRTUAL = "virtual", _("Virtual")


class AddressVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    ON_REQUEST = "on_request", _("Given on request")
    HIDDEN = "hidden", _("Hidden")


class Location(HsdsModel):
    location_type = models.CharField(
        max_length=16, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    url = short(500)
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="locations",
        db_constraint=False,
    )
    name = short()
    alternate_name = short()
    description = text()
    transportation = text()
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    external_identifier = short()
    external_identifier_type = short()
    # Mend survivor profile. Hidden and on-request addresses (shelters) never appear in
    # public HTML, JSON or CSV, and no distance is shown for them.
    address_visibility = models.CharField(
        max_length=16,
        choices=AddressVisibility.choices,
        default=AddressVisibility.PUBLIC,
        help_text=_(
            "Hidden and on-request addresses (shelters, safe housing) never appear on the "
            "public site, in the API or in public exports; nor do their map position, "
            "directions or external identifiers."
        ),
    )
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    translations = translations()

    def __str__(self) -> str:
        return self.name or str(self.id)

    @property
    def address_is_public(self) -> bool:
        return self.address_visibility == AddressVisibility.PUBLIC


class ServiceAtLocation(HsdsModel):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    description = text()
    translations = translations()

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"


class Address(HsdsModel):
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="addresses", db_constraint=False
    )
    attention = short()
    address_1 = short()
    address_2 = short()
    city = short()
    region = short()
    state_province = short()
    postal_code = short(32)
    country = short(2)
    address_type = short(16)  # physical | postal | virtual


class Contact(HsdsModel):
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contacts",
        db_constraint=False,
    )
    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contacts",
        db_constraint=False,
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contacts",
        db_constraint=False,
    )
    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contacts",
        db_constraint=False,
    )
    name = short()
    title = short()
    department = short()
    email = short()


class Phone(HsdsModel):
    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="phones",
        db_constraint=False,
    )
    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="phones",
        db_constraint=False,
    )
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="phones",
        db_constraint=False,
    )
    contact = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="phones",
        db_constraint=False,
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="phones",
        db_constraint=False,
    )
    number = short(64)
    extension = models.PositiveIntegerField(null=True, blank=True)
    type = short(32)  # text | voice | fax | cell | video | pager | textphone
    description = text()
    translations = translations()


class Language(HsdsModel):
    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="languages",
        db_constraint=False,
    )
    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="languages",
        db_constraint=False,
    )
    phone = models.ForeignKey(
        Phone,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="languages",
        db_constraint=False,
    )
    name = short(100)
    code = short(16)  # ISO 639 (HSDS recommends ISO 639-1 where one exists)
    note = text()

    class Meta:
        indexes = [models.Index(fields=["code"])]


class Schedule(HsdsModel):
    """Opening hours as an RFC 5545 recurrence (freq, byday, ...) with opens_at/closes_at,
    evaluated in the location's IANA time zone.

    Conventions (mend/search/hours.py reads them; docs/directory-data.md): ``closes_at``
    at or before ``opens_at`` ends the next day, so 00:00-00:00 is 24 hours (an imported
    "24:00" is stored as 00:00); a row with neither time but a ``valid_from`` is a
    closure (a holiday), whose ``description`` says why.
    """

    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedules",
        db_constraint=False,
    )
    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedules",
        db_constraint=False,
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedules",
        db_constraint=False,
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    timezone = models.FloatField(null=True, blank=True)  # HSDS: UTC offset; we prefer time_zone
    until = models.DateField(null=True, blank=True)
    count = models.PositiveIntegerField(null=True, blank=True)
    wkst = short(2)
    freq = short(16)  # WEEKLY | MONTHLY
    interval = models.PositiveIntegerField(null=True, blank=True)
    byday = short(100)
    byweekno = short(100)
    bymonthday = short(100)
    byyearday = short(100)
    description = text()
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    schedule_link = short(500)
    attending_type = short()
    notes = text()
    translations = translations()


class Accessibility(HsdsModel):
    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="accessibility",
        db_constraint=False,
    )
    description = text()
    details = text()
    url = short(500)
    translations = translations()

    class Meta:
        verbose_name_plural = "accessibility"


class CostOption(HsdsModel):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="cost_options", db_constraint=False
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = text()
    currency = short(3)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    amount_description = text()
    translations = translations()


class ServiceArea(HsdsModel):
    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="service_areas",
        db_constraint=False,
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="service_areas",
        db_constraint=False,
    )
    name = short()
    description = text()
    extent = text()
    extent_type = short(32)
    uri = short(500)
    translations = translations()


class Attribute(HsdsModel):
    """Links any record (link_entity + link_id) to a taxonomy term: this is how a service
    gets its Mend service types, eligibility and accessibility terms."""

    link_id = models.UUIDField(null=True, blank=True)
    taxonomy_term = models.ForeignKey(
        TaxonomyTerm,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attributes",
        db_constraint=False,
    )
    link_type = short(100)
    link_entity = short(64)
    value = text()
    label = short()

    class Meta:
        indexes = [models.Index(fields=["link_entity", "link_id"])]


class Funding(HsdsModel):
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="funding",
        db_constraint=False,
    )
    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="funding",
        db_constraint=False,
    )
    source = text()


class RequiredDocument(HsdsModel):
    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="required_documents",
        db_constraint=False,
    )
    document = text()
    uri = short(500)
    translations = translations()


class Unit(HsdsModel):
    """What a service capacity counts ("Bed", "Hours")."""

    name = short()
    scheme = short()
    identifier = short()
    uri = short(500)


class ServiceCapacity(HsdsModel):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="capacities", db_constraint=False
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="capacities", db_constraint=False
    )
    available = models.FloatField(null=True, blank=True)
    maximum = models.FloatField(null=True, blank=True)
    description = text()
    updated = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "service capacities"


class OrganizationIdentifier(HsdsModel):
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="organization_identifiers",
        db_constraint=False,
    )
    identifier_scheme = short()
    identifier_type = short()
    identifier = short()


class Url(HsdsModel):
    """An extra labelled link: a service's additional_urls, an organization's
    additional_websites."""

    label = short()
    url = short(500)
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="additional_websites",
        db_constraint=False,
    )
    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="additional_urls",
        db_constraint=False,
    )


class Metadata(HsdsModel):
    """Provenance: one change to one field of one record (resource_type + resource_id)."""

    resource_id = models.UUIDField(null=True, blank=True, db_index=True)
    resource_type = short(64)
    last_action_date = models.DateField(null=True, blank=True)
    last_action_type = short(64)
    field_name = short(100)
    previous_value = text()
    replacement_value = text()
    updated_by = short()

    class Meta:
        verbose_name_plural = "metadata"


class MetaTableDescription(HsdsModel):
    name = short()
    language = short(20)
    character_set = short(50)
