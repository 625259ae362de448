"""Plain HTML forms of the training pages (no JavaScript needed anywhere)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mend.crypto.certificates import MAX_TEXT_BYTES, printed
from mend.training.actions import MAX_CODES_AT_ONCE, certificate_name_problem

# autocomplete names each field's purpose (WCAG 2.2, 1.3.5) so password managers help.
USERNAME_ATTRS = {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}


#: What to change in a name the certificate signer refuses (actions.certificate_name_problem).
NAME_PROBLEMS = {
    "empty": _("Write the name to print on your certificate."),
    "unprintable": _(
        "This name has a character that a certificate cannot print: an invisible one, such"
        " as a zero-width space or a direction mark, or a control character. Write the name"
        " without it (a space can take its place)."
    ),
    "untrimmed": _("Remove the spaces before and after the name."),
    "too_long": _(
        "Write a shorter name: a certificate has room for the first %(fit)s characters of"
        " this one (characters of some scripts take more room than others)."
    ),
}


def clean_certificate_name(value: str) -> str:
    """The name as it will be signed, if the certificate signer accepts it (its own rule,
    not a copy); else a ValidationError that says what to change."""
    name = printed(value)
    problem = certificate_name_problem(name)
    if problem is None:
        return name
    raise ValidationError(
        NAME_PROBLEMS[problem], code=problem, params={"fit": _characters_that_fit(name)}
    )


def _characters_that_fit(name: str) -> int:
    """How many of the first characters of ``name`` fit in a certificate's name."""
    size = 0
    for count, character in enumerate(name):
        size += len(character.encode("utf-8"))
        if size > MAX_TEXT_BYTES:
            return count
    return len(name)


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Invitation code from your organisation"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )
    username = forms.CharField(
        label=_("Choose a username"), max_length=40, widget=forms.TextInput(attrs=USERNAME_ATTRS)
    )
    name = forms.CharField(
        label=_("Your name as it should appear on your certificates"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    passphrase = forms.CharField(
        label=_("Choose a passphrase (at least 12 characters)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=200,
    )

    def clean_name(self) -> str:
        return clean_certificate_name(self.cleaned_data["name"])


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"), max_length=150, widget=forms.TextInput(attrs=USERNAME_ATTRS)
    )
    passphrase = forms.CharField(
        label=_("Passphrase"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        max_length=200,
    )


class InviteForm(forms.Form):
    count = forms.IntegerField(
        label=_("How many codes"), min_value=1, max_value=MAX_CODES_AT_ONCE, initial=5
    )


#: As long as Membership.name allows.
CERTIFICATE_NAME_MAX = 120


class CertificateNameForm(forms.Form):
    """The name a learner, a counselor or a facilitator chooses to print on her certificates
    (a learner first chose hers on joining, with JoinForm)."""

    name = forms.CharField(
        label=_("The name to print on your certificate"),
        max_length=CERTIFICATE_NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": _("Write the name to print on your certificate."),
            "max_length": _("Write a shorter name: a certificate prints at most 120 characters."),
        },
    )

    def clean_name(self) -> str:
        return clean_certificate_name(self.cleaned_data["name"])
