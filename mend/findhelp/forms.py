"""The "Find help" search form: a GET form that works without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from mend.directory import taxonomy
from mend.findhelp.display import language_name
from mend.search.params import DEFAULT_RADIUS_KM, MAX_PLACE, MAX_TEXT, SearchParams

RADIUS_CHOICES = [
    ("5", _("5 km (3 miles)")),
    ("10", _("10 km (6 miles)")),
    ("25", _("25 km (15 miles)")),
    ("40", _("40 km (25 miles)")),
    ("80", _("80 km (50 miles)")),
    ("160", _("160 km (100 miles)")),
]
DEFAULT_RADIUS = f"{DEFAULT_RADIUS_KM:g}"  # one of RADIUS_CHOICES
# Languages most often offered by US services; the API accepts any ISO 639-1 code.
LANGUAGE_CODES = ("en", "es", "zh", "vi", "tl", "ko", "ar", "fr", "ht", "ru", "pt", "ase")


def language_choices() -> list[tuple[str, str]]:
    """Named in the page's language (CLDR), so called for each form, not at import."""
    return [("", str(_("Any language")))] + [(c, language_name(c)) for c in LANGUAGE_CODES]


SORT_CHOICES = [
    ("", _("Best match")),
    ("distance", _("Nearest first")),
    ("name", _("Name")),
]


def term_choices(terms: tuple[taxonomy.Term, ...]) -> list[tuple[str, Any]]:
    return [(term.code, term.name) for term in terms]


class SearchForm(forms.Form):
    # Field names are the URL's parameters; the API uses the same ones where it can.
    q = forms.CharField(
        label=_("What are you looking for? (optional)"), required=False, max_length=MAX_TEXT
    )
    place = forms.CharField(
        label=_("Town, city or ZIP code (optional)"), required=False, max_length=MAX_PLACE
    )
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    radius_km = forms.ChoiceField(
        label=_("Distance"), choices=RADIUS_CHOICES, required=False, initial=DEFAULT_RADIUS
    )
    type = forms.MultipleChoiceField(
        label=_("Type of help"),
        choices=term_choices(taxonomy.SERVICE_TYPES),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    free = forms.BooleanField(label=_("Free of charge"), required=False)
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    open_at = forms.DateTimeField(
        label=_("Or open at this date and time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    language = forms.ChoiceField(label=_("Language"), choices=language_choices, required=False)
    eligibility = forms.MultipleChoiceField(
        label=_("Who it is for"),
        choices=term_choices(taxonomy.ELIGIBILITIES),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    accessibility = forms.MultipleChoiceField(
        label=_("Accessibility"),
        choices=term_choices(taxonomy.ACCESSIBILITY_FEATURES),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    in_person = forms.BooleanField(
        label=_("Only places I can visit (leave out phone and online help)"), required=False
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    page = forms.IntegerField(
        required=False, min_value=1, max_value=100_000, widget=forms.HiddenInput
    )

    def __init__(self, data: QueryDict | None = None) -> None:
        if data is not None and not data.get("radius_km"):
            # A search without a distance uses DEFAULT_RADIUS_KM. Bind that, so the form
            # shows and resubmits the distance in effect; a bound select without a value
            # showed its first choice (5 km), and the next search quietly used it.
            data = data.copy()
            data["radius_km"] = DEFAULT_RADIUS
        super().__init__(data)

    def to_params(self, page_size: int) -> SearchParams:
        data = self.cleaned_data
        open_at = data.get("open_at")
        if open_at is not None:
            # The person typed a wall-clock time at the place they search near.
            open_at = open_at.replace(tzinfo=None)
        return SearchParams(
            text=data.get("q") or "",
            place=data.get("place") or "",
            latitude=data.get("lat"),
            longitude=data.get("lng"),
            radius_km=float(data["radius_km"]) if data.get("radius_km") else None,
            types=tuple(data.get("type") or ()),
            free=bool(data.get("free")),
            languages=(data["language"],) if data.get("language") else (),
            eligibility=tuple(data.get("eligibility") or ()),
            accessibility=tuple(data.get("accessibility") or ()),
            open_now=bool(data.get("open_now")),
            open_at=open_at,
            include_remote=not data.get("in_person"),
            sort=data.get("sort") or "",
            page=data.get("page") or 1,
            per_page=page_size,
        )


# Which form field shows an error about which search parameter.
FIELD_FOR_PARAMETER = {
    "text": "q",
    "place": "place",
    "postcode": "place",
    "lat": "place",
    "lng": "place",
    "radius_km": "radius_km",
    "type": "type",
    "eligibility": "eligibility",
    "accessibility": "accessibility",
    "language": "language",
    "open_at": "open_at",
    "sort": "sort",
    "page": "page",
    "per_page": "page",
}
