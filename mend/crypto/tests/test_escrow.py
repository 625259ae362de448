from __future__ import annotations

from typing import Any

import pytest

from mend.crypto import canonical, envelope, escrow, group, kdf, oprf, shamir
from mend.crypto.errors import CryptoError, ShareError, UnsupportedVersionError
from mend.crypto.tests.vectors import h, project

VECTORS = project("escrow.json")


@pytest.mark.parametrize("case", VECTORS["secrets"], ids=lambda c: f"t{c['threshold']}")
def test_it_derives_the_escrow_secrets(case: dict[str, Any]) -> None:
    secrets = escrow.derive_escrow_secrets(h(case["oprf_output"]), case["threshold"])
    assert secrets.match_index.hex() == case["match_index"]
    assert secrets.secret.hex() == case["secret"]
    assert [c.hex() for c in secrets.coefficients] == case["coefficients"]
    assert escrow.entry_wrap_key(secrets.secret).hex() == case["entry_wrap_key"]


@pytest.mark.parametrize("case", VECTORS["x_coordinates"])
def test_it_derives_the_x_coordinate_from_the_escrow_id(case: dict[str, Any]) -> None:
    assert escrow.x_coordinate(h(case["escrow_id"])).hex() == case["x"]


def test_it_encodes_and_decodes_the_share_payload() -> None:
    [case] = VECTORS["payloads"]
    share = shamir.Share(h(case["x"]), h(case["y"]))
    payload = escrow.encode_share_payload(share, h(case["wrapped_entry_key"]))
    assert payload.hex() == case["payload"]
    assert escrow.decode_share_payload(payload) == (share, h(case["wrapped_entry_key"]))


def test_it_refuses_bad_payloads() -> None:
    [case] = VECTORS["payloads"]
    payload = h(case["payload"])
    with pytest.raises(ShareError, match="truncated"):
        escrow.decode_share_payload(payload[:65])
    with pytest.raises(UnsupportedVersionError):
        escrow.decode_share_payload(b"\x02" + payload[1:])
    with pytest.raises(CryptoError, match="must not be zero"):
        escrow.decode_share_payload(payload[:1] + bytes(32) + payload[33:])


def test_it_reproduces_a_whole_submission_end_to_end() -> None:
    e2e = VECTORS["end_to_end"]
    identifier = canonical.canonicalise(e2e["kind"], e2e["text"])
    assert identifier == e2e["identifier"]
    data = canonical.oprf_input(identifier)
    server = oprf.derive_key_pair(
        h(e2e["server_seed"]), b"mend-escrow-v1/oprf-key", oprf.Mode.VOPRF
    )
    assert server.public_key.hex() == e2e["server_public_key"]
    blinded = oprf.blind(data, oprf.Mode.VOPRF, blind=h(e2e["blind"]))
    evaluation = oprf.blind_evaluate_verifiable(
        server.secret_key,
        server.public_key,
        [blinded.blinded_element],
        proof_nonce=h(e2e["proof_nonce"]),
    )
    assert evaluation.proof.hex() == e2e["proof"]
    [output] = oprf.finalize_verifiable([data], [blinded], evaluation, server.public_key)
    assert output.hex() == e2e["oprf_output"]
    secrets = escrow.derive_escrow_secrets(output, 2)
    assert secrets.match_index.hex() == e2e["match_index"]
    x = escrow.x_coordinate(h(e2e["escrow_id"]))
    assert secrets.share_for(x).hex() == e2e["y"]
    counselor = envelope.box_keypair(h(e2e["counselor_seed"]))
    payload = envelope.open_sealed(
        counselor, h(e2e["sealed"]), envelope.Context(**e2e["share_context"])
    )
    assert payload.hex() == e2e["payload"]
    share, wrapped = escrow.decode_share_payload(payload)
    assert share == shamir.Share(x, secrets.share_for(x))
    key = envelope.unwrap_key(
        escrow.entry_wrap_key(secrets.secret), wrapped, envelope.Context(**e2e["entry_context"])
    )
    assert key.hex() == e2e["entry_key"]


def test_it_gives_the_same_point_when_one_survivor_names_someone_twice() -> None:
    secrets = escrow.derive_escrow_secrets(bytes(range(64)), 2)
    x = escrow.x_coordinate(b"one survivor's id")
    assert secrets.share_for(x) == secrets.share_for(x)
    with pytest.raises(ShareError, match="same x-coordinate"):
        shamir.interpolate([shamir.Share(x, secrets.share_for(x))] * 2)


def test_it_refuses_bad_inputs() -> None:
    with pytest.raises(CryptoError, match="64 bytes"):
        escrow.derive_escrow_secrets(bytes(32), 2)
    with pytest.raises(ShareError, match="at least 2"):
        escrow.derive_escrow_secrets(bytes(64), 1)
    with pytest.raises(CryptoError, match="at least 16 bytes"):
        escrow.x_coordinate(bytes(15))


def test_it_refuses_an_escrow_id_that_gives_x_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(escrow, "derive_scalar", lambda ikm, label: group.ZERO)
    with pytest.raises(CryptoError, match="x = 0"):
        escrow.x_coordinate(bytes(16))
    assert kdf.derive_scalar(bytes(16), "mend-escrow-v1/x-coordinate") != group.ZERO
