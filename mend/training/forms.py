"""Plain HTML forms of the training pages (no JavaScript needed anywhere)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mend.training.actions import MAX_CODES_AT_ONCE


class JoinForm(forms.Form):
    code = forms.CharField(label=_("Invitation code from your organisation"), max_length=40)
    username = forms.CharField(label=_("Choose a username"), max_length=40)
    name = forms.CharField(
        label=_("Your name as it should appear on your certificates"), max_length=120
    )
    passphrase = forms.CharField(
        label=_("Choose a passphrase (at least 12 characters)"),
        widget=forms.PasswordInput(render_value=False),
        max_length=200,
    )


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    passphrase = forms.CharField(label=_("Passphrase"), widget=forms.PasswordInput, max_length=200)


class InviteForm(forms.Form):
    count = forms.IntegerField(
        label=_("How many codes"), min_value=1, max_value=MAX_CODES_AT_ONCE, initial=5
    )
