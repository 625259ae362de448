from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from mend.crypto import endorsement, labels
from mend.crypto.errors import EndorsementError
from mend.crypto.tests.vectors import h, project

VECTORS = project("endorsement.json")
OPERATOR = h(VECTORS["operator_public_key"])


def record(data: dict[str, Any]) -> endorsement.KeyRecord:
    return endorsement.KeyRecord(
        key_id=UUID(data["key_id"]),
        owner_id=UUID(data["owner_id"]),
        public_key=h(data["public_key"]),
        signing_public_key=h(data["signing_public_key"]),
        endorsed_by=UUID(data["endorsed_by"]) if data["endorsed_by"] else None,
        signature=h(data["signature"]),
    )


def test_it_pins_the_labels() -> None:
    assert VECTORS["domain"] == labels.ENDORSEMENT_DOMAIN
    assert VECTORS["signing_seed_label"] == labels.COUNSELOR_SIGNING_SEED
    assert endorsement.signing_public_key(h(VECTORS["operator_seed"])) == OPERATOR


@pytest.mark.parametrize("case", VECTORS["signing_keys"])
def test_it_derives_the_signing_key_from_the_box_secret_key(case: dict[str, str]) -> None:
    seed = endorsement.signing_seed(h(case["box_secret_key"]))
    assert seed.hex() == case["signing_seed"]
    assert endorsement.signing_public_key(seed).hex() == case["signing_public_key"]
    fingerprint = endorsement.fingerprint(h(case["public_key"]), h(case["signing_public_key"]))
    assert fingerprint == case["fingerprint"]


@pytest.mark.parametrize("case", VECTORS["messages"])
def test_it_rebuilds_the_signed_message_and_the_signature(case: dict[str, str]) -> None:
    key_id, owner = UUID(case["key_id"]), UUID(case["owner_id"])
    public, signing = h(case["public_key"]), h(case["signing_public_key"])
    message = endorsement.endorsement_message(key_id, owner, public, signing)
    assert message.hex() == case["message"]
    seed = h(VECTORS["operator_seed"])
    signature = endorsement.sign_endorsement(seed, key_id, owner, public, signing)
    assert signature.hex() == case["signature"]


@pytest.mark.parametrize("case", VECTORS["chains"], ids=lambda c: c["name"])
def test_it_trusts_exactly_the_keys_a_chain_links_to_the_operator(case: dict[str, Any]) -> None:
    records = [record(r) for r in case["records"]]
    trusted = endorsement.trusted_keys(records, OPERATOR)
    assert sorted(str(k) for k in trusted) == case["trusted"]


def test_it_refuses_a_signature_over_another_key() -> None:
    first = record(VECTORS["chains"][0]["records"][1])
    changed = endorsement.KeyRecord(
        first.key_id,
        first.owner_id,
        bytes(32),  # the server swapped in a key of its own
        first.signing_public_key,
        None,
        first.signature,
    )
    with pytest.raises(EndorsementError):
        endorsement.verify_endorsement(changed, OPERATOR)
    assert endorsement.trusted_keys([changed], OPERATOR) == set()


def test_it_refuses_keys_of_the_wrong_length_by_name() -> None:
    first = record(VECTORS["chains"][0]["records"][1])
    with pytest.raises(EndorsementError, match="the public key must be 32 bytes"):
        endorsement.endorsement_message(first.key_id, first.owner_id, bytes(31), bytes(32))
    with pytest.raises(EndorsementError, match="the signing public key must be 32 bytes"):
        endorsement.endorsement_message(first.key_id, first.owner_id, bytes(32), bytes(33))
