"""Plain HTML forms of the counselor workspace: her sign-in and a decision on a member."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mend.escrow.models import Decision


class DecisionForm(forms.Form):
    member = forms.UUIDField(widget=forms.HiddenInput)
    # Not "withdrew": that is hers to do (actions.COUNSELOR_DECISIONS).
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[c for c in Decision.choices if c[0] != Decision.WITHDREW]
    )


class CounselorLoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    passphrase = forms.CharField(label=_("Passphrase"), widget=forms.PasswordInput)
    otp_token = forms.CharField(label=_("Code from your authenticator app"), max_length=8)
