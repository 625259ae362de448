"""Issuing and revoking certificates, and allowing a retake after a revocation: the only
writes of this app.

`issue` is what the training app calls when a learner completes a path. It signs with
Mend's certificate key (mend.certificates.keys) and stores the signed text with the fields
it repeats, in one transaction. Bad input (an empty name, a malformed module id) raises
mend.crypto.errors.CertificateError, a ValueError, before anything is written.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from django.db import transaction

from mend.accounts.models import User
from mend.audit.actions import record_audit
from mend.certificates import keys
from mend.certificates.models import Certificate, CertificateModule
from mend.certificates.signals import certificate_issued, certificate_revoked
from mend.crypto import certificates

#: How long a certificate lasts (re-certify after two years, or sooner on a material change).
VALID_YEARS = 2


class RevokeError(ValueError):
    """An operator's revocation, or retake after one, refused (the commands print it)."""


def expiry_after(moment: datetime) -> datetime:
    """The same calendar day and time two years on (29 February gives 28 February)."""
    year = moment.year + VALID_YEARS
    try:
        return moment.replace(year=year)
    except ValueError:
        return moment.replace(year=year, day=28)


def issue(
    *,
    holder: User,
    name: str,
    path_id: str,
    path_title: str,
    modules: list[tuple[str, int]],
    now: datetime,
) -> Certificate:
    """Sign and store a certificate for `holder` that expires two years after `now`."""
    issued_at = now.astimezone(UTC).replace(microsecond=0)
    signed = certificates.Certificate(
        certificate_id=uuid.uuid4(),
        name=certificates.printed(name),
        path_id=path_id,
        path_title=path_title.strip(),
        modules=certificates.modules_of(modules),
        issued_at=issued_at,
        expires_at=expiry_after(issued_at),
    )
    compact = certificates.sign_certificate(keys.signing_seed(), signed)
    with transaction.atomic():
        stored = Certificate.objects.create(
            id=signed.certificate_id,
            holder=holder,
            name=signed.name,
            path_id=path_id,
            path_title=signed.path_title,
            issued_at=signed.issued_at,
            expires_at=signed.expires_at,
            compact=compact,
            signer=keys.public_key(),
        )
        CertificateModule.objects.bulk_create(
            CertificateModule(certificate=stored, module_id=m, version=v) for m, v in signed.modules
        )
        record_audit("certificates.issued", object_type="certificate", object_id=stored.id)
        certificate_issued.send(sender=Certificate, certificate=stored)
    return stored


def do_revoke_certificate(certificate_id: uuid.UUID, reason: str, now: datetime) -> Certificate:
    """Revoke a certificate for good: it is published as revoked from now on."""
    reason = _reason(reason, "Say why the certificate is revoked (--reason).")
    with transaction.atomic():
        certificate = _locked(certificate_id)
        if certificate.revoked_at is not None:
            raise RevokeError(f"Certificate {certificate_id} was revoked already.")
        certificate.revoked_at = now
        certificate.revoked_reason = reason
        certificate.save(update_fields=["revoked_at", "revoked_reason"])
        record_audit("certificates.revoked", object_type="certificate", object_id=certificate.id)
        certificate_revoked.send(sender=Certificate, certificate=certificate)
    return certificate


def do_allow_retake(certificate_id: uuid.UUID, reason: str, now: datetime) -> Certificate:
    """Allow the holder of a revoked certificate to earn its path's certificate again, by
    passing every module of it after ``now`` (mend.training.actions). The certificate
    itself stays revoked and published as such: a new one is issued, or none."""
    reason = _reason(reason, "Say why the holder may take the path again (--reason).")
    with transaction.atomic():
        certificate = _locked(certificate_id)
        if certificate.revoked_at is None:
            raise RevokeError(f"Certificate {certificate_id} is not revoked: nothing to lift.")
        newer = Certificate.objects.filter(
            holder_id=certificate.holder_id,
            path_id=certificate.path_id,
            issued_at__gt=certificate.issued_at,
        )
        if certificate.retake_allowed_at is not None or newer.exists():
            raise RevokeError(f"The holder of {certificate_id} may take the path again already.")
        certificate.retake_allowed_at = now
        certificate.retake_reason = reason
        certificate.save(update_fields=["retake_allowed_at", "retake_reason"])
        record_audit(
            "certificates.retake_allowed", object_type="certificate", object_id=certificate.id
        )
    return certificate


def _reason(reason: str, missing: str) -> str:
    """An operator's reason, kept with the certificate: never blank."""
    if not reason.strip():
        raise RevokeError(missing)
    return reason.strip()


def _locked(certificate_id: uuid.UUID) -> Certificate:
    """The certificate, locked for the rest of the caller's transaction."""
    certificate = Certificate.objects.select_for_update().filter(id=certificate_id).first()
    if certificate is None:
        raise RevokeError(f"No certificate has the id {certificate_id}.")
    return certificate
