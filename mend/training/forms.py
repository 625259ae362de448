"""Plain HTML forms of the training pages (no JavaScript needed anywhere)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mend.training.actions import MAX_CODES_AT_ONCE

# autocomplete names each field's purpose (WCAG 2.2, 1.3.5) so password managers help.
USERNAME_ATTRS = {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}


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
    """The name a counselor or facilitator chooses to print on her certificate."""

    name = forms.CharField(
        label=_("The name to print on your certificate"),
        max_length=CERTIFICATE_NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": _("Write the name to print on your certificate."),
            "max_length": _("Write a shorter name: a certificate prints at most 120 characters."),
        },
    )
