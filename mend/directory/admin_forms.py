"""The directory admin's forms: HSDS checks next to the field they concern, taxonomy
terms as check boxes, and table rows whose controls are labelled for screen readers.

``HsdsForm`` holds a form to the rules an import is held to (``hsds.editing``). It only
validates; the admin saves a form and all its rows in one transaction, and only when
every one of them is valid, so an error leaves nothing half-written.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from mend.directory import models as m
from mend.directory import taxonomy
from mend.directory.actions import do_set_record_terms
from mend.directory.hsds.editing import record_problems
from mend.directory.hsds.problems import WARNING


class LabelledFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    """A table row's controls sit under column headers, which do not label them: each
    gets its column's name, so a screen reader says what it is (WCAG 1.3.1, 4.1.2)."""

    def add_fields(self, form: Any, index: int | None) -> None:
        super().add_fields(form, index)
        for name, field in form.fields.items():
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("aria-label", str(field.label or name))


# --- the HSDS checks, next to the field they concern ------------------------------------


class HsdsForm(ModelForm):  # type: ignore[type-arg]
    """A form held to the HSDS rules an import is held to (``hsds.editing``): an error
    stands next to its field and nothing is saved (the admin saves the form and its
    inlines in one transaction, only when all are valid); a warning is kept for the
    admin to show after the save."""

    hsds_table = ""
    hsds_warnings: list[str]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.hsds_warnings = []
        values = {name: cleaned[name] for name in self.fields if name in cleaned}
        for problem in record_problems(self.hsds_table, values):
            if problem.level == WARNING:
                label = self.fields[problem.field].label or problem.field
                self.hsds_warnings.append(f"{label}: {problem.reason}")
            elif problem.field in self.fields:
                self.add_error(problem.field, problem.reason)
            else:
                self.add_error(None, f"{problem.field}: {problem.reason}")
        return cleaned


def hsds_form(table: str) -> type[HsdsForm]:
    return type(f"{table.title()}HsdsForm", (HsdsForm,), {"hsds_table": table})


def tell_warnings(request: HttpRequest, saved: list[Any]) -> None:
    for form in saved:
        for warning in getattr(form, "hsds_warnings", []):
            messages.warning(request, warning)


# --- Mend taxonomy terms as check boxes (stored as HSDS attribute rows) -------------------


def term_field(name: str, label: str) -> forms.ModelMultipleChoiceField:  # type: ignore[type-arg]
    return forms.ModelMultipleChoiceField(
        queryset=m.TaxonomyTerm.objects.filter(taxonomy=name).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=label,
    )


class TermsForm(HsdsForm):
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
    hsds_table = "service"
    terms = {"service_types": taxonomy.SERVICE_TYPE, "eligibility": taxonomy.ELIGIBILITY}
    service_types = term_field(taxonomy.SERVICE_TYPE, "Service types")
    eligibility = term_field(taxonomy.ELIGIBILITY, "Who it is for")


class LocationForm(TermsForm):
    hsds_table = "location"
    terms = {"accessibility_terms": taxonomy.ACCESSIBILITY}
    accessibility_terms = term_field(taxonomy.ACCESSIBILITY, "Accessibility")
