"""Plain HTML forms of the escrow pages (verification, messages)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mend.escrow.messages import MAX_MESSAGE_CHARS


class InvitationForm(forms.Form):
    code = forms.CharField(label=_("Invitation code"), max_length=40)


class AddressForm(forms.Form):
    address = forms.CharField(
        label=_("Your address at your university or workplace"), max_length=320
    )


class CodeForm(forms.Form):
    code = forms.CharField(label=_("The six-digit code from the message"), max_length=12)


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"),
        max_length=MAX_MESSAGE_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
