"""The staff sign-in form: username, passphrase and a one-time code, in one step.

Guarantees: every attempt counts against two limits (RATE_LIMIT_LOGIN_USERNAME per
username, RATE_LIMIT_LOGIN_IP per address, an IPv6 address counted as its /64), before any
secret is checked, so past a limit even the right details are refused until the window
ends. Every failure, whether the username, the passphrase or the code was wrong, gives one
and the same message: the form never tells which of the three an attacker got right.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from mend.lib import ratelimit

FAILED = gettext_lazy(
    "These details do not match a staff account with this code. "
    "Check the username, passphrase and code, and try again."
)


def admin_login_limits() -> tuple[ratelimit.Limit, ratelimit.Limit]:
    return (
        ratelimit.Limit.from_setting("admin-login", settings.RATE_LIMIT_LOGIN_USERNAME),
        ratelimit.Limit.from_setting("admin-login-ip", settings.RATE_LIMIT_LOGIN_IP),
    )


def staff_sign_in_wait(request: HttpRequest, username: str) -> int:
    """Count one staff sign-in attempt, before anything is checked, against the limits per
    username and per address (an IPv6 address as its /64). The admin's and the counselor's
    sign-in pages share the counts, so trying both does not double an attacker's guesses.
    Returns 0, or the seconds to wait when refused."""
    by_name, by_address = admin_login_limits()
    return ratelimit.seconds_to_wait(
        (by_name, username.strip().lower()), (by_address, ratelimit.client_address(request))
    )


class StaffLoginForm(OTPAdminAuthenticationForm):  # type: ignore[misc]
    """django-otp's admin form, without its extra "choose your device" round trip.

    Every Mend staff account has one authenticator (``create_staff``), so when no device is
    named we use that one. The code is still verified against that single device only: no
    trying every device in turn, which would throttle the ones not used.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["otp_device"].widget = forms.HiddenInput()
        # Mend's words for the two factors, not Django's "Password" and django-otp's
        # "OTP Token" (staff are asked for a passphrase and an app's code everywhere else).
        self.fields["password"].label = gettext_lazy("Passphrase")
        self.fields["otp_token"].label = gettext_lazy("Code from your authenticator app")
        self.fields["otp_token"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric"}
        )

    def clean(self) -> dict[str, Any]:
        self._count_attempt()
        try:
            cleaned: dict[str, Any] = super().clean()
        except forms.ValidationError:
            # Django says "wrong username or passphrase", django-otp "wrong code" or
            # "throttled": any of them would tell an attacker which factor she has right.
            self.user_cache = None
            raise forms.ValidationError(FAILED, code="invalid_login") from None
        return cleaned

    def _count_attempt(self) -> None:
        wait = staff_sign_in_wait(self.request, str(self.data.get("username", "")))
        if wait:
            raise forms.ValidationError(ratelimit.too_many_attempts(wait), code="rate_limited")

    def _chosen_device(self, user: Any) -> Device | None:
        chosen: Device | None = super()._chosen_device(user)
        if chosen is not None:
            return chosen
        devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True)[:2])
        return devices[0] if len(devices) == 1 else None
