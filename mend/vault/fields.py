"""The guided form: what a record can hold. Every field is optional.

The words are chosen to be plain and non-blaming (STYLE rule 9): nothing asks why, or what
she did; "what I want now" has no wrong answer. The field names are what the browser puts
inside the encrypted record; the server never sees their values.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Field:
    name: str
    label: Promise
    hint: Promise | str = ""
    kind: str = "long"  # long (textarea), text (one line) or date


@dataclass(frozen=True)
class Group:
    key: str
    legend: Promise
    fields: tuple[Field, ...]


GROUPS = (
    Group(
        "about",
        _("About this record"),
        (
            Field(
                "title",
                _("A name for this record"),
                _("Only you will see it. For example: “March, at work”."),
                "text",
            ),
        ),
    ),
    Group(
        "what",
        _("What happened"),
        (
            Field(
                "what",
                _("What happened"),
                _("Write as much or as little as you want, in any order. You can add more later."),
            ),
        ),
    ),
    Group(
        "when",
        _("When and where"),
        (
            Field("when_date", _("The date, if you know it"), "", "date"),
            Field(
                "when_approx",
                _("Or roughly when"),
                _("For example: “spring 2023”, “after the office party”."),
                "text",
            ),
            Field("where", _("Where it happened")),
        ),
    ),
    Group(
        "people",
        _("People"),
        (
            Field(
                "who",
                _("Who was involved"),
                _("Names stay inside your locked record. Only you can read them."),
            ),
            Field("witnesses", _("Anyone who saw or heard something, or whom you told")),
        ),
    ),
    Group(
        "evidence",
        _("Evidence"),
        (
            Field(
                "evidence",
                _("Evidence you have kept, and where it is"),
                _("For example: messages, emails, photos, a diary, medical notes."),
            ),
        ),
    ),
    Group(
        "effects",
        _("How it has affected you"),
        (
            Field("effects_health", _("Your health and wellbeing")),
            Field("effects_work", _("Your work, studies or money")),
            Field("effects_life", _("Your daily life and relationships")),
        ),
    ),
    Group(
        "wants",
        _("What you want now"),
        (
            Field(
                "wants",
                _("What you want now"),
                _("There is no right answer. It is fine not to know yet, or to change your mind."),
            ),
        ),
    ),
    Group("notes", _("Anything else"), (Field("notes", _("Other notes")),)),
)


def field_labels() -> list[dict[str, str]]:
    """For the scripts that show a record (view, print): name, label and kind of each field."""
    return [
        {"name": f.name, "label": str(f.label), "kind": f.kind} for g in GROUPS for f in g.fields
    ]
