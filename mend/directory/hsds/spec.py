"""The HSDS 3.1 tables as Mend stores them: fields, references and JSON nesting.

Field order and names follow the HSDS data package (datapackage.json), so CSV columns
come out in the published order; Mend's profile fields (``profile=True``) follow them.
One spec drives reading, checking, writing and exporting, so the four cannot drift.

Human Services Data Specification: an Open Referral resource (https://openreferral.org/),
CC BY-SA 4.0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db import models

from mend.directory import models as m
from mend.directory.hsds import coerce
from mend.directory.hsds.profile import ADDRESS_VISIBILITIES, time_zone_problem

Check = Callable[[Any], str | None]


@dataclass(frozen=True)
class Field:
    """One column. ``kind`` is one of: uuid, ref, text (free text, translatable), str,
    whole, float, decimal, date, datetime, time, choice, translations, zone, bool."""

    name: str
    kind: str = "str"
    required: bool = False
    target: str = ""  # ref: the table it points at
    hard: bool = False  # ref: enforced by the database, so it must resolve
    attname: str = ""  # the model attribute when it differs from ``name``
    choices: tuple[str, ...] = ()
    check: Check | None = None  # a further check of the stored value (an error)
    advice: Check | None = None  # a doubt about the stored value (a warning)
    # Why an empty value is an error where the model's default would be unsafe; "": the
    # model's default (or null) stands for an empty value, as for every other field.
    if_empty: str = ""
    profile: bool = False  # a Mend extension field, not HSDS

    @property
    def column(self) -> str:
        return self.attname or self.name


@dataclass(frozen=True)
class Relation:
    """How a nested JSON key links two tables.

    ``many``: an array whose items carry ``field`` = the parent's id. Otherwise one object
    whose id the parent carries in its own ``field``. ``entity`` names the field that
    says which table the parent is (attributes' link_entity, metadata's resource_type).
    ``inherit``: a program nested in a service belongs to the service's organization.
    """

    key: str
    table: str
    field: str
    many: bool = True
    entity: str = ""
    inherit: str = ""  # a field the nested object takes from its parent when it has none


@dataclass(frozen=True)
class Table:
    name: str
    path: str
    model: type[models.Model]
    fields: tuple[Field, ...]
    relations: tuple[Relation, ...] = ()

    @cached_property
    def by_name(self) -> dict[str, Field]:
        return {field.name: field for field in self.fields}

    @cached_property
    def coercers(self) -> dict[str, coerce.Coercer]:
        return {field.name: _coercer(self.model, field) for field in self.fields}

    @cached_property
    def text_lengths(self) -> dict[str, int | None]:
        """Fields whose value is the text as given, with nothing further to check: name
        -> the most characters that fit (None: any number)."""
        return {
            field.name: getattr(self.model._meta.get_field(field.column), "max_length", None)
            for field in self.fields
            if field.kind in ("str", "text") and field.check is None and field.advice is None
        }

    @cached_property
    def empties(self) -> dict[str, Any]:
        """What an empty cell or a JSON null stores: the model's default, else null or ""."""
        out: dict[str, Any] = {}
        for field in self.fields:
            model_field = self.model._meta.get_field(field.column)
            assert isinstance(model_field, models.Field)
            if model_field.has_default():
                out[field.name] = model_field.get_default()
            else:
                out[field.name] = None if model_field.null else ""
        return out

    @cached_property
    def text_fields(self) -> frozenset[str]:
        """The free-text fields a ``translations`` value may translate."""
        return frozenset(field.name for field in self.fields if field.kind == "text")

    @cached_property
    def keys(self) -> frozenset[str]:
        """Every key a JSON object of this table may have."""
        return frozenset(self.by_name) | {relation.key for relation in self.relations}


def _coercer(model: type[models.Model], field: Field) -> coerce.Coercer:
    simple: dict[str, coerce.Coercer] = {
        "uuid": coerce.to_uuid,
        "ref": coerce.to_uuid,
        "float": coerce.to_float,
        "date": coerce.to_date,
        "datetime": coerce.to_datetime,
        "time": coerce.to_time,
        "translations": coerce.to_json_object,
        "zone": coerce.string(64),
        "bool": coerce.to_bool,
    }
    if field.kind in simple:
        return simple[field.kind]
    model_field = model._meta.get_field(field.column)
    if field.kind == "whole":
        small = isinstance(model_field, models.PositiveSmallIntegerField)
        return coerce.whole(32767 if small else 2147483647)
    if field.kind == "decimal":
        assert isinstance(model_field, models.DecimalField)
        return coerce.decimal(model_field.max_digits or 12, model_field.decimal_places or 2)
    if field.kind == "choice":
        return coerce.choice(field.choices)
    return coerce.string(getattr(model_field, "max_length", None))


def f(name: str, kind: str = "str", **options: Any) -> Field:
    return Field(name, kind, **options)


def email(name: str) -> Field:
    return Field(name, "str", check=coerce.email_problem)


def web(name: str, **options: Any) -> Field:
    return Field(name, "str", check=coerce.url_problem, **options)


def ref(name: str, target: str, **options: Any) -> Field:
    return Field(name, "ref", target=target, **options)


ID = Field("id", "uuid", required=True)
TRANSLATIONS = Field("translations", "translations", profile=True)
ATTRIBUTES = Relation("attributes", "attribute", "link_id", entity="link_entity")
METADATA = Relation("metadata", "metadata", "resource_id", entity="resource_type")
EXTRAS = (ATTRIBUTES, METADATA)
STATUSES = ("active", "inactive", "defunct", "temporarily closed")
LOCATION_TYPES = ("physical", "postal", "virtual")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _table(name: str, path: str, model: type[models.Model], *fields: Field, **kw: Any) -> Table:
    return Table(name, path, model, (ID, *fields), **kw)


TABLES: tuple[Table, ...] = (
    _table(
        "taxonomy",
        "taxonomies.csv",
        m.Taxonomy,
        f("name", "text", required=True),
        f("description", "text", required=True),
        f("uri"),
        f("version"),
        TRANSLATIONS,
        relations=(METADATA,),
    ),
    _table(
        "taxonomy_term",
        "taxonomy_terms.csv",
        m.TaxonomyTerm,
        f("code"),
        f("name", "text", required=True),
        f("description", "text", required=True),
        ref("parent_id", "taxonomy_term"),
        f("taxonomy"),
        f("language"),
        ref("taxonomy_id", "taxonomy", attname="taxonomy_detail_id"),
        f("term_uri"),
        TRANSLATIONS,
        relations=(Relation("taxonomy_detail", "taxonomy", "taxonomy_id", many=False), METADATA),
    ),
    _table(
        "organization",
        "organizations.csv",
        m.Organization,
        f("name", "text", required=True),
        f("alternate_name", "text"),
        f("description", "text", required=True),
        email("email"),
        web("website"),
        f("tax_status"),
        f("tax_id"),
        f("year_incorporated", "whole"),
        f("legal_status"),
        f("logo"),
        f("uri"),
        ref("parent_organization_id", "organization"),
        TRANSLATIONS,
        relations=(
            Relation("additional_websites", "url", "organization_id"),
            Relation("funding", "funding", "organization_id"),
            Relation("contacts", "contact", "organization_id"),
            Relation("phones", "phone", "organization_id"),
            Relation("locations", "location", "organization_id"),
            Relation("programs", "program", "organization_id"),
            Relation("organization_identifiers", "organization_identifier", "organization_id"),
            *EXTRAS,
            Relation("services", "service", "organization_id"),
        ),
    ),
    _table(
        "program",
        "programs.csv",
        m.Program,
        ref("organization_id", "organization", required=True),
        f("name", "text", required=True),
        f("alternate_name", "text"),
        f("description", "text", required=True),
        TRANSLATIONS,
        relations=EXTRAS,
    ),
    _table(
        "service",
        "services.csv",
        m.Service,
        ref("organization_id", "organization", required=True, hard=True),
        ref("program_id", "program"),
        f("name", "text", required=True),
        f("alternate_name", "text"),
        f("description", "text"),
        web("url"),
        email("email"),
        f("status", "choice", required=True, choices=STATUSES),
        f("interpretation_services", "text"),
        f("application_process", "text"),
        f("fees_description", "text"),
        f("wait_time", "text"),
        f("fees", "text"),
        f("accreditations", "text"),
        f("eligibility_description", "text"),
        f("minimum_age", "whole"),
        f("maximum_age", "whole"),
        f("assured_date", "date"),
        email("assurer_email"),
        f("licenses", "text"),
        f("alert", "text"),
        f("last_modified", "datetime"),
        f("offered_remotely", "bool", profile=True),
        TRANSLATIONS,
        relations=(
            Relation("additional_urls", "url", "service_id"),
            Relation("phones", "phone", "service_id"),
            Relation("schedules", "schedule", "service_id"),
            Relation("service_areas", "service_area", "service_id"),
            Relation("service_at_locations", "service_at_location", "service_id"),
            Relation("languages", "language", "service_id"),
            Relation("organization", "organization", "organization_id", many=False),
            Relation("funding", "funding", "service_id"),
            Relation("cost_options", "cost_option", "service_id"),
            Relation("program", "program", "program_id", many=False, inherit="organization_id"),
            Relation("required_documents", "required_document", "service_id"),
            Relation("contacts", "contact", "service_id"),
            Relation("capacities", "service_capacity", "service_id"),
            *EXTRAS,
        ),
    ),
    _table(
        "location",
        "locations.csv",
        m.Location,
        f("location_type", "choice", required=True, choices=LOCATION_TYPES),
        web("url"),
        ref("organization_id", "organization"),
        f("name", "text"),
        f("alternate_name", "text"),
        f("description", "text"),
        f("transportation", "text"),
        f("latitude", "float", advice=coerce.range_advice(-90, 90)),
        f("longitude", "float", advice=coerce.range_advice(-180, 180)),
        f("external_identifier"),
        f("external_identifier_type"),
        f(
            "address_visibility",
            "choice",
            choices=ADDRESS_VISIBILITIES,
            profile=True,
            # Its default is public: an empty cell or a null from a feed would publish a
            # hidden shelter's address (found by a review). Left out, the field keeps
            # what is stored.
            if_empty=(
                "is empty; write public, on_request or hidden, or leave the field out to "
                "keep what is stored (empty would make the address public)"
            ),
        ),
        f("time_zone", "zone", profile=True, check=time_zone_problem),
        TRANSLATIONS,
        relations=(
            Relation("languages", "language", "location_id"),
            Relation("addresses", "address", "location_id"),
            Relation("contacts", "contact", "location_id"),
            Relation("accessibility", "accessibility", "location_id"),
            Relation("phones", "phone", "location_id"),
            Relation("schedules", "schedule", "location_id"),
            *EXTRAS,
        ),
    ),
    _table(
        "service_at_location",
        "service_at_location.csv",
        m.ServiceAtLocation,
        ref("service_id", "service", required=True, hard=True),
        ref("location_id", "location", required=True, hard=True),
        f("description", "text"),
        TRANSLATIONS,
        relations=(
            Relation("service_areas", "service_area", "service_at_location_id"),
            Relation("contacts", "contact", "service_at_location_id"),
            Relation("phones", "phone", "service_at_location_id"),
            Relation("schedules", "schedule", "service_at_location_id"),
            Relation("location", "location", "location_id", many=False),
            *EXTRAS,
            Relation("service", "service", "service_id", many=False),
        ),
    ),
    _table(
        "address",
        "addresses.csv",
        m.Address,
        # Optional in HSDS; Mend keeps no address without its location, whose
        # address_visibility decides whether the address may ever be shown.
        ref("location_id", "location", required=True),
        f("attention"),
        f("address_1", required=True),
        f("address_2"),
        f("city", required=True),
        f("region"),
        f("state_province", required=True),
        f("postal_code", required=True),
        f("country", required=True),
        f("address_type", "choice", required=True, choices=LOCATION_TYPES),
        relations=EXTRAS,
    ),
    _table(
        "contact",
        "contacts.csv",
        m.Contact,
        ref("organization_id", "organization"),
        ref("service_id", "service"),
        ref("service_at_location_id", "service_at_location"),
        ref("location_id", "location"),
        f("name"),
        f("title"),
        f("department"),
        email("email"),
        relations=(Relation("phones", "phone", "contact_id"), *EXTRAS),
    ),
    _table(
        "phone",
        "phones.csv",
        m.Phone,
        ref("location_id", "location"),
        ref("service_id", "service"),
        ref("organization_id", "organization"),
        ref("contact_id", "contact"),
        ref("service_at_location_id", "service_at_location"),
        f("number", required=True),
        f("extension", "whole"),
        f("type"),
        f("description", "text"),
        TRANSLATIONS,
        relations=(Relation("languages", "language", "phone_id"), *EXTRAS),
    ),
    _table(
        "schedule",
        "schedules.csv",
        m.Schedule,
        ref("service_id", "service"),
        ref("location_id", "location"),
        ref("service_at_location_id", "service_at_location"),
        f("valid_from", "date"),
        f("valid_to", "date"),
        f("dtstart", "date"),
        f("timezone", "float"),
        f("until", "date"),
        f("count", "whole"),
        f("wkst", "choice", choices=WEEKDAYS),
        f("freq", "choice", choices=("WEEKLY", "MONTHLY")),
        f("interval", "whole"),
        f("byday", check=coerce.byday_problem),
        f("byweekno", check=coerce.number_list_problem),
        f("bymonthday", check=coerce.number_list_problem),
        f("byyearday", check=coerce.number_list_problem),
        f("description", "text"),
        f("opens_at", "time"),
        f("closes_at", "time"),
        f("schedule_link"),
        f("attending_type", "text"),
        f("notes", "text"),
        TRANSLATIONS,
        relations=EXTRAS,
    ),
    _table(
        "funding",
        "funding.csv",
        m.Funding,
        ref("organization_id", "organization"),
        ref("service_id", "service"),
        f("source", "text"),
        relations=EXTRAS,
    ),
    _table(
        "service_area",
        "service_areas.csv",
        m.ServiceArea,
        ref("service_id", "service"),
        ref("service_at_location_id", "service_at_location"),
        f("name", "text"),
        f("description", "text"),
        f("extent"),
        f("extent_type"),
        f("uri"),
        TRANSLATIONS,
        relations=EXTRAS,
    ),
    _table(
        "required_document",
        "required_documents.csv",
        m.RequiredDocument,
        ref("service_id", "service"),
        f("document", "text"),
        f("uri"),
        TRANSLATIONS,
        relations=EXTRAS,
    ),
    _table(
        "language",
        "languages.csv",
        m.Language,
        ref("service_id", "service"),
        ref("location_id", "location"),
        ref("phone_id", "phone"),
        f("name"),
        f("code"),
        f("note", "text"),
        relations=EXTRAS,
    ),
    _table(
        "accessibility",
        "accessibility.csv",
        m.Accessibility,
        ref("location_id", "location"),
        f("description", "text"),
        f("details", "text"),
        web("url"),
        TRANSLATIONS,
        relations=EXTRAS,
    ),
    _table(
        "attribute",
        "attributes.csv",
        m.Attribute,
        f("link_id", "uuid", required=True),
        ref("taxonomy_term_id", "taxonomy_term", required=True),
        f("link_type"),
        f("link_entity", required=True),
        f("value", "text"),
        f("label", "text"),
        relations=(
            Relation("taxonomy_term", "taxonomy_term", "taxonomy_term_id", many=False),
            METADATA,
        ),
    ),
    _table(
        "metadata",
        "metadata.csv",
        m.Metadata,
        f("resource_id", "uuid", required=True),
        f("resource_type", required=True),
        f("last_action_date", "date", required=True),
        f("last_action_type", required=True),
        f("field_name", required=True),
        # Required in HSDS, but "" is a real previous value (the field was empty).
        f("previous_value", "text"),
        f("replacement_value", "text"),
        f("updated_by", required=True),
    ),
    _table(
        "meta_table_description",
        "meta_table_descriptions.csv",
        m.MetaTableDescription,
        f("name"),
        f("language"),
        f("character_set"),
        relations=EXTRAS,
    ),
    _table(
        "cost_option",
        "cost_options.csv",
        m.CostOption,
        ref("service_id", "service", required=True),
        f("valid_from", "date"),
        f("valid_to", "date"),
        f("option", "text"),
        f("currency"),
        f("amount", "decimal"),
        f("amount_description", "text"),
        TRANSLATIONS,
        relations=EXTRAS,
    ),
    _table(
        "organization_identifier",
        "organization_identifiers.csv",
        m.OrganizationIdentifier,
        ref("organization_id", "organization", required=True),
        f("identifier_scheme"),
        f("identifier_type", required=True),
        f("identifier", required=True),
        relations=EXTRAS,
    ),
    _table(
        "unit",
        "units.csv",
        m.Unit,
        f("name", "text", required=True),
        f("scheme"),
        f("identifier"),
        f("uri"),
        relations=EXTRAS,
    ),
    _table(
        "service_capacity",
        "service_capacity.csv",
        m.ServiceCapacity,
        ref("service_id", "service", required=True),
        ref("unit_id", "unit", required=True),
        f("available", "float", required=True),
        f("maximum", "float"),
        f("description", "text"),
        f("updated", "datetime", required=True),
        relations=(Relation("unit", "unit", "unit_id", many=False), *EXTRAS),
    ),
    _table(
        "url",
        "url.csv",
        m.Url,
        f("label", "text"),
        web("url", required=True),
        ref("organization_id", "organization"),
        ref("service_id", "service"),
        relations=EXTRAS,
    ),
)

BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}
BY_PATH: dict[str, Table] = {table.path: table for table in TABLES}
# What an import file may hold at its top level without saying what it is.
TOP_LEVEL = (
    "service",
    "organization",
    "service_at_location",
    "location",
    "taxonomy_term",
    "taxonomy",
)


def nesting_fields(table: Table) -> frozenset[str]:
    """References that nested JSON expresses by nesting, so a nested object omits them
    (as the HSDS examples do): the parent's id in a child, or a nested object's id."""
    into = {r.field for t in TABLES for r in t.relations if r.many and r.table == table.name}
    own = {r.field for r in table.relations if not r.many}
    return frozenset(into | own)
