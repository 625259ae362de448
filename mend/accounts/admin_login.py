"""The staff sign-in form: username, passphrase and a one-time code, in one step."""

from __future__ import annotations

from typing import Any

from django import forms
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice


class StaffLoginForm(OTPAdminAuthenticationForm):  # type: ignore[misc]
    """django-otp's admin form, without its extra "choose your device" round trip.

    Every Mend staff account has one authenticator (``create_staff``), so when no device is
    named we use that one. The code is still verified against that single device only: no
    trying every device in turn, which would throttle the ones not used.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["otp_device"].widget = forms.HiddenInput()

    def _chosen_device(self, user: Any) -> Device | None:
        chosen: Device | None = super()._chosen_device(user)
        if chosen is not None:
            return chosen
        devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True)[:2])
        return devices[0] if len(devices) == 1 else None
