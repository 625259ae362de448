"""Words the verify page's script shows, translated on the server (passed by json_script)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def messages() -> dict[str, Promise]:
    return {
        "certificate_empty": _("Please paste the certificate's text first."),
        "checking": _("Checking…"),
        "verdict_valid": _("Valid. Mend issued this certificate and it is current."),
        "verdict_expired": _(
            "Expired. Mend issued this certificate, but it expired on {date}. "
            "The holder needs to take the path again."
        ),
        "verdict_revoked": _(
            "Revoked. Mend issued this certificate, but has since revoked it. It no longer counts."
        ),
        "verdict_invalid": _(
            "Not valid. This is not a certificate Mend issued: it was changed, "
            "or not all of it was copied."
        ),
        "revocations_unknown": _(
            "Mend's list of revoked certificates could not be loaded, so this page could "
            "not check whether this one was revoked. Try again later."
        ),
        "revocations_checked": _("Checked against Mend's list of revoked certificates of {date}."),
        "module_version": _("{module} (version {version})"),
    }
