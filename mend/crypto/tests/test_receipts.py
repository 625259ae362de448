from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from mend.crypto import receipts
from mend.crypto.errors import ReceiptError
from mend.crypto.tests.vectors import h, project

VECTORS = project("receipts.json")
SEED = h(VECTORS["signing_seed"])
PUBLIC = h(VECTORS["public_key"])


@pytest.mark.parametrize("case", VECTORS["receipts"])
def test_it_reproduces_and_verifies_the_receipt_vectors(case: dict[str, Any]) -> None:
    receipt = receipts.from_json(case["json"])
    receipts.verify_receipt(receipt, PUBLIC)
    receipts.check_ciphertext(receipt, h(case["ciphertext"]))
    message = receipts.receipt_message(
        receipt.object_id, receipt.version, receipt.ciphertext_sha256, receipt.received_at
    )
    assert message.hex() == case["message"]
    again = receipts.sign_receipt(
        SEED, receipt.object_id, receipt.version, h(case["ciphertext"]), receipt.received_at
    )
    assert receipts.to_json(again) == case["json"]


@pytest.mark.parametrize("case", VECTORS["forged"], ids=lambda c: c["why"])
def test_it_refuses_every_forged_receipt(case: dict[str, Any]) -> None:
    with pytest.raises(ReceiptError):
        receipts.verify_receipt(receipts.from_json(case["json"]), PUBLIC)


def test_it_refuses_another_public_key_and_the_wrong_ciphertext() -> None:
    receipt = receipts.from_json(VECTORS["receipts"][0]["json"])
    with pytest.raises(ReceiptError, match="different public key"):
        receipts.verify_receipt(receipt, receipts.public_key_for(bytes(32)))
    with pytest.raises(ReceiptError, match="32 bytes"):
        receipts.verify_receipt(receipt, PUBLIC[:31])
    with pytest.raises(ReceiptError, match="not the one"):
        receipts.check_ciphertext(receipt, b"ciphertexT")


def test_it_signs_the_same_instant_the_same_way_in_any_time_zone() -> None:
    utc = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
    madrid = utc.astimezone(timezone(timedelta(hours=1)))
    assert receipts.sign_receipt(SEED, "a", 1, b"c", utc) == receipts.sign_receipt(
        SEED, "a", 1, b"c", madrid
    )


def test_it_refuses_unusable_fields() -> None:
    naive = datetime(2025, 3, 1, 9, 30)  # no time zone: the point of the test
    with pytest.raises(ReceiptError, match="time zone"):
        receipts.sign_receipt(SEED, "a", 1, b"c", naive)
    moment = datetime(2025, 3, 1, tzinfo=UTC)
    for object_id, version in (("", 1), ("x" * 256, 1), ("a", -1), ("a", 2**32)):
        with pytest.raises(ReceiptError):
            receipts.sign_receipt(SEED, object_id, version, b"c", moment)
    with pytest.raises(ReceiptError, match="32 bytes"):
        receipts.receipt_message("a", 1, bytes(31), moment)
    with pytest.raises(ReceiptError, match="seed"):
        receipts.public_key_for(bytes(31))


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        json.dumps({"type": "mend-receipt-v1"}),
    ],
)
def test_it_refuses_files_that_are_not_receipts(text: str) -> None:
    with pytest.raises(ReceiptError):
        receipts.from_json(text)


def test_it_refuses_fields_of_the_wrong_type() -> None:
    data = json.loads(VECTORS["receipts"][0]["json"])
    for change in ({"object_id": 1}, {"version": True}, {"signature": 5}, {"received_at": None}):
        with pytest.raises(ReceiptError):
            receipts.from_json(json.dumps({**data, **change}))
