"""Certificate pages: the public verify page, the published list, and the holder's pages.

The verify page is public on purpose: an employer, a court or a survivor checks a
certificate there without an account. The certificate travels in the URL's fragment (after
#), which browsers never send to a server, and is checked in the browser against Mend's
published key; Mend does not learn who checks which certificate. A certificate's own page
is for its holder only (mend.certificates.access: 404 for everyone else, staff included).
"""

from __future__ import annotations

from uuid import UUID

import segno
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from mend.accounts.security import WASM_CSP
from mend.certificates import access, keys
from mend.certificates.strings import messages
from mend.lib.runtime import page_strings


@require_GET
@csp_override(WASM_CSP)
def verify(request: HttpRequest) -> HttpResponse:
    key = keys.public_key().hex()
    config = {
        "language": get_language(),
        "public_key": key,
        # This page's one request is for the published list, under /certificates/.
        "api": "/",
        "revoked_path": "certificates/revoked.json",
    }
    # The runtime's shared words first (a failure the page does not handle is told in them).
    context = {"public_key": key, "mend_config": config, "mend_strings": page_strings(messages())}
    return render(request, "certificates/verify.html", context)


@require_GET
@never_cache
def revoked_list(request: HttpRequest) -> HttpResponse:
    """The signed list of revoked certificate ids, as of now (small; never cached, so a
    verifier never trusts a stale one)."""
    return HttpResponse(keys.published_list(timezone.now()), content_type="application/json")


#: Signed out, a holder is sent where learners sign in (it links staff to theirs): the
#: survivors' sign-in, the site's default, refuses both.
holder_page = login_required(login_url="training:login", redirect_field_name=None)


@require_GET
@holder_page
def mine(request: HttpRequest) -> HttpResponse:
    certificates = access.held_by(request.user)
    return render(request, "certificates/mine.html", {"certificates": certificates})


@require_GET
@holder_page
@never_cache
def certificate(request: HttpRequest, certificate_id: UUID) -> HttpResponse:
    found = access.get_certificate_for_user(request.user, certificate_id)
    verify_page = request.build_absolute_uri(reverse("certificates:verify"))
    verify_url = verify_page + "#" + found.compact
    context = {
        "verify_page": verify_page,
        "certificate": found,
        "modules": found.modules.order_by("module_id"),
        "status": access.status_of(found, timezone.now()),
        "verify_url": verify_url,
        "qr_svg": qr_svg(verify_url, _("QR code of the address that checks this certificate")),
    }
    return render(request, "certificates/certificate.html", context)


def qr_svg(url: str, title: str) -> str:
    """The verify URL as an inline SVG QR code, made here (nothing is fetched elsewhere);
    attributes only, no inline style, so the page's CSP needs nothing more."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(
        scale=3, border=4, title=escape(title), svgclass="certificate-qr", lineclass=None
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)
