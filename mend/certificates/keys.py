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
from mend.crypto.encoding import from_hex
from mend.crypto.errors import CryptoError


class SigningKeyError(ValueError):
    pass


def parse_signing_key(text: str) -> bytes:
    try:
        return from_hex(text.strip().lower(), certificates.SEED_BYTES, "seed")
    except CryptoError:
        raise SigningKeyError("CERTIFICATE_SIGNING_KEY must be 64 hexadecimal characters") from None


def signing_seed() -> bytes:
    return parse_signing_key(settings.CERTIFICATE_SIGNING_KEY)


@cache
def _public_key_for(seed_hex: str) -> bytes:
    return certificates.public_key_for(parse_signing_key(seed_hex))


def public_key() -> bytes:
    return _public_key_for(settings.CERTIFICATE_SIGNING_KEY)


def published_list(now: datetime) -> str:
    """The signed list of every revoked certificate id, as published at `now`."""
    revoked = access.revoked_ids()
    return certificates.sign_revocations(signing_seed(), now, revoked)
