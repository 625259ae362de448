from __future__ import annotations

from typing import Any

import pytest

from mend.crypto import kdf
from mend.crypto.errors import CryptoError, ParamsError
from mend.crypto.tests.vectors import h, project

HKDF = project("hkdf.json")
ARGON = project("argon2id.json")


@pytest.mark.parametrize("case", HKDF["hkdf"])
def test_it_reproduces_the_hkdf_vectors(case: dict[str, Any]) -> None:
    prk = kdf.hkdf_extract(h(case["salt"]), h(case["ikm"]))
    assert prk.hex() == case["prk"]
    assert kdf.hkdf_expand(prk, h(case["info"]), case["length"]).hex() == case["okm"]


def test_it_matches_rfc_5869_structure_for_an_empty_salt() -> None:
    # RFC 5869: an absent salt is HashLen zero bytes.
    assert kdf.hkdf_extract(b"", b"ikm") == kdf.hkdf_extract(bytes(64), b"ikm")


@pytest.mark.parametrize("case", HKDF["derive_key"], ids=lambda c: c["label"])
def test_it_derives_a_distinct_key_per_label(case: dict[str, Any]) -> None:
    assert kdf.derive_key(h(HKDF["derive_key_ikm"]), case["label"]).hex() == case["okm"]


@pytest.mark.parametrize("case", HKDF["derive_scalar"], ids=lambda c: c["label"])
def test_it_derives_scalars_per_label(case: dict[str, Any]) -> None:
    assert kdf.derive_scalar(h(HKDF["derive_key_ikm"]), case["label"]).hex() == case["scalar"]


@pytest.mark.parametrize("label", HKDF["derive_key_refused"])
def test_it_refuses_a_label_that_only_starts_with_a_registered_one(label: str) -> None:
    with pytest.raises(CryptoError, match="unknown HKDF label"):
        kdf.derive_key(b"ikm", label)
    with pytest.raises(CryptoError, match="unknown HKDF label"):
        kdf.derive_scalar(b"ikm", label)


def test_it_refuses_unknown_labels_and_lengths() -> None:
    with pytest.raises(CryptoError, match="unknown HKDF label"):
        kdf.derive_key(b"ikm", "mend-vault-v1/typo")
    with pytest.raises(CryptoError, match="length"):
        kdf.hkdf_expand(bytes(64), b"", 255 * 64 + 1)
    assert len(kdf.hkdf_expand(bytes(64), b"", 255 * 64)) == 255 * 64


@pytest.mark.parametrize("case", ARGON["argon2id"], ids=lambda c: c["passphrase"])
def test_it_reproduces_the_argon2id_vectors(case: dict[str, Any]) -> None:
    params = kdf.Argon2Params.from_dict(case["params"])
    assert params.to_dict() == case["params"]
    assert kdf.argon2id(case["passphrase"], params).hex() == case["output"]


def test_it_normalises_the_passphrase_to_nfc() -> None:
    composed, decomposed = ARGON["argon2id"][1:3]
    assert composed["passphrase"] != decomposed["passphrase"]
    assert composed["output"] == decomposed["output"]


def test_it_derives_the_vault_keys_with_production_parameters() -> None:
    [case] = ARGON["vault_keys"]
    params = kdf.Argon2Params.from_dict(case["params"])
    assert (params.opslimit, params.memlimit) == (3, 64 * 1024 * 1024)
    keys = kdf.derive_vault_keys(case["passphrase"], params)
    assert keys.auth_key.hex() == case["auth_key"]
    assert keys.enc_key.hex() == case["enc_key"]
    assert keys.auth_key != keys.enc_key


def test_it_refuses_weak_parameters_for_the_vault() -> None:
    for data in ARGON["weak_for_vault"]:
        params = kdf.Argon2Params.from_dict(data)
        assert kdf.needs_upgrade(params)
        with pytest.raises(ParamsError, match="weaker"):
            kdf.derive_vault_keys("passphrase", params)


@pytest.mark.parametrize("data", ARGON["malformed_params"])
def test_it_refuses_malformed_parameter_records(data: dict[str, Any]) -> None:
    with pytest.raises(ParamsError):
        kdf.Argon2Params.from_dict(data)


def test_it_refuses_out_of_range_parameters_and_empty_passphrases() -> None:
    with pytest.raises(ParamsError, match="opslimit"):
        kdf.Argon2Params(2**32, kdf.MEMLIMIT, bytes(16))
    with pytest.raises(ParamsError, match="memlimit"):
        kdf.Argon2Params(3, 8 * 1024**3, bytes(16))
    with pytest.raises(ParamsError, match="salt"):
        kdf.Argon2Params(3, kdf.MEMLIMIT, bytes(15))
    with pytest.raises(ParamsError, match="empty"):
        kdf.argon2id("", kdf.Argon2Params(1, 8192, bytes(16)))


def test_it_makes_fresh_production_parameters() -> None:
    first, second = kdf.new_params(), kdf.new_params()
    assert first.salt != second.salt
    assert not kdf.needs_upgrade(first)
    assert kdf.Argon2Params.from_dict(first.to_dict()) == first


def test_it_gives_stable_decoy_parameters_per_username() -> None:
    secret = bytes(range(32))
    alice = kdf.decoy_params(secret, "alice")
    assert alice == kdf.decoy_params(secret, "alice")
    assert alice.salt != kdf.decoy_params(secret, "alicf").salt
    assert alice.salt != kdf.decoy_params(bytes(32), "alice").salt
    assert not kdf.needs_upgrade(alice)
    with pytest.raises(ParamsError, match="32 bytes"):
        kdf.decoy_params(bytes(31), "alice")
