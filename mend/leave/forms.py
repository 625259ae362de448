from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class PolicyForm(forms.Form):
    """The employer's choice of jurisdictions (only codes Mend has rules for)."""

    j = forms.MultipleChoiceField(
        label=_("Where do you employ people?"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one place where you employ people."),
            "invalid_choice": _("Mend has no rules for “%(value)s”. Choose from the list."),
        },
    )
    download = forms.BooleanField(required=False)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["j"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices
