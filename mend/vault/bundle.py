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

import codecs
import json
import re
from collections.abc import Iterator
from typing import Any, Protocol
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from mend.accounts.access import get_keyring_for_survivor
from mend.crypto import receipts
from mend.crypto.errors import ReceiptError
from mend.lib.refusal import Refusal
from mend.lib.wire import WireError, b64, unb64, wrapped_key
from mend.vault import access
from mend.vault import receipts as server_receipts
from mend.vault.actions import (
    MAX_IMPORT_VERSIONS_BYTES,
    ImportedAttachment,
    ImportedRecord,
    ImportedVersion,
    max_attachment_ciphertext,
)
from mend.vault.models import Attachment, Record, RecordVersion

BUNDLE_TYPE = "mend-vault-export-v1"
#: One imported version's ciphertext (records saved here are at most VAULT_MAX_RECORD_BYTES).
MAX_IMPORT_VERSION_BYTES = 4 * 1024 * 1024
#: The most versions one imported record may have: far more than a record saved by hand
#: gathers, few enough that reading and checking them stays cheap.
MAX_IMPORT_VERSIONS = 10_000


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
    keyring = get_keyring_for_survivor(user)
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


# --- Import: one record at a time, read as a stream ---------------------------------------
#
# The upload is never read whole: _JsonStream holds one JSON value at a time (one version or
# one file, at most a few MB of base64), and each file is handed on as soon as it is read,
# so memory stays near one file's size however large the record (a record of 127 MB took
# a worker from 0.6 to 1.7 GB when it was read with one json.loads).

READ_BYTES = 1024 * 1024
# Room around one file's base64 inside its JSON object (id, times, the receipt).
VALUE_SLACK_BYTES = 64 * 1024
_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def invalid(detail: str) -> Refusal:
    return Refusal(400, "import_invalid", detail)


def too_large() -> Refusal:
    return Refusal(413, "import_too_large", "A record in the export is too large.")


def max_value_chars() -> int:
    """The longest JSON value (one version or one file, base64) the reader will hold."""
    longest = max(max_attachment_ciphertext(), MAX_IMPORT_VERSION_BYTES)
    return 4 * (longest // 3 + 1) + VALUE_SLACK_BYTES


class _JsonStream:
    """Reads a JSON text from a binary file one value at a time, holding at most about
    `max_chars` characters of it; deeper nesting than the json module allows is a 400."""

    def __init__(self, stream: Readable, max_chars: int) -> None:
        self.stream = stream
        self.decode = codecs.getincrementaldecoder("utf-8")().decode
        self.buffer = ""
        self.pos = 0
        self.max_chars = max_chars
        self.ended = False

    def more(self, pending: int) -> bool:
        """Read more of the file; False at the end of it.

        Half as much again as is pending, so a value is parsed a few times (not once per
        megabyte) while the buffer stays within 1.5 times the value; the old buffer is let
        go before the new one is built, so the two are never held at once in full.
        """
        if self.ended:
            return False
        try:
            chunk = self.stream.read(max(READ_BYTES, pending // 2))
            text = self.decode(chunk, final=not chunk)
        except UnicodeDecodeError:
            raise invalid("The record is not UTF-8 text.") from None
        rest = self.buffer[self.pos :]
        self.buffer = ""
        self.buffer = rest + text
        self.pos = 0
        self.ended = not chunk
        return True

    def peek(self) -> str:
        """The next character that is not white space ("" at the end)."""
        while True:
            # A "*" pattern always matches (perhaps nothing).
            self.pos = _SPACE.match(self.buffer, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self.more(0):
                return ""

    def take(self, expected: str) -> str:
        char = self.peek()
        if not char or char not in expected:
            raise invalid("The record is not valid JSON.")
        self.pos += 1
        return char

    def value(self) -> Any:
        self.peek()
        while True:
            pending = len(self.buffer) - self.pos
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError:
                end = -1
            except RecursionError:  # the json module's own depth limit
                raise invalid("The record is nested more deeply than an export is.") from None
            # A value that reaches the end of what was read (a number, or cut short) may go
            # on in the rest of the file: read more and parse it again.
            if end != -1 and (end < len(self.buffer) or self.ended):
                if end - self.pos > self.max_chars:
                    raise too_large()
                # Let a large value's text go before it is decoded (only a large one: the
                # copy of the rest would cost more than it saves after a small one).
                large = end - self.pos > READ_BYTES
                self.buffer, self.pos = (self.buffer[end:], 0) if large else (self.buffer, end)
                return value
            if pending > self.max_chars:
                raise too_large()
            if not self.more(pending):
                raise invalid("The record is not valid JSON.")

    def members(self) -> Iterator[str]:
        """The keys of an object, each followed by reading (or skipping) its value."""
        self.take("{")
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            key = self.value()
            if not isinstance(key, str):
                raise invalid("The record is not valid JSON.")
            self.take(":")
            yield key
            if self.take(",}") == "}":
                return

    def items(self) -> Iterator[Any]:
        self.take("[")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            yield self.value()
            if self.take(",]") == "]":
                return

    def end(self) -> None:
        if self.peek():
            raise invalid("The record is not valid JSON.")


def read_imported_record(stream: Readable) -> ImportedRecord:
    """Strictly read one record of a bundle (with its record key already rewrapped), as the
    browser sends it: its fields, "versions", then "attachments" last (as an export has them).

    The attachments of the result are read from `stream` only as they are iterated, one at a
    time; reading the rest of the record (and refusing what follows it) happens after the
    last one. Raises Refusal (400 malformed, 413 too large) as it reads.
    """
    reader = _JsonStream(stream, max_value_chars())
    members = reader.members()
    fields: dict[str, Any] = {}
    for key in members:
        if key in fields:
            raise invalid(f"A record has {key} twice.")
        if key == "attachments":
            break
        fields[key] = _versions(reader) if key == "versions" else reader.value()
    else:
        raise invalid("A record must have: attachments (after its versions)")
    record = _fields(fields, {"id", "wrapped_key", "versions"}, "A record")
    try:
        return ImportedRecord(
            id=UUID(str(record["id"])),
            wrapped_key=wrapped_key(str(record["wrapped_key"]), "wrapped_key"),
            versions=record["versions"],
            attachments=_attachments(reader, members),
        )
    except (WireError, ValueError) as error:
        raise invalid(str(error)) from None


def _versions(reader: _JsonStream) -> list[ImportedVersion]:
    """Every version, held until the files (which name them) are read: so their number and
    their bytes are bounded, or a record of tiny versions could fill memory (and make the
    server check a receipt signature for each)."""
    versions: list[ImportedVersion] = []
    total = 0
    for data in reader.items():
        versions.append(_version(data))
        total += len(versions[-1].ciphertext)
        if len(versions) > MAX_IMPORT_VERSIONS or total > MAX_IMPORT_VERSIONS_BYTES:
            raise too_large()
    return versions


def _attachments(reader: _JsonStream, members: Iterator[str]) -> Iterator[ImportedAttachment]:
    yield from (_attachment(a) for a in reader.items())
    for key in members:  # nothing else may follow the attachments
        raise invalid(f"A record has {key} after its attachments.")
    reader.end()


def _receipt(data: Any) -> receipts.Receipt:
    try:
        return receipts.from_json(json.dumps(data))
    except ReceiptError as error:
        raise Refusal(400, "import_receipt", f"A receipt is malformed: {error}") from None


def _fields(data: Any, names: set[str], what: str) -> dict[str, Any]:
    if not isinstance(data, dict) or not names <= set(data):
        raise invalid(f"{what} must have: {', '.join(sorted(names))}")
    return data


def _version(data: Any) -> ImportedVersion:
    v = _fields(data, {"ciphertext", "receipt"}, "A version")
    try:
        ciphertext = unb64(str(v["ciphertext"]), "ciphertext", max_bytes=MAX_IMPORT_VERSION_BYTES)
    except WireError as error:
        raise invalid(str(error)) from None
    return ImportedVersion(ciphertext=ciphertext, receipt=_receipt(v["receipt"]))


def _attachment(data: Any) -> ImportedAttachment:
    a = _fields(data, {"id", "version", "ciphertext", "receipt"}, "An attachment")
    if type(a["version"]) is not int:
        raise invalid("An attachment's version must be a number")
    try:
        return ImportedAttachment(
            id=UUID(str(a["id"])),
            version=a["version"],
            ciphertext=unb64(
                str(a["ciphertext"]), "attachment", max_bytes=max_attachment_ciphertext()
            ),
            receipt=_receipt(a["receipt"]),
        )
    except (WireError, ValueError) as error:
        raise invalid(str(error)) from None
