"""Writes to the vault (STYLE rule 4): save a version, import, delete.

Every write is one database transaction: a save either adds the new version, its
attachments and the record's new version number together, or nothing at all. A server
killed in the middle leaves the earlier versions as they were and no half-written one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from mend.accounts.models import User
from mend.crypto import envelope, receipts
from mend.crypto.errors import ReceiptError
from mend.crypto.receipts import Receipt
from mend.lib import ratelimit
from mend.lib.refusal import Refusal, not_found
from mend.vault import access
from mend.vault import receipts as server_receipts
from mend.vault.models import Attachment, Record, RecordVersion


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


def too_large(code: str) -> Refusal:
    if code == "attachment_too_large":
        megabytes = settings.VAULT_MAX_ATTACHMENT_BYTES / (1024 * 1024)
        detail = f"Each file can be at most {megabytes:g} MB. This one is larger."
    else:
        detail = "This record is too long to save in one piece."
    return Refusal(413, code, detail)


# Room for the multipart framing and the small fields around the files of one request.
FRAMING_BYTES = 64 * 1024
#: The most ciphertext one imported record may hold besides its files (all its versions).
MAX_IMPORT_VERSIONS_BYTES = 64 * 1024 * 1024


def save_body_limit() -> int:
    """The largest request body a save can need: the record, every file of one save."""
    attachments = settings.VAULT_MAX_ATTACHMENTS_PER_SAVE * max_attachment_ciphertext()
    return int(settings.VAULT_MAX_RECORD_BYTES) + attachments + FRAMING_BYTES


def import_body_limit() -> int:
    """The largest request body an import can need: one record as base64 JSON (4/3 of its
    ciphertext), never more than an account may store at all."""
    attachments = settings.VAULT_MAX_ATTACHMENTS_PER_RECORD * max_attachment_ciphertext()
    ciphertext = min(attachments + MAX_IMPORT_VERSIONS_BYTES, int(settings.VAULT_QUOTA_BYTES))
    return 4 * ciphertext // 3 + FRAMING_BYTES


def body_limits() -> dict[str, tuple[int, str]]:
    """Request body limits above REQUEST_MAX_BODY_BYTES, by view name, with the refusal code
    the page shows (mend.middleware.BodyLimitMiddleware)."""
    return {
        "api-v1:save_version": (save_body_limit(), "attachment_too_large"),
        "api-v1:import_record": (import_body_limit(), "import_too_large"),
    }


def save_limit() -> ratelimit.Limit:
    return ratelimit.Limit.from_setting("vault-save", settings.RATE_LIMIT_VAULT_SAVE_ACCOUNT)


def import_limit() -> ratelimit.Limit:
    # Apart from saves, and higher: importing an export sends one request per record.
    return ratelimit.Limit.from_setting("vault-import", settings.RATE_LIMIT_VAULT_IMPORT_ACCOUNT)


def check_save_rate(user: AbstractBaseUser, limit: ratelimit.Limit) -> None:
    """Count one save (or one imported record) of this account; Refusal(429) when over.

    Every attempt counts, refused or not, so a script cannot write to the database (or
    make the server sum the quota) faster than the limit allows.
    """
    verdict = ratelimit.hit(limit, str(user.pk))
    if not verdict.allowed:
        raise Refusal(
            429,
            "save_rate_limited",
            "Too many saves in a short time. Please wait and try again.",
            retry_after=verdict.retry_after,
        )


def stored_bytes(user: AbstractBaseUser) -> int:
    """The ciphertext bytes this account stores: every version and every file."""
    versions = RecordVersion.objects.filter(record__owner_id=user.pk).aggregate(n=Sum("size"))
    files = Attachment.objects.filter(record__owner_id=user.pk).aggregate(n=Sum("size"))
    return int(versions["n"] or 0) + int(files["n"] or 0)


def quota_exceeded() -> Refusal:
    return Refusal(
        413, "quota_exceeded", "This account's records use all the storage space it has."
    )


def quota_left(user: AbstractBaseUser) -> int:
    """Bytes this account may still store. Call inside the write's transaction, after
    lock_owner, so that two parallel writes cannot both spend the same room."""
    return int(settings.VAULT_QUOTA_BYTES) - stored_bytes(user)


def lock_owner(user: AbstractBaseUser) -> None:
    """Serialise this account's writes (PostgreSQL row lock; SQLite has one writer anyway)."""
    User.objects.select_for_update().values_list("pk", flat=True).get(pk=user.pk)


def check_sizes(new: NewVersion) -> None:
    if len(new.ciphertext) > settings.VAULT_MAX_RECORD_BYTES:
        raise too_large("record_too_large")
    if len(new.attachments) > settings.VAULT_MAX_ATTACHMENTS_PER_SAVE:
        raise Refusal(
            400,
            "too_many_attachments",
            f"At most {settings.VAULT_MAX_ATTACHMENTS_PER_SAVE} files can be added in one save.",
        )
    for attachment in new.attachments:
        if len(attachment.ciphertext) > max_attachment_ciphertext():
            raise too_large("attachment_too_large")


def do_save_version(user: AbstractBaseUser, record_id: UUID, new: NewVersion) -> Saved:
    """Store a new version (and a new record, for version 1), each with a signed receipt.

    Raises Http404 for someone else's record, Refusal(409) when the version number is
    not the next one (saved meanwhile from another window), Refusal(413) when too big or
    beyond the account's quota (VAULT_QUOTA_BYTES), Refusal(429) over the save rate.
    """
    check_sizes(new)
    check_save_rate(user, save_limit())
    try:
        with transaction.atomic():
            lock_owner(user)
            record = access.lock_record_for_save(user, record_id)
            record = record or create_record(user, record_id, new)
            if new_bytes(new) > quota_left(user):
                raise quota_exceeded()
            return add_version(record, new)
    except IntegrityError:  # the same id chosen twice at once: nothing was written
        raise Refusal(409, "conflict", "This was saved at the same time elsewhere.") from None


def new_bytes(new: NewVersion) -> int:
    return len(new.ciphertext) + sum(len(a.ciphertext) for a in new.attachments)


def create_record(user: AbstractBaseUser, record_id: UUID, new: NewVersion) -> Record:
    if new.version != 1 or new.wrapped_key is None:
        # The very answer someone else's record gets (access.lock_record_for_save): a
        # record id is printed on her receipts, and whoever holds one must not learn from
        # a save whether the record is still there.
        raise not_found()
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
        raise Refusal(400, "key_fixed", "A record's key cannot be replaced.")
    if new.version != record.current_version + 1:
        raise Refusal(
            409, "version_conflict", "This record was saved from another window meanwhile."
        )
    limit = settings.VAULT_MAX_ATTACHMENTS_PER_RECORD
    if new.attachments and record.attachments.count() + len(new.attachments) > limit:
        raise Refusal(400, "too_many_attachments", "This record has as many files as it can.")
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
    #: Read one at a time (mend.vault.bundle streams them from the upload), so that only
    #: one file's ciphertext is in memory at once; iterate once.
    attachments: Iterable[ImportedAttachment]


def check_receipt(receipt: Receipt, object_id: str, version: int, ciphertext: bytes) -> None:
    """An imported receipt must be genuine (under the key it names) and name this ciphertext."""
    if receipt.object_id != object_id or receipt.version != version:
        raise ReceiptError(f"the receipt of {object_id} v{version} names another object")
    receipts.verify_receipt(receipt, receipt.public_key)
    receipts.check_ciphertext(receipt, ciphertext)


def refused_receipt(error: ReceiptError) -> Refusal:
    return Refusal(400, "import_receipt", f"A receipt does not match: {error}")


def check_versions(imported: ImportedRecord) -> None:
    record_id = str(imported.id)
    if not imported.versions:
        raise Refusal(400, "import_invalid", "A record in the export has no saved version.")
    try:
        for number, v in enumerate(imported.versions, start=1):
            check_receipt(v.receipt, record_id, number, v.ciphertext)
    except ReceiptError as error:
        raise refused_receipt(error) from None


def check_attachment(imported: ImportedRecord, a: ImportedAttachment, count: int) -> None:
    too_many = count > settings.VAULT_MAX_ATTACHMENTS_PER_RECORD
    if too_many or len(a.ciphertext) > max_attachment_ciphertext():
        raise Refusal(413, "import_too_large", "A record in the export is too large.")
    try:
        if not 1 <= a.version <= len(imported.versions):
            raise ReceiptError("an attachment names a version that is not there")
        check_receipt(a.receipt, f"{imported.id}/{a.id}", a.version, a.ciphertext)
    except ReceiptError as error:
        raise refused_receipt(error) from None


def do_import_record(user: AbstractBaseUser, imported: ImportedRecord) -> Record:
    """Add one record from an export, keeping every version, time and receipt as it was.

    Ciphertexts are stored byte for byte, so the original receipts stay valid; only the
    record key is new (rewrapped in the browser). A record id already on this server
    (the old account still exists) is refused with 409; a record beyond the account's
    quota with 413; over the save rate, 429. Files are checked and written one at a time
    as they are read, in one transaction: any refusal leaves nothing of the record.
    """
    access.records_for_user(user)  # 404 unless a survivor
    check_versions(imported)
    check_save_rate(user, import_limit())
    try:
        with transaction.atomic():
            lock_owner(user)
            if Record.objects.filter(id=imported.id).exists():
                raise IntegrityError
            room = quota_left(user) - sum(len(v.ciphertext) for v in imported.versions)
            if room < 0:
                raise quota_exceeded()
            record = write_import(user, imported)
            write_attachments(record, imported, room)
            return record
    except IntegrityError:
        raise Refusal(
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
    return record


def write_attachments(record: Record, imported: ImportedRecord, room: int) -> None:
    """Check and store each file as it is read, within `room` bytes of quota."""
    for count, a in enumerate(imported.attachments, start=1):
        check_attachment(imported, a, count)
        room -= len(a.ciphertext)
        if room < 0:
            raise quota_exceeded()
        Attachment.objects.create(
            id=a.id, record=record, version=a.version, **stored_fields(a.ciphertext, a.receipt)
        )


def stored_fields(ciphertext: bytes, receipt: Receipt) -> dict[str, object]:
    return {
        "ciphertext": ciphertext,
        "size": len(ciphertext),
        "received_at": receipt.received_at,
        "signature": receipt.signature,
        "signer": receipt.public_key,
    }
