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
from django.db.models import Model, QuerySet, TextField
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from mend.accounts.roles import is_editor
from mend.directory import models as m
from mend.directory.actions import do_refresh_search_index
from mend.directory.admin_forms import (
    LabelledFormSet,
    LocationForm,
    ServiceForm,
    hsds_form,
    tell_warnings,
)
from mend.directory.service_checks import problems_of, service_problems, with_checks

PRIVACY_NOTE = (
    "Hidden and on-request addresses never leave Mend in public pages, the API or public "
    "exports, and no map position, distance or directions are shown for them. Do not "
    "write the address into a description or a name: free text is always public."
)


def may_edit_directory(request: HttpRequest) -> bool:
    return is_editor(request.user)


class DirectoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    # HSDS free text is mostly a sentence or two: ten-row boxes made one long page.
    formfield_overrides = {TextField: {"widget": forms.Textarea(attrs={"rows": 3})}}

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
    formset = LabelledFormSet
    template = "admin/directory/edit_inline/tabular.html"
    formfield_overrides = {TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 30})}}
    section = ""  # the fieldset it stands under, where a change form groups inlines

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return may_edit_directory(request)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return may_edit_directory(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return may_edit_directory(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return may_edit_directory(request)


# --- services: one section for each thing an editor thinks about -------------------------
# Each inline names the section it belongs in; the change form template
# (templates/admin/directory/service/change_form.html) puts it after that section's fields.


class PhoneInline(DirectoryInline):
    model = m.Phone
    form = hsds_form("phone")
    section = "Contacts"
    fields = ("number", "extension", "type", "description")


class ContactInline(DirectoryInline):
    model = m.Contact
    form = hsds_form("contact")
    section = "Contacts"
    verbose_name_plural = "Contact people"
    fields = ("name", "title", "department", "email")


class ScheduleInline(DirectoryInline):
    model = m.Schedule
    form = hsds_form("schedule")
    section = "When"
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
    form = hsds_form("language")
    section = "Languages"
    verbose_name_plural = "Languages spoken"
    fields = ("code", "name", "note")


class CostOptionInline(DirectoryInline):
    model = m.CostOption
    form = hsds_form("cost_option")
    section = "Cost"
    fields = ("option", "amount", "currency", "amount_description", "valid_from", "valid_to")


class ServiceAtLocationInline(DirectoryInline):
    model = m.ServiceAtLocation
    form = hsds_form("service_at_location")
    section = "Where"
    verbose_name_plural = "Locations"
    fields = ("location", "location_link", "description")
    readonly_fields = ("location_link",)
    autocomplete_fields = ("location",)

    @admin.display(description="Edit the location")
    def location_link(self, obj: m.ServiceAtLocation) -> str:
        if obj.location_id is None:
            return "—"
        url = reverse("admin:directory_location_change", args=[obj.location_id])
        return format_html('<a href="{}">{}</a>', url, obj.location)


def section(name: str, help_text: str, *fields: str, collapse: bool = False) -> Any:
    options: dict[str, Any] = {"fields": fields, "description": help_text}
    if collapse:
        options["classes"] = ("collapse",)
    return (name, options)


@admin.register(m.Service)
class ServiceAdmin(DirectoryAdmin):
    form = ServiceForm
    change_form_template = "admin/directory/service/change_form.html"
    list_display = ("name", "organization", "status", "assured_date", "hsds_checks")
    list_filter = ("status",)
    search_fields = ("name", "organization__name")
    autocomplete_fields = ("organization",)
    raw_id_fields = ("program",)
    readonly_fields = ("accessibility_at_locations",)
    inlines = (
        ServiceAtLocationInline,
        ScheduleInline,
        CostOptionInline,
        LanguageInline,
        PhoneInline,
        ContactInline,
    )
    fieldsets = (
        section(
            "Who",
            "What the service is called, who runs it, what it offers, and whether it is open.",
            "name",
            "alternate_name",
            "organization",
            "program",
            "description",
            "service_types",
            "status",
            "offered_remotely",
            "alert",
        ),
        section(
            "Where",
            "The places it is offered at; each location sets its own address privacy.",
        ),
        section(
            "When",
            "Opening hours, as weekly or monthly rules in each location's time zone.",
            "wait_time",
        ),
        section("Cost", "What it costs; say plainly when it is free.", "fees_description", "fees"),
        section(
            "Eligibility",
            "Who it is for, and how to ask for it.",
            "eligibility",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "application_process",
        ),
        section(
            "Languages",
            "Languages spoken (codes such as es or zh-Hant), and interpreters.",
            "interpretation_services",
        ),
        section(
            "Accessibility",
            "Accessibility is recorded on each location: follow its link to change it.",
            "accessibility_at_locations",
        ),
        section(
            "Contacts",
            "How survivors reach it: at least one phone, email or website.",
            "url",
            "email",
        ),
        section(
            "Last checked",
            "When someone last confirmed these details, and the service's credentials.",
            "assured_date",
            "assurer_email",
            "accreditations",
            "licenses",
            collapse=True,
        ),
        section(
            "Translations",
            'Free text in other languages, as {"es": {"name": "…"}}.',
            "translations",
            collapse=True,
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[m.Service]:
        return with_checks(super().get_queryset(request))

    @admin.display(description="HSDS checks")
    def hsds_checks(self, service: m.Service) -> str:
        problems = service_problems(service)
        return "; ".join(p.label for p in problems) if problems else "No problems"

    @admin.display(description="Accessibility at its locations")
    def accessibility_at_locations(self, service: m.Service) -> SafeString | str:
        if service._state.adding:
            return "Save the service with a location first."
        locations = m.Location.objects.filter(service_at_locations__service=service)
        rows = [
            (
                reverse("admin:directory_location_change", args=[location.pk]),
                str(location),
                "; ".join(a.description for a in location.accessibility.all()) or "none recorded",
            )
            for location in locations.prefetch_related("accessibility").order_by("name")
        ]
        if not rows:
            return "No location yet."
        return format_html_join("", '<p><a href="{}">{}</a>: {}</p>', rows)

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
        tell_warnings(request, [form, *(f for formset in formsets for f in formset.forms)])
        for problem in problems_of(form.instance.pk):
            messages.warning(request, problem.message)


# --- locations ------------------------------------------------------------------------


class AddressInline(DirectoryInline):
    model = m.Address
    form = hsds_form("address")
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
    form = hsds_form("accessibility")
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
        tell_warnings(request, [form])
        at_location = m.ServiceAtLocation.objects.filter(location_id=form.instance.pk)
        do_refresh_search_index(
            at_location.values_list("service_id", flat=True), now=timezone.now()
        )


# --- organizations and taxonomy -------------------------------------------------------


@admin.register(m.Organization)
class OrganizationAdmin(DirectoryAdmin):
    # The import's rules, as for services: its website and email are the links a service
    # without its own shows (found by a review: the organisation's editor took javascript:).
    form = hsds_form("organization")
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
