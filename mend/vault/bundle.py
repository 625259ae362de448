"""The export bundle ("mend-vault-export-v1") and reading one record of it back for import.

A bundle is one JSON object:

    {"type": "mend-vault-export-v1", "exported_at": "...Z", "receipt_public_key": hex,
     "vault": {"vault_id", "params", "wrapped_vk", "recovery_wrapped_vk"},
     "records": [{"id", "created_at", "updated_at", "wrapped_key",
                  "versions": [{"version", "received_at", "size", "ciphertext", "receipt"}],
                  "attachments": [{"id", "version", "received_at", "size", "ciphertext",
                                   "receipt"}]}]}

Bytes are base64; each "receipt" is exactly the receipt file that `manage.py verify_receipt`
checks. Everything in it is ciphertext: opening it needs the passphrase (or the recovery
key) of the account it came from, in the browser. It is written as a stream, one
attachment at a time, so a large vault does not have to fit in the server's memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from mend.accounts.models import KeyRing
from mend.accounts.wire import WireError, b64, unb64, wrapped_key
from mend.crypto import receipts
from mend.crypto.errors import ReceiptError
from mend.vault import access
from mend.vault import receipts as server_receipts
from mend.vault.actions import (
    ImportedAttachment,
    ImportedRecord,
    ImportedVersion,
    VaultError,
    max_attachment_ciphertext,
)
from mend.vault.models import Attachment, Record, RecordVersion

BUNDLE_TYPE = "mend-vault-export-v1"
MAX_IMPORT_VERSION_BYTES = 4 * 1024 * 1024


def receipt_object(stored: RecordVersion | Attachment, object_id: str, version: int) -> Any:
    return json.loads(receipts.to_json(server_receipts.receipt_of(stored, object_id, version)))


def version_json(v: RecordVersion) -> dict[str, Any]:
    return {
        "version": v.version,
        "received_at": receipts.format_time(v.received_at),
        "size": v.size,
        "ciphertext": b64(v.ciphertext),
        "receipt": receipt_object(v, str(v.record_id), v.version),
    }


def attachment_json(a: Attachment) -> dict[str, Any]:
    return {
        "id": str(a.id),
        "version": a.version,
        "received_at": receipts.format_time(a.received_at),
        "size": a.size,
        "ciphertext": b64(a.ciphertext),
        "receipt": receipt_object(a, a.object_id, a.version),
    }


def vault_json(user: AbstractBaseUser) -> dict[str, Any] | None:
    keyring = KeyRing.objects.filter(user_id=user.pk).first()
    if keyring is None:  # only accounts made outside sign-up (tests, fixtures) lack one
        return None
    return {
        "vault_id": str(keyring.vault_id),
        "params": keyring.kdf_params,
        "wrapped_vk": b64(keyring.wrapped_vk),
        "recovery_wrapped_vk": b64(keyring.recovery_wrapped_vk),
    }


def export_chunks(user: AbstractBaseUser) -> Iterator[str]:
    """The bundle of every record of `user`, as JSON text in pieces."""
    head = {
        "type": BUNDLE_TYPE,
        "exported_at": receipts.format_time(timezone.now()),
        "receipt_public_key": server_receipts.public_key().hex(),
        "vault": vault_json(user),
    }
    yield json.dumps(head)[:-1] + ', "records": ['
    records = access.records_for_user(user).order_by("created_at")
    for n, record in enumerate(records):
        yield from record_chunks(record, first=n == 0)
    yield "]}\n"


def record_chunks(record: Record, *, first: bool) -> Iterator[str]:
    head = {
        "id": str(record.id),
        "created_at": receipts.format_time(record.created_at),
        "updated_at": receipts.format_time(record.updated_at),
        "wrapped_key": b64(record.wrapped_key),
        "versions": [version_json(v) for v in record.versions.order_by("version")],
    }
    yield ("" if first else ", ") + json.dumps(head)[:-1] + ', "attachments": ['
    attachments = record.attachments.order_by("version", "id").iterator(chunk_size=1)
    for n, attachment in enumerate(attachments):
        yield ("" if n == 0 else ", ") + json.dumps(attachment_json(attachment))
    yield "]}"


# --- Import: one record at a time ---------------------------------------------------------


def _receipt(data: Any) -> receipts.Receipt:
    try:
        return receipts.from_json(json.dumps(data))
    except ReceiptError as error:
        raise VaultError(400, "import_receipt", f"A receipt is malformed: {error}") from None


def _fields(data: Any, names: set[str], what: str) -> dict[str, Any]:
    if not isinstance(data, dict) or not names <= set(data):
        raise VaultError(400, "import_invalid", f"{what} must have: {', '.join(sorted(names))}")
    return data


def parse_imported_record(data: Any) -> ImportedRecord:
    """Strictly read one record of a bundle (with its record key already rewrapped)."""
    record = _fields(data, {"id", "wrapped_key", "versions", "attachments"}, "A record")
    versions = record["versions"]
    attachments = record["attachments"]
    if not isinstance(versions, list) or not isinstance(attachments, list):
        raise VaultError(400, "import_invalid", "versions and attachments must be lists")
    try:
        return ImportedRecord(
            id=UUID(str(record["id"])),
            wrapped_key=wrapped_key(str(record["wrapped_key"]), "wrapped_key"),
            versions=[_version(v) for v in versions],
            attachments=[_attachment(a) for a in attachments],
        )
    except (WireError, ValueError) as error:
        if isinstance(error, VaultError):
            raise
        raise VaultError(400, "import_invalid", str(error)) from None


def _version(data: Any) -> ImportedVersion:
    v = _fields(data, {"ciphertext", "receipt"}, "A version")
    return ImportedVersion(
        ciphertext=unb64(str(v["ciphertext"]), "ciphertext", max_bytes=MAX_IMPORT_VERSION_BYTES),
        receipt=_receipt(v["receipt"]),
    )


def _attachment(data: Any) -> ImportedAttachment:
    a = _fields(data, {"id", "version", "ciphertext", "receipt"}, "An attachment")
    if type(a["version"]) is not int:
        raise VaultError(400, "import_invalid", "An attachment's version must be a number")
    return ImportedAttachment(
        id=UUID(str(a["id"])),
        version=a["version"],
        ciphertext=unb64(str(a["ciphertext"]), "attachment", max_bytes=max_attachment_ciphertext()),
        receipt=_receipt(a["receipt"]),
    )
