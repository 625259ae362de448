from __future__ import annotations

import pytest

from mend.crypto import labels
from mend.crypto.errors import CryptoError
from mend.crypto.tests.vectors import project

VECTORS = project("labels.json")


def test_it_pins_every_label_to_the_shared_file() -> None:
    assert VECTORS["oprf_prefix"] == labels.ESCROW_OPRF_PREFIX
    assert VECTORS["oprf_key_info"] == labels.ESCROW_OPRF_KEY_INFO
    assert VECTORS["receipt_domain"] == labels.RECEIPT_DOMAIN
    assert {getattr(labels, n) for n in VECTORS["hkdf"]} == set(labels.HKDF_LABELS)
    assert {n: getattr(labels, n) for n in VECTORS["hkdf"]} == VECTORS["hkdf"]
    assert set(VECTORS["purposes"].values()) == labels.PURPOSES


def test_it_keeps_every_label_distinct() -> None:
    values = [*labels.HKDF_LABELS, *labels.PURPOSES]
    assert len(values) == len(set(values))
    # No HKDF label is a prefix of another, except the numbered coefficient family.
    for a in labels.HKDF_LABELS:
        for b in labels.HKDF_LABELS:
            assert a == b or not b.startswith(a)


def test_it_numbers_coefficients_from_one() -> None:
    assert labels.escrow_coefficient_label(2) == "mend-escrow-v1/coefficient/2"
    with pytest.raises(CryptoError):
        labels.escrow_coefficient_label(0)
