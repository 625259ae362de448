"""Training certificates: known answers shared with the browser, and every way to refuse."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import UUID

import pysodium
import pytest

from mend.crypto import certificates, labels
from mend.crypto.certificates import Certificate
from mend.crypto.errors import CertificateError
from mend.crypto.tests.vectors import h, project

VECTORS = project("certificates.json")
SEED = h(VECTORS["signing_seed"])
PUBLIC = h(VECTORS["public_key"])


def from_case(case: dict[str, Any]) -> Certificate:
    return Certificate(
        certificate_id=UUID(case["certificate_id"]),
        name=case["name"],
        path_id=case["path_id"],
        path_title=case["path_title"],
        modules=tuple((m, v) for m, v in case["modules"]),
        issued_at=certificates.parse_time(case["issued_at"]),
        expires_at=certificates.parse_time(case["expires_at"]),
    )


FIRST = from_case(VECTORS["certificates"][0])


def test_the_labels_are_pinned() -> None:
    assert VECTORS["certificate_domain"] == labels.CERTIFICATE_DOMAIN
    assert VECTORS["revocations_domain"] == labels.REVOCATIONS_DOMAIN
    assert certificates.public_key_for(SEED) == PUBLIC


@pytest.mark.parametrize("case", VECTORS["certificates"], ids=lambda c: c["path_id"])
def test_it_signs_and_verifies_the_certificate_vectors(case: dict[str, Any]) -> None:
    certificate = from_case(case)
    assert certificates.payload(certificate).hex() == case["payload"]
    assert certificates.sign_certificate(SEED, certificate) == case["compact"]
    assert certificates.verify_certificate(case["compact"], PUBLIC) == certificate
    assert certificates.verify_certificate(f"  {case['compact']}\n", PUBLIC) == certificate


@pytest.mark.parametrize("case", VECTORS["forged"], ids=lambda c: c["why"])
def test_it_refuses_every_forged_certificate(case: dict[str, Any]) -> None:
    with pytest.raises(CertificateError):
        certificates.verify_certificate(case["compact"], PUBLIC)


def test_a_changed_byte_anywhere_never_verifies() -> None:
    compact = VECTORS["certificates"][0]["compact"]
    raw = certificates._unb64(compact)
    for index in range(len(raw)):
        changed = bytearray(raw)
        changed[index] ^= 0x01
        with pytest.raises(CertificateError):
            certificates.verify_certificate(certificates._b64(bytes(changed)), PUBLIC)


@pytest.mark.parametrize("case", VECTORS["status"], ids=lambda c: f"{c['status']}-{c['now']}")
def test_it_tells_valid_expired_and_revoked_apart(case: dict[str, Any]) -> None:
    certificate = from_case(VECTORS["certificates"][case["certificate"]])
    revoked = [certificate.certificate_id] if case["revoked"] else []
    now = certificates.parse_time(case["now"])
    assert certificates.status(certificate, now, revoked) == case["status"]


def test_it_verifies_the_published_list_of_revocations() -> None:
    listing = VECTORS["revocations"]
    found = certificates.verify_revocations(listing["json"], PUBLIC)
    assert found.published_at == datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    assert UUID(VECTORS["certificates"][1]["certificate_id"]) in found.revoked
    message = certificates.revocations_message(found.published_at, found.revoked)
    assert message.hex() == listing["message"]
    assert certificates.sign_revocations(SEED, found.published_at, found.revoked) == listing["json"]


def test_it_refuses_a_list_with_an_entry_removed() -> None:
    with pytest.raises(CertificateError, match="signature"):
        certificates.verify_revocations(VECTORS["revocations"]["forged"], PUBLIC)


def listing_with(**changes: Any) -> str:
    data = json.loads(VECTORS["revocations"]["json"])
    data.update(changes)
    return json.dumps({k: v for k, v in data.items() if v is not None})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not valid JSON"),
        ("[]", "exactly these fields"),
        (listing_with(type="mend-certificate-revocations-v2"), "unknown list type"),
        (listing_with(revoked=["not-an-id"]), "list of certificate ids"),
        (listing_with(revoked="x"), "list of certificate ids"),
        (listing_with(published_at=5), "must be strings"),
        (listing_with(public_key="zz"), "hexadecimal"),
        (listing_with(public_key="00" * 32), "different public key"),
        (listing_with(published_at="2026-11-25 08:00:00"), "must look like"),
    ],
)
def test_it_refuses_a_malformed_list(text: str, message: str) -> None:
    with pytest.raises(CertificateError, match=message):
        certificates.verify_revocations(text, PUBLIC)


def changed(**fields: Any) -> Certificate:
    return dataclasses.replace(FIRST, **fields)


@pytest.mark.parametrize(
    ("certificate", "message"),
    [
        (changed(name=""), "name must be"),
        (changed(name=" Carol"), "name must be"),
        (changed(name="Carol\nCounselor"), "name must be"),
        (changed(name="x" * 201), "name must be"),
        (changed(path_title="\u200b"), "path title must be"),
        (changed(path_id="Staff"), "lower-case"),
        (changed(modules=(("a b", 1),)), "lower-case"),
        (changed(modules=()), "1 to 64 modules"),
        (changed(modules=tuple((f"m{i}", 1) for i in range(65))), "1 to 64 modules"),
        (changed(modules=(("a", 1), ("a", 2))), "named twice"),
        (changed(modules=(("a", 2**32),)), "32 bits"),
        (changed(expires_at=FIRST.issued_at), "expire after"),
        (changed(issued_at=datetime(2026, 11, 24, 17, 30)), "time zone"),
    ],
)
def test_it_refuses_to_sign_what_it_could_not_read_back(
    certificate: Certificate, message: str
) -> None:
    with pytest.raises(CertificateError, match=message):
        certificates.sign_certificate(SEED, certificate)


def test_a_time_without_a_zone_is_refused() -> None:
    with pytest.raises(CertificateError, match="time zone"):
        certificates.format_time(datetime(2026, 11, 24, 17, 30))


def test_times_are_whole_seconds_in_utc_whatever_the_zone_given() -> None:
    moment = datetime(2026, 11, 24, 12, 30, 0, 999999, tzinfo=timezone(timedelta(hours=-5)))
    assert certificates.format_time(moment) == "2026-11-24T17:30:00Z"
    with pytest.raises(CertificateError, match="not a real time"):
        certificates.parse_time("2026-02-30T00:00:00Z")


def raw_compact(message: bytes) -> str:
    """`message` signed with the vector key, whatever it holds (to reach the parser)."""
    _, secret = pysodium.crypto_sign_seed_keypair(SEED)
    return certificates._b64(message + bytes(pysodium.crypto_sign_detached(message, secret)))


@pytest.mark.parametrize(
    ("message", "error"),
    [
        (b"\x00\x03abc" + b"\x00" * 16, "not a mend-certificate-v1"),
        (certificates.payload(FIRST)[:30], "ends too early"),
        (certificates.payload(FIRST) + b"\x00", "unexpected bytes"),
        (
            certificates.payload(FIRST).replace(b"Carol Counselor", b"Carol Counselo\xff"),
            "not UTF-8",
        ),
        (certificates.payload(FIRST).replace(b"staff", b"st\xe4ff"), "not ASCII"),
    ],
)
def test_it_refuses_a_signed_payload_it_cannot_read(message: bytes, error: str) -> None:
    with pytest.raises(CertificateError, match=error):
        certificates.verify_certificate(raw_compact(message), PUBLIC)


def test_it_refuses_short_texts_bad_keys_and_seeds() -> None:
    with pytest.raises(CertificateError, match="too short"):
        certificates.verify_certificate("AAAA", PUBLIC)
    with pytest.raises(CertificateError, match="one line"):
        certificates.verify_certificate("AAAAA", PUBLIC)
    with pytest.raises(CertificateError, match="32 bytes"):
        certificates.verify_certificate(VECTORS["certificates"][0]["compact"], b"\x00")
    with pytest.raises(CertificateError, match="seed"):
        certificates.public_key_for(b"short")


def test_modules_are_put_in_one_order() -> None:
    assert certificates.modules_of([("b", 2), ("a", 1)]) == (("a", 1), ("b", 2))


def test_a_name_is_printed_with_its_white_space_collapsed() -> None:
    # What the signer signs and what training keeps: one spelling of a name.
    assert certificates.printed("  Ana \t María\n López ") == "Ana María López"
    assert certificates.text_problem(certificates.printed(" Ana  López ")) is None
    # A joiner that joins nothing goes; one between two letters stays.
    assert certificates.printed("\u200cعلی\u200cپور\u200d \u200c Ana\u200d") == "علی\u200cپور Ana"
    assert certificates.printed("\u200c \u200d") == ""


@pytest.mark.parametrize("case", VECTORS["texts"], ids=lambda c: repr(c["text"])[:30])
def test_it_takes_or_refuses_each_text_of_the_vectors_for_the_reason_they_give(
    case: dict[str, Any],
) -> None:
    assert certificates.text_problem(case["text"]) == case["problem"]
    if case["problem"] is None:
        certificates.payload(changed(name=case["text"]))
    else:
        with pytest.raises(CertificateError, match="name must be"):
            certificates.payload(changed(name=case["text"]))
