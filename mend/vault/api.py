"""The vault's JSON API: ciphertext in, ciphertext out, a signed receipt for every save.

Every endpoint is for the signed-in survivor only (SurvivorSession: CSRF checked, staff
get 404) and loads records through mend.vault.access, so anyone else's record is a 404.
Nothing here can read a record: the keys stay in the browser.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from ninja import Router, Schema, Status

from mend.accounts.api import require_passphrase_again
from mend.accounts.schemas import PassphraseAgainIn
from mend.accounts.security import SurvivorSession, auth_user
from mend.crypto import receipts
from mend.lib.refusal import Refusal, refusals
from mend.lib.wire import WireError, b64, envelope_bytes, wrapped_key
from mend.vault import access, actions, bundle
from mend.vault import receipts as server_receipts
from mend.vault.actions import NewAttachment, NewVersion
from mend.vault.models import RecordVersion

vault_router = Router(tags=["vault"], auth=SurvivorSession())
receipts_router = Router(tags=["receipts"])


class VersionOut(Schema):
    version: int
    received_at: str
    size: int
    ciphertext: str
    signed_here: bool


class AttachmentOut(Schema):
    id: UUID
    version: int
    received_at: str
    size: int


class RecordSummaryOut(Schema):
    id: UUID
    created_at: str
    updated_at: str
    version: int
    wrapped_key: str
    #: The latest version, so the list can show each record's name and date.
    ciphertext: str
    size: int


class RecordListOut(Schema):
    records: list[RecordSummaryOut]


class RecordOut(Schema):
    id: UUID
    created_at: str
    updated_at: str
    version: int
    wrapped_key: str
    versions: list[VersionOut]
    attachments: list[AttachmentOut]


class SavedOut(Schema):
    version: int
    received_at: str
    receipt: dict[str, Any]
    attachment_receipts: list[dict[str, Any]]


class ImportedOut(Schema):
    id: UUID
    versions: int


class PublicKeyOut(Schema):
    type: str
    algorithm: str
    public_key: str


def iso(moment: Any) -> str:
    return receipts.format_time(moment)


def receipt_dict(receipt: receipts.Receipt) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(receipts.to_json(receipt))
    return data


def version_out(v: RecordVersion, this_server: bytes) -> VersionOut:
    return VersionOut(
        version=v.version,
        received_at=iso(v.received_at),
        size=v.size,
        ciphertext=b64(v.ciphertext),
        signed_here=bytes(v.signer) == this_server,
    )


@vault_router.get("/records", response={200: RecordListOut, **refusals(401, 404)})
def list_records(request: HttpRequest) -> RecordListOut:
    """Every record with its latest version, newest first (one query)."""
    latest = access.latest_versions_for_user(auth_user(request))
    return RecordListOut(
        records=[
            RecordSummaryOut(
                id=v.record.id,
                created_at=iso(v.record.created_at),
                updated_at=iso(v.record.updated_at),
                version=v.version,
                wrapped_key=b64(v.record.wrapped_key),
                ciphertext=b64(v.ciphertext),
                size=v.size,
            )
            for v in latest
        ]
    )


@vault_router.get("/records/{record_id}", response={200: RecordOut, **refusals(401, 404)})
def get_record(request: HttpRequest, record_id: UUID) -> RecordOut:
    record = access.get_record_for_user(auth_user(request), record_id)
    here = server_receipts.public_key()
    return RecordOut(
        id=record.id,
        created_at=iso(record.created_at),
        updated_at=iso(record.updated_at),
        version=record.current_version,
        wrapped_key=b64(record.wrapped_key),
        versions=[version_out(v, here) for v in record.versions.order_by("version")],
        attachments=[
            AttachmentOut(id=a.id, version=a.version, received_at=iso(a.received_at), size=a.size)
            for a in record.attachments.order_by("version", "id").defer("ciphertext")
        ],
    )


def read_file(upload: object, limit: int, code: str) -> bytes:
    if not isinstance(upload, UploadedFile):
        raise WireError("a file was expected")
    if upload.size is not None and upload.size > limit:
        raise actions.too_large(code)
    return bytes(upload.read())


def parse_save(request: HttpRequest) -> NewVersion:
    """multipart/form-data: version, wrapped_key (version 1 only), the ciphertext file, and
    one file per new attachment, named by the attachment's id (never the real file name)."""
    try:
        version = int(request.POST.get("version", ""))
        raw_key = request.POST.get("wrapped_key")
        ciphertext = request.FILES.get("ciphertext")
        if ciphertext is None:
            raise WireError("ciphertext is missing")
        body = read_file(ciphertext, settings.VAULT_MAX_RECORD_BYTES, "record_too_large")
        attachments = [
            NewAttachment(
                id=UUID(name.removeprefix("attachment:")),
                ciphertext=envelope_bytes(
                    read_file(f, actions.max_attachment_ciphertext(), "attachment_too_large"),
                    "attachment",
                ),
            )
            for name, f in request.FILES.items()
            if name.startswith("attachment:")
        ]
        return NewVersion(
            version=version,
            ciphertext=envelope_bytes(body, "ciphertext"),
            wrapped_key=wrapped_key(raw_key, "wrapped_key") if raw_key else None,
            attachments=attachments,
        )
    except ValueError as error:  # WireError included: the one "malformed" answer
        raise Refusal(400, "malformed", str(error)) from None


@vault_router.post(
    "/records/{record_id}/versions",
    response={201: SavedOut, **refusals(400, 401, 403, 404, 409, 413, 429)},
)
def save_version(request: HttpRequest, record_id: UUID) -> Status[SavedOut]:
    """Save a new version (version 1 creates the record). One transaction; signed receipts.

    A body larger than any save needs was refused before it was read
    (mend.middleware.BodyLimitMiddleware, actions.save_body_limit)."""
    saved = actions.do_save_version(auth_user(request), record_id, parse_save(request))
    v = saved.version
    return Status(
        201,
        SavedOut(
            version=v.version,
            received_at=iso(v.received_at),
            receipt=receipt_dict(server_receipts.receipt_of(v, str(record_id), v.version)),
            attachment_receipts=[
                receipt_dict(server_receipts.receipt_of(a, a.object_id, a.version))
                for a in saved.attachments
            ],
        ),
    )


def download(body: str | bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@vault_router.get(
    "/records/{record_id}/versions/{version}/receipt", response={200: None, **refusals(401, 404)}
)
def version_receipt(request: HttpRequest, record_id: UUID, version: int) -> HttpResponse:
    """The receipt file that `manage.py verify_receipt FILE` checks."""
    v = access.get_version_for_user(auth_user(request), record_id, version)
    receipt = server_receipts.receipt_of(v, str(record_id), v.version)
    name = f"mend-receipt-{str(record_id)[:8]}-v{v.version}.json"
    return download(receipts.to_json(receipt), name, "application/json")


@vault_router.get(
    "/records/{record_id}/attachments/{attachment_id}", response={200: None, **refusals(401, 404)}
)
def attachment_ciphertext(
    request: HttpRequest, record_id: UUID, attachment_id: UUID
) -> HttpResponse:
    a = access.get_attachment_for_user(auth_user(request), record_id, attachment_id)
    return HttpResponse(bytes(a.ciphertext), content_type="application/octet-stream")


@vault_router.get(
    "/records/{record_id}/attachments/{attachment_id}/receipt",
    response={200: None, **refusals(401, 404)},
)
def attachment_receipt(request: HttpRequest, record_id: UUID, attachment_id: UUID) -> HttpResponse:
    a = access.get_attachment_for_user(auth_user(request), record_id, attachment_id)
    receipt = server_receipts.receipt_of(a, a.object_id, a.version)
    name = f"mend-receipt-{str(attachment_id)[:8]}-file.json"
    return download(receipts.to_json(receipt), name, "application/json")


# Deleting takes her passphrase again, as deleting the account does: a stolen session alone
# must not wipe her evidence.
@vault_router.delete(
    "/records/{record_id}", response={204: None, **refusals(401, 403, 404, 422, 429)}
)
def delete_record(request: HttpRequest, record_id: UUID, body: PassphraseAgainIn) -> Status[None]:
    """Delete one record with all its versions and files, from the database."""
    record = access.get_record_for_user(auth_user(request), record_id)
    require_passphrase_again(request, auth_user(request), body.auth_key)
    actions.do_delete_record(record)
    return Status(204, None)


@vault_router.delete("/records", response={204: None, **refusals(401, 403, 404, 422, 429)})
def delete_all_records(request: HttpRequest, body: PassphraseAgainIn) -> Status[None]:
    """Delete every record (the account stays)."""
    require_passphrase_again(request, auth_user(request), body.auth_key)
    actions.do_delete_all_records(auth_user(request))
    return Status(204, None)


@vault_router.get("/export", response={200: None, **refusals(401, 404)})
def export(request: HttpRequest) -> StreamingHttpResponse:
    """Every record, every version, every file and every receipt, as one JSON file."""
    response = StreamingHttpResponse(
        bundle.export_chunks(auth_user(request)), content_type="application/json"
    )
    day = timezone.now().strftime("%Y-%m-%d")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="mend-record-export-{day}.json"'
    )
    return response


@vault_router.post(
    "/import",
    response={201: ImportedOut, **refusals(400, 401, 403, 404, 409, 413, 429)},
)
def import_record(request: HttpRequest) -> Status[ImportedOut]:
    """One record of an export bundle, sent as the multipart file "record" (JSON), with its
    record key already rewrapped by the browser under this account's vault key.

    The body was capped before it was read (actions.import_body_limit); the file is then
    read as a stream (bundle.read_imported_record), one version or file at a time."""
    user = auth_user(request)
    access.records_for_user(user)  # 404 unless a survivor, before reading anything
    upload = request.FILES.get("record")
    if not isinstance(upload, UploadedFile):
        raise Refusal(400, "import_invalid", "No record sent.")
    with upload.open("rb") as stream:
        record = actions.do_import_record(user, bundle.read_imported_record(stream))
    return Status(201, ImportedOut(id=record.id, versions=record.current_version))


@receipts_router.get("/public-key", response=PublicKeyOut)
def public_key(request: HttpRequest) -> PublicKeyOut:
    """The Ed25519 public key that signs every receipt (anyone may fetch it)."""
    return PublicKeyOut(
        type="mend-receipt-v1", algorithm="ed25519", public_key=server_receipts.public_key().hex()
    )
