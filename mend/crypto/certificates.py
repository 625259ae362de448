"""Training certificates: Mend's Ed25519 statement that a person completed a learning path.

A certificate travels as one line of text (the compact form), so it fits in a URL fragment,
a QR code, an email or a printed page:

    compact = base64url_nopad(payload | signature)      signature: 64 bytes, Ed25519(payload)

    payload = lp("mend-certificate-v1") | certificate id (16 bytes)
              | lp(name, UTF-8) | lp(path id, ASCII) | lp(path title, UTF-8)
              | module count:u16 | (lp(module id, ASCII) | version:u32) per module
              | lp(issued_at) | lp(expires_at)          times as "YYYY-MM-DDTHH:MM:SSZ", UTC

The payload is the signed message itself, so there is no second encoding to canonicalise;
parsing refuses trailing bytes, any base64 spelling other than the canonical one, and
out-of-range fields, so a changed byte (or character) never yields a certificate that
verifies. The name is the one the holder chose to print; no username or account id is in it.

Revoked certificates are published as a signed list (JSON), signed by the same key over

    lp("mend-certificate-revocations-v1") | lp(published_at) | count:u32 | ids (16 bytes each,
    in ascending order)

Guarantees: a certificate that verifies under Mend's published key was issued by the holder
of the signing key with exactly these fields. Not protected: that the person showing it is
the person named (a certificate is a statement, not an identity document), that the list of
revocations one holds is the newest (its published_at says how old it is), or the truth of
the server's clock. Twin in the browser: static/js/crypto/certificates.js (verifying only).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, Literal
from uuid import UUID

import pysodium

from mend.crypto import labels
from mend.crypto.encoding import from_hex, i2osp, lp
from mend.crypto.errors import CertificateError, CryptoError

SEED_BYTES: Final = 32
PUBLIC_KEY_BYTES: Final = 32
SIGNATURE_BYTES: Final = 64
MAX_TEXT_BYTES: Final = 200  # a name or a title, in UTF-8
MAX_MODULES: Final = 64
_TIME_FORMAT: Final = "%Y-%m-%dT%H:%M:%SZ"
_TIME_SHAPE: Final = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
_ID_SHAPE: Final = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
_BASE64URL: Final = re.compile(r"[A-Za-z0-9_-]+")
_LIST_FIELDS: Final = ("type", "published_at", "revoked", "public_key", "signature")

Status = Literal["valid", "expired", "revoked"]
#: Why a text cannot be a certificate's name or path title (`text_problem`).
TextProblem = Literal["empty", "unprintable", "untrimmed", "too_long"]
#: The zero-width non-joiner and joiner: format characters a name may hold inside it.
JOINERS: Final = "\u200c\u200d"
_JOINERS_REMOVED: Final = dict.fromkeys(map(ord, JOINERS))


@dataclass(frozen=True)
class Certificate:
    certificate_id: UUID
    name: str
    path_id: str
    path_title: str
    modules: tuple[tuple[str, int], ...]
    issued_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class Revocations:
    published_at: datetime
    revoked: frozenset[UUID]


def format_time(moment: datetime) -> str:
    """The one text of a certificate time: UTC, whole seconds (anything finer is dropped)."""
    if moment.tzinfo is None:
        raise CertificateError("certificate times must carry a time zone")
    return moment.astimezone(UTC).strftime(_TIME_FORMAT)


def parse_time(text: str) -> datetime:
    if not _TIME_SHAPE.fullmatch(text):
        raise CertificateError("times must look like 2026-11-24T17:30:00Z")
    try:
        return datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError as error:
        raise CertificateError(f"not a real time: {error}") from error


def printed(name: str) -> str:
    """A name as a certificate carries it: white space collapsed to single spaces, and a
    zero-width joiner or non-joiner dropped where it touches a space or an end, where it
    joins nothing (what mend.certificates.actions.issue signs, and what training's forms
    keep)."""
    words = (word.strip(JOINERS) for word in name.split())
    return " ".join(word for word in words if word)


def text_problem(text: str) -> TextProblem | None:
    """Why `text` cannot be signed as a certificate's name or path title, or None if it can.

    The one rule: the signer applies it (`payload`, `parse_payload`), and mend.training's
    forms apply it before they keep a name, so a name they accept is one the signer signs.
    1 to MAX_TEXT_BYTES bytes of UTF-8, no white space at either end, every character
    printable (`str.isprintable`: no control, format or separator character but the ASCII
    space), except the zero-width non-joiner and joiner between two others: Persian writes
    many surnames with a non-joiner (علی‌پور), and scripts of India join with them. The
    browser's twin (static/js/crypto/certificates.js) and the "texts" of
    tests/vectors/certificates.json hold the same rule: changing what this accepts changes
    them.
    """
    if not text:
        return "empty"
    # First: a lone surrogate cannot be encoded below.
    if not text.translate(_JOINERS_REMOVED).isprintable():
        return "unprintable"
    if text != text.strip() or text[0] in JOINERS or text[-1] in JOINERS:
        return "untrimmed"
    if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
        return "too_long"
    return None


def payload(certificate: Certificate) -> bytes:
    """The exact bytes that are signed (and carried) for `certificate`."""
    _check(certificate)
    modules = b"".join(lp(m.encode("ascii")) + i2osp(v, 4) for m, v in certificate.modules)
    return (
        lp(labels.CERTIFICATE_DOMAIN.encode("ascii"))
        + certificate.certificate_id.bytes
        + lp(certificate.name.encode("utf-8"))
        + lp(certificate.path_id.encode("ascii"))
        + lp(certificate.path_title.encode("utf-8"))
        + i2osp(len(certificate.modules), 2)
        + modules
        + lp(format_time(certificate.issued_at).encode("ascii"))
        + lp(format_time(certificate.expires_at).encode("ascii"))
    )


def public_key_for(signing_seed: bytes) -> bytes:
    """The Ed25519 public key to publish for a 32-byte signing seed."""
    return bytes(pysodium.crypto_sign_seed_keypair(_check_seed(signing_seed))[0])


def sign_certificate(signing_seed: bytes, certificate: Certificate) -> str:
    """The compact text of a signed certificate (Ed25519 is deterministic: no randomness)."""
    _, secret = pysodium.crypto_sign_seed_keypair(_check_seed(signing_seed))
    message = payload(certificate)
    return _b64(message + bytes(pysodium.crypto_sign_detached(message, secret)))


def verify_certificate(compact: str, public_key: bytes) -> Certificate:
    """The certificate in `compact`, if `public_key` signed exactly it; else CertificateError.

    Says nothing about expiry or revocation: see `status`.
    """
    data = _unb64(compact.strip())
    if len(data) <= SIGNATURE_BYTES:
        raise CertificateError("the text is too short to be a certificate")
    message, signature = data[:-SIGNATURE_BYTES], data[-SIGNATURE_BYTES:]
    _verify(message, signature, public_key)
    return parse_payload(message)


def parse_payload(message: bytes) -> Certificate:
    """Strictly decode a payload; every field must be well formed and nothing may follow."""
    reader = _Reader(message)
    if reader.field() != labels.CERTIFICATE_DOMAIN.encode("ascii"):
        raise CertificateError("this is not a mend-certificate-v1")
    certificate_id = UUID(bytes=reader.take(16))
    name, path_id, path_title = reader.text(), reader.ascii(), reader.text()
    modules = tuple((reader.ascii(), reader.integer(4)) for _ in range(reader.integer(2)))
    issued_at, expires_at = parse_time(reader.ascii()), parse_time(reader.ascii())
    reader.end()
    certificate = Certificate(
        certificate_id, name, path_id, path_title, modules, issued_at, expires_at
    )
    _check(certificate)
    return certificate


def status(certificate: Certificate, now: datetime, revoked: Iterable[UUID]) -> Status:
    """What a verified certificate means at `now`: revoked wins over expired."""
    if certificate.certificate_id in set(revoked):
        return "revoked"
    if now >= certificate.expires_at:
        return "expired"
    return "valid"


def revocations_message(published_at: datetime, revoked: Iterable[UUID]) -> bytes:
    ids = sorted(r.bytes for r in set(revoked))
    return (
        lp(labels.REVOCATIONS_DOMAIN.encode("ascii"))
        + lp(format_time(published_at).encode("ascii"))
        + i2osp(len(ids), 4)
        + b"".join(ids)
    )


def sign_revocations(signing_seed: bytes, published_at: datetime, revoked: Iterable[UUID]) -> str:
    """The published list of revoked certificate ids, as a JSON document."""
    public, secret = pysodium.crypto_sign_seed_keypair(_check_seed(signing_seed))
    ids = sorted(set(revoked))
    signature = pysodium.crypto_sign_detached(revocations_message(published_at, ids), secret)
    data = {
        "type": labels.REVOCATIONS_DOMAIN,
        "published_at": format_time(published_at),
        "revoked": [str(i) for i in sorted(ids, key=lambda u: u.bytes)],
        "public_key": bytes(public).hex(),
        "signature": bytes(signature).hex(),
    }
    return json.dumps(data, indent=1) + "\n"


def verify_revocations(text: str, public_key: bytes) -> Revocations:
    """Strictly parse a published list and check that `public_key` signed it."""
    try:
        data: Any = json.loads(text)
    except ValueError as error:
        raise CertificateError(f"the list is not valid JSON: {error}") from error
    if not isinstance(data, dict) or sorted(data) != sorted(_LIST_FIELDS):
        raise CertificateError(f"a list has exactly these fields: {', '.join(_LIST_FIELDS)}")
    if data["type"] != labels.REVOCATIONS_DOMAIN:
        raise CertificateError(f"unknown list type {data['type']!r}")
    if not isinstance(data["revoked"], list) or not all(
        isinstance(i, str) and _is_uuid(i) for i in data["revoked"]
    ):
        raise CertificateError("revoked must be a list of certificate ids")
    if not all(isinstance(data[k], str) for k in ("published_at", "public_key", "signature")):
        raise CertificateError("times, keys and signatures must be strings")
    try:
        listed = from_hex(data["public_key"], PUBLIC_KEY_BYTES, "public_key")
        signature = from_hex(data["signature"], SIGNATURE_BYTES, "signature")
    except CryptoError as error:
        raise CertificateError(str(error)) from error
    if listed != public_key:
        raise CertificateError("the list names a different public key")
    published_at = parse_time(data["published_at"])
    revoked = [UUID(i) for i in data["revoked"]]
    _verify(revocations_message(published_at, revoked), signature, public_key)
    return Revocations(published_at, frozenset(revoked))


class _Reader:
    """Reads length-framed fields off a payload, refusing anything short or left over."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def take(self, count: int) -> bytes:
        if self.at + count > len(self.data):
            raise CertificateError("the certificate ends too early")
        chunk = self.data[self.at : self.at + count]
        self.at += count
        return chunk

    def integer(self, size: int) -> int:
        return int.from_bytes(self.take(size), "big")

    def field(self) -> bytes:
        return self.take(self.integer(2))

    def text(self) -> str:
        try:
            return self.field().decode("utf-8")
        except UnicodeDecodeError as error:
            raise CertificateError("a text field is not UTF-8") from error

    def ascii(self) -> str:
        try:
            return self.field().decode("ascii")
        except UnicodeDecodeError as error:
            raise CertificateError("an id or time is not ASCII") from error

    def end(self) -> None:
        if self.at != len(self.data):
            raise CertificateError("unexpected bytes after the certificate")


def _check(certificate: Certificate) -> None:
    if certificate.issued_at.tzinfo is None or certificate.expires_at.tzinfo is None:
        raise CertificateError("certificate times must carry a time zone")
    for what, text in (("name", certificate.name), ("path title", certificate.path_title)):
        if text_problem(text) is not None:
            raise CertificateError(f"the {what} must be 1 to {MAX_TEXT_BYTES} bytes of text")
    ids = [certificate.path_id, *(m for m, _ in certificate.modules)]
    if not all(_ID_SHAPE.fullmatch(i) for i in ids):
        raise CertificateError("path and module ids are lower-case letters, digits, . _ -")
    if not 1 <= len(certificate.modules) <= MAX_MODULES:
        raise CertificateError(f"a certificate names 1 to {MAX_MODULES} modules")
    if len({m for m, _ in certificate.modules}) != len(certificate.modules):
        raise CertificateError("a module is named twice")
    if not all(0 <= v < 2**32 for _, v in certificate.modules):
        raise CertificateError("module versions must fit in 32 bits")
    if certificate.expires_at <= certificate.issued_at:
        raise CertificateError("a certificate must expire after it is issued")


def _verify(message: bytes, signature: bytes, public_key: bytes) -> None:
    if len(public_key) != PUBLIC_KEY_BYTES:
        raise CertificateError(f"public key must be {PUBLIC_KEY_BYTES} bytes")
    try:
        pysodium.crypto_sign_verify_detached(signature, message, public_key)
    except ValueError as error:
        raise CertificateError("the signature does not match: changed, or not Mend's") from error


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    """Decode canonical unpadded base64url only: the spelling `_b64` gives, nothing else."""
    if not _BASE64URL.fullmatch(text) or len(text) % 4 == 1:
        raise CertificateError("a certificate is one line of letters, digits, - and _")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64(data) != text:
        raise CertificateError("the certificate text was changed")
    return data


def _is_uuid(text: str) -> bool:
    try:
        return str(UUID(text)) == text
    except ValueError:
        return False


def _check_seed(seed: bytes) -> bytes:
    if len(seed) != SEED_BYTES:
        raise CertificateError(f"the signing seed must be {SEED_BYTES} bytes")
    return seed


def modules_of(pairs: Sequence[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    """Modules in one order (by id), so the same set always signs the same bytes."""
    return tuple(sorted((str(m), int(v)) for m, v in pairs))
