"""The certificates' public, read-only API: the key that signs them, and what is revoked.

Anyone may fetch both, without an account; neither says anything about who holds which
certificate. A verifier never sends a certificate here: the verify page checks it in the
browser, and verify_certificate checks it offline.
"""

from __future__ import annotations

import json

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from mend.certificates import keys
from mend.lib.refusal import Refusal, refusals

router = Router(tags=["certificates"])


class PublicKeyOut(Schema):
    type: str
    algorithm: str
    public_key: str


class RevocationsOut(Schema):
    """The signed list: verify `signature` over the fields (docs/crypto.md, Certificates)."""

    type: str
    published_at: str
    revoked: list[str]
    public_key: str
    signature: str


def unavailable() -> Refusal:
    return Refusal(503, "certificates_unavailable", "Certificate signing is not configured.")


@router.get("/public-key", response={200: PublicKeyOut, **refusals(503)})
def public_key(request: HttpRequest) -> PublicKeyOut:
    """The Ed25519 public key that signs every certificate and the list of revocations."""
    try:
        key = keys.public_key()
    except ImproperlyConfigured:
        raise unavailable() from None
    return PublicKeyOut(type="mend-certificate-v1", algorithm="ed25519", public_key=key.hex())


@router.get("/revoked", response={200: RevocationsOut, **refusals(503)})
def revoked(request: HttpRequest) -> RevocationsOut:
    """Every revoked certificate id, signed now (the same list as /certificates/revoked.json)."""
    try:
        listing = keys.published_list(timezone.now())
    except ImproperlyConfigured:
        raise unavailable() from None
    return RevocationsOut(**json.loads(listing))
