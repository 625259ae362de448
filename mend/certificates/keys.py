"""Mend's certificate signing key, its public half, and the published list of revocations.

The seed comes from CERTIFICATE_SIGNING_KEY (or CERTIFICATE_SIGNING_KEY_FILE); production
refuses to start without one (mend.lib.env) or with the development value (mend.checks).
The public key is published at /api/v1/certificates/public-key and on the verify page.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from django.conf import settings

from mend.certificates import access
from mend.crypto import certificates
from mend.lib.env import hex_key


def signing_seed() -> bytes:
    """The seed; ImproperlyConfigured when the setting is not 64 hexadecimal characters."""
    return hex_key("CERTIFICATE_SIGNING_KEY", settings.CERTIFICATE_SIGNING_KEY)


@cache
def _public_key_for(seed_hex: str) -> bytes:
    return certificates.public_key_for(hex_key("CERTIFICATE_SIGNING_KEY", seed_hex))


def public_key() -> bytes:
    return _public_key_for(settings.CERTIFICATE_SIGNING_KEY)


def published_list(now: datetime) -> str:
    """The signed list of every revoked certificate id, as published at `now`."""
    revoked = access.revoked_ids()
    return certificates.sign_revocations(signing_seed(), now, revoked)
