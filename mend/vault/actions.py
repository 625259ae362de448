"""Writes to the vault (STYLE rule 4): save a version, import, delete.

Every write is one database transaction: a save either adds the new version, its
attachments and the record's new version number together, or nothing at all. A server
killed in the middle leaves the earlier versions as they were and no half-written one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from mend.crypto import envelope, receipts
from mend.crypto.errors import ReceiptError
from mend.crypto.receipts import Receipt
from mend.vault import access
from mend.vault import receipts as server_receipts
from mend.vault.models import Attachment, Record, RecordVersion


class VaultError(ValueError):
    """A refusal with an HTTP status and a stable code the page translates."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class NewAttachment:
    id: UUID
    ciphertext: bytes


@dataclass(frozen=True)
class NewVersion:
    version: int
    ciphertext: bytes
    #: Only with version 1: the new record's key, wrapped by VK.
    wrapped_key: bytes | None = None
    attachments: list[NewAttachment] = field(default_factory=list)


@dataclass(frozen=True)
class Saved:
    version: RecordVersion
    attachments: list[Attachment]


def max_attachment_ciphertext() -> int:
    return int(settings.VAULT_MAX_ATTACHMENT_BYTES) + envelope.OVERHEAD


def too_large(code: str) -> VaultError:
    if code == "attachment_too_large":
        megabytes = settings.VAULT_MAX_ATTACHMENT_BYTES / (1024 * 1024)
        detail = f"Each file can be at most {megabytes:g} MB. This one is larger."
    else:
        detail = "This record is too long to save in one piece."
    return VaultError(413, code, detail)


def check_sizes(new: NewVersion) -> None:
    if len(new.ciphertext) > settings.VAULT_MAX_RECORD_BYTES:
        raise too_large("record_too_large")
    if len(new.attachments) > settings.VAULT_MAX_ATTACHMENTS_PER_SAVE:
        raise VaultError(
            400,
            "too_many_attachments",
            f"At most {settings.VAULT_MAX_ATTACHMENTS_PER_SAVE} files can be added in one save.",
        )
    for attachment in new.attachments:
        if len(attachment.ciphertext) > max_attachment_ciphertext():
            raise too_large("attachment_too_large")


def do_save_version(user: AbstractBaseUser, record_id: UUID, new: NewVersion) -> Saved:
    """Store a new version (and a new record, for version 1), each with a signed receipt.

    Raises Http404 for someone else's record, VaultError(409) when the version number is
    not the next one (saved meanwhile from another window), VaultError(413) when too big.
    """
    check_sizes(new)
    try:
        with transaction.atomic():
            record = access.lock_record_for_save(user, record_id)
            record = record or create_record(user, record_id, new)
            return add_version(record, new)
    except IntegrityError:  # the same id chosen twice at once: nothing was written
        raise VaultError(409, "conflict", "This was saved at the same time elsewhere.") from None


def create_record(user: AbstractBaseUser, record_id: UUID, new: NewVersion) -> Record:
    if new.version != 1 or new.wrapped_key is None:
        raise VaultError(404, "not_found", "There is no such record.")
    now = timezone.now()
    return Record.objects.create(
        id=record_id,
        owner_id=user.pk,
        wrapped_key=new.wrapped_key,
        current_version=0,
        created_at=now,
        updated_at=now,
    )


def add_version(record: Record, new: NewVersion) -> Saved:
    if new.wrapped_key is not None and record.current_version > 0:
        raise VaultError(400, "key_fixed", "A record's key cannot be replaced.")
    if new.version != record.current_version + 1:
        raise VaultError(
            409, "version_conflict", "This record was saved from another window meanwhile."
        )
    limit = settings.VAULT_MAX_ATTACHMENTS_PER_RECORD
    if new.attachments and record.attachments.count() + len(new.attachments) > limit:
        raise VaultError(400, "too_many_attachments", "This record has as many files as it can.")
    now = timezone.now()
    object_id = str(record.id)
    receipt = server_receipts.sign(object_id, new.version, new.ciphertext, now)
    version = RecordVersion.objects.create(
        record=record,
        version=new.version,
        ciphertext=new.ciphertext,
        size=len(new.ciphertext),
        received_at=now,
        signature=receipt.signature,
        signer=receipt.public_key,
    )
    attachments = [attachment_row(record, new.version, a, now) for a in new.attachments]
    Attachment.objects.bulk_create(attachments)
    record.current_version = new.version
    record.updated_at = now
    record.save(update_fields=["current_version", "updated_at"])
    return Saved(version=version, attachments=attachments)


def attachment_row(record: Record, version: int, new: NewAttachment, now: datetime) -> Attachment:
    receipt = server_receipts.sign(f"{record.id}/{new.id}", version, new.ciphertext, now)
    return Attachment(
        id=new.id,
        record=record,
        version=version,
        ciphertext=new.ciphertext,
        size=len(new.ciphertext),
        received_at=now,
        signature=receipt.signature,
        signer=receipt.public_key,
    )


@transaction.atomic
def do_delete_record(record: Record) -> None:
    """Delete the record with every version and attachment, from the database."""
    record.delete()


@transaction.atomic
def do_delete_all_records(user: AbstractBaseUser) -> int:
    """Delete every record of this survivor (the account stays); returns how many."""
    records = access.records_for_user(user)
    count = records.count()
    records.delete()
    return count


# --- Import of an export bundle (mend/vault/bundle.py) --------------------------------------


@dataclass(frozen=True)
class ImportedVersion:
    ciphertext: bytes
    receipt: Receipt


@dataclass(frozen=True)
class ImportedAttachment:
    id: UUID
    version: int
    ciphertext: bytes
    receipt: Receipt


@dataclass(frozen=True)
class ImportedRecord:
    id: UUID
    #: The record key, rewrapped by the browser under the new account's VK.
    wrapped_key: bytes
    versions: list[ImportedVersion]
    attachments: list[ImportedAttachment]


def check_receipt(receipt: Receipt, object_id: str, version: int, ciphertext: bytes) -> None:
    """An imported receipt must be genuine (under the key it names) and name this ciphertext."""
    if receipt.object_id != object_id or receipt.version != version:
        raise ReceiptError(f"the receipt of {object_id} v{version} names another object")
    receipts.verify_receipt(receipt, receipt.public_key)
    receipts.check_ciphertext(receipt, ciphertext)


def check_import(imported: ImportedRecord) -> None:
    record_id = str(imported.id)
    if not imported.versions:
        raise VaultError(400, "import_invalid", "A record in the export has no saved version.")
    try:
        for number, v in enumerate(imported.versions, start=1):
            check_receipt(v.receipt, record_id, number, v.ciphertext)
        for a in imported.attachments:
            if not 1 <= a.version <= len(imported.versions):
                raise ReceiptError("an attachment names a version that is not there")
            check_receipt(a.receipt, f"{record_id}/{a.id}", a.version, a.ciphertext)
    except ReceiptError as error:
        raise VaultError(400, "import_receipt", f"A receipt does not match: {error}") from None
    too_big = any(len(a.ciphertext) > max_attachment_ciphertext() for a in imported.attachments)
    if too_big or len(imported.attachments) > settings.VAULT_MAX_ATTACHMENTS_PER_RECORD:
        raise VaultError(413, "import_too_large", "A record in the export is too large.")


def do_import_record(user: AbstractBaseUser, imported: ImportedRecord) -> Record:
    """Add one record from an export, keeping every version, time and receipt as it was.

    Ciphertexts are stored byte for byte, so the original receipts stay valid; only the
    record key is new (rewrapped in the browser). A record id already on this server
    (the old account still exists) is refused with 409.
    """
    access.records_for_user(user)  # 404 unless a survivor
    check_import(imported)
    try:
        with transaction.atomic():
            if Record.objects.filter(id=imported.id).exists():
                raise IntegrityError
            return write_import(user, imported)
    except IntegrityError:
        raise VaultError(
            409, "already_exists", "This record is already stored on this server."
        ) from None


def write_import(user: AbstractBaseUser, imported: ImportedRecord) -> Record:
    first, last = imported.versions[0].receipt, imported.versions[-1].receipt
    record = Record.objects.create(
        id=imported.id,
        owner_id=user.pk,
        wrapped_key=imported.wrapped_key,
        current_version=len(imported.versions),
        created_at=first.received_at,
        updated_at=last.received_at,
    )
    RecordVersion.objects.bulk_create(
        [
            RecordVersion(record=record, version=number, **stored_fields(v.ciphertext, v.receipt))
            for number, v in enumerate(imported.versions, start=1)
        ]
    )
    Attachment.objects.bulk_create(
        [
            Attachment(
                id=a.id, record=record, version=a.version, **stored_fields(a.ciphertext, a.receipt)
            )
            for a in imported.attachments
        ]
    )
    return record


def stored_fields(ciphertext: bytes, receipt: Receipt) -> dict[str, object]:
    return {
        "ciphertext": ciphertext,
        "size": len(ciphertext),
        "received_at": receipt.received_at,
        "signature": receipt.signature,
        "signer": receipt.public_key,
    }
