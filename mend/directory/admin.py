"""Editors maintain the directory in the admin (OTPAdminSite at /staff/admin/).

One door: only active staff whose role is editor or admin may see or change directory
records, whatever Django permissions they hold (``may_edit_directory``). The site
itself already refuses anyone without a verified second factor. Saving a service,
location or organization refreshes the affected search index rows.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Model
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mend.accounts.roles import is_editor
from mend.directory import models as m
from mend.directory import taxonomy
from mend.directory.actions import do_refresh_search_index, do_set_record_terms

PRIVACY_NOTE = (
    "Hidden and on-request addresses never leave Mend in public pages, the API or public "
    "exports, and no map position, distance or directions are shown for them. Do not "
    "write the address into a description or a name: free text is always public."
)


def may_edit_directory(request: HttpRequest) -> bool:
    return is_editor(request.user)


class DirectoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_edit_directory(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return may_edit_directory(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return may_edit_directory(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return may_edit_directory(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return may_edit_directory(request)


class DirectoryInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return may_edit_directory(request)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return may_edit_directory(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return may_edit_directory(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return may_edit_directory(request)


# --- Mend taxonomy terms as check boxes (stored as HSDS attribute rows) -------------------


def term_field(name: str, label: str) -> forms.ModelMultipleChoiceField:  # type: ignore[type-arg]
    return forms.ModelMultipleChoiceField(
        queryset=m.TaxonomyTerm.objects.filter(taxonomy=name).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=label,
    )


class TermsForm(ModelForm):  # type: ignore[type-arg]
    """A form whose ``terms`` fields (field name -> taxonomy) show the record's attributes."""

    terms: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            return
        linked = m.Attribute.objects.filter(link_id=self.instance.pk)
        for field, taxonomy_name in self.terms.items():
            chosen = linked.filter(taxonomy_term__taxonomy=taxonomy_name)
            self.fields[field].initial = list(chosen.values_list("taxonomy_term_id", flat=True))

    def save_terms(self, entity: str) -> None:
        for field, taxonomy_name in self.terms.items():
            terms = self.cleaned_data.get(field) or []
            do_set_record_terms(entity, self.instance.pk, taxonomy_name, terms)


class ServiceForm(TermsForm):
    terms = {"service_types": taxonomy.SERVICE_TYPE, "eligibility": taxonomy.ELIGIBILITY}
    service_types = term_field(taxonomy.SERVICE_TYPE, "Service types")
    eligibility = term_field(taxonomy.ELIGIBILITY, "Who it is for")


class LocationForm(TermsForm):
    terms = {"accessibility_terms": taxonomy.ACCESSIBILITY}
    accessibility_terms = term_field(taxonomy.ACCESSIBILITY, "Accessibility")


# --- services -------------------------------------------------------------------------


class PhoneInline(DirectoryInline):
    model = m.Phone
    fields = ("number", "extension", "type", "description")


class ScheduleInline(DirectoryInline):
    model = m.Schedule
    fields = (
        "freq",
        "byday",
        "bymonthday",
        "opens_at",
        "closes_at",
        "valid_from",
        "valid_to",
        "description",
    )


class LanguageInline(DirectoryInline):
    model = m.Language
    fields = ("code", "name", "note")


class CostOptionInline(DirectoryInline):
    model = m.CostOption
    fields = ("option", "amount", "currency", "amount_description", "valid_from", "valid_to")


class ServiceAtLocationInline(DirectoryInline):
    model = m.ServiceAtLocation
    fields = ("location", "description")
    autocomplete_fields = ("location",)


@admin.register(m.Service)
class ServiceAdmin(DirectoryAdmin):
    form = ServiceForm
    list_display = ("name", "organization", "status", "assured_date")
    list_filter = ("status",)
    search_fields = ("name", "organization__name")
    autocomplete_fields = ("organization",)
    raw_id_fields = ("program",)
    inlines = (
        PhoneInline,
        ScheduleInline,
        LanguageInline,
        CostOptionInline,
        ServiceAtLocationInline,
    )
    fieldsets = (
        (None, {"fields": ("name", "alternate_name", "organization", "program", "status")}),
        ("About", {"fields": ("description", "url", "email", "alert")}),
        (
            "Who it is for",
            {
                "fields": (
                    "service_types",
                    "eligibility",
                    "eligibility_description",
                    "minimum_age",
                    "maximum_age",
                )
            },
        ),
        (
            "How to get it",
            {
                "fields": (
                    "offered_remotely",
                    "application_process",
                    "interpretation_services",
                    "wait_time",
                    "fees_description",
                    "fees",
                )
            },
        ),
        (
            "Last checked",
            {"fields": ("assured_date", "assurer_email", "accreditations", "licenses")},
        ),
        ("Translations", {"fields": ("translations",), "classes": ("collapse",)}),
    )

    def save_related(
        self,
        request: HttpRequest,
        form: Any,
        formsets: list[BaseInlineFormSet],  # type: ignore[type-arg]
        change: bool,
    ) -> None:
        super().save_related(request, form, formsets, change)
        form.save_terms("service")
        do_refresh_search_index([form.instance.pk], now=timezone.now())
        service = form.instance
        if not service.offered_remotely and not service.service_at_locations.exists():
            messages.warning(
                request,
                _(
                    "This service has no location and is not marked as offered by phone or "
                    "online, so searches near a place will not show it. Add a location, or "
                    "tick “Offered by phone or online”."
                ),
            )


# --- locations ------------------------------------------------------------------------


class AddressInline(DirectoryInline):
    model = m.Address
    fields = (
        "address_1",
        "address_2",
        "city",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    )


class AccessibilityInline(DirectoryInline):
    model = m.Accessibility
    fields = ("description", "details", "url")


@admin.register(m.Location)
class LocationAdmin(DirectoryAdmin):
    form = LocationForm
    list_display = ("__str__", "address_visibility", "location_type", "organization", "time_zone")
    list_filter = ("address_visibility", "location_type")
    search_fields = ("name", "organization__name")
    autocomplete_fields = ("organization",)
    radio_fields = {"address_visibility": admin.VERTICAL}
    inlines = (AddressInline, AccessibilityInline)
    fieldsets = (
        ("Address privacy", {"fields": ("address_visibility",), "description": PRIVACY_NOTE}),
        (None, {"fields": ("name", "alternate_name", "location_type", "organization", "url")}),
        ("Getting there", {"fields": ("description", "transportation", "accessibility_terms")}),
        (
            "Position and time zone",
            {
                "fields": (
                    "latitude",
                    "longitude",
                    "time_zone",
                    "external_identifier",
                    "external_identifier_type",
                )
            },
        ),
        ("Translations", {"fields": ("translations",), "classes": ("collapse",)}),
    )

    def save_related(
        self,
        request: HttpRequest,
        form: Any,
        formsets: list[BaseInlineFormSet],  # type: ignore[type-arg]
        change: bool,
    ) -> None:
        super().save_related(request, form, formsets, change)
        form.save_terms("location")
        at_location = m.ServiceAtLocation.objects.filter(location_id=form.instance.pk)
        do_refresh_search_index(
            at_location.values_list("service_id", flat=True), now=timezone.now()
        )


# --- organizations and taxonomy -------------------------------------------------------


@admin.register(m.Organization)
class OrganizationAdmin(DirectoryAdmin):
    list_display = ("name", "email", "website")
    search_fields = ("name", "alternate_name")
    raw_id_fields = ("parent_organization",)
    fields = (
        "name",
        "alternate_name",
        "description",
        "email",
        "website",
        "legal_status",
        "tax_status",
        "tax_id",
        "year_incorporated",
        "logo",
        "uri",
        "parent_organization",
        "translations",
    )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        do_refresh_search_index(obj.services.values_list("id", flat=True), now=timezone.now())


@admin.register(m.Taxonomy)
class TaxonomyAdmin(DirectoryAdmin):
    list_display = ("name", "version", "uri")
    search_fields = ("name",)


@admin.register(m.TaxonomyTerm)
class TaxonomyTermAdmin(DirectoryAdmin):
    list_display = ("name", "code", "taxonomy")
    list_filter = ("taxonomy",)
    search_fields = ("name", "code")
    raw_id_fields = ("parent", "taxonomy_detail")
