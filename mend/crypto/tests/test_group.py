from __future__ import annotations

import pytest

from mend.crypto import group
from mend.crypto.errors import CryptoError, InvalidElementError, InvalidScalarError
from mend.crypto.tests.vectors import h, project

ELEMENTS = project("group.json")

# RFC 9380, Appendix K.3: expand_message_xmd(SHA-512).
XMD_DST = b"QUUX-V01-CS02-with-expander-SHA512-256"
XMD_VECTORS = [
    (b"", 0x20, "6b9a7312411d92f921c6f68ca0b6380730a1a4d982c507211a90964c394179ba"),
    (b"abc", 0x20, "0da749f12fbe5483eb066a5f595055679b976e93abe9be6f0f6318bce7aca8dc"),
    (
        b"abc",
        0x80,
        "7f1dddd13c08b543f2e2037b14cefb255b44c83cc397c1786d975653e36a6b11bdd7732d8b38adb4a0edc2"
        "6a0cef4bb45217135456e58fbca1703cd6032cb1347ee720b87972d63fbf232587043ed2901bce7f22610c"
        "0419751c065922b488431851041310ad659e4b23520e1772ab29dcdeb2002222a363f0c2b1c972b3efe1",
    ),
]


@pytest.mark.parametrize(("msg", "length", "expected"), XMD_VECTORS)
def test_it_matches_the_rfc_9380_expand_message_vectors(
    msg: bytes, length: int, expected: str
) -> None:
    assert group.expand_message_xmd(msg, XMD_DST, length).hex() == expected


@pytest.mark.parametrize(("dst", "length"), [(b"", 32), (b"x" * 256, 32), (b"x", 0), (b"x", 65536)])
def test_it_refuses_out_of_range_expand_message_parameters(dst: bytes, length: int) -> None:
    with pytest.raises(CryptoError, match="out of range"):
        group.expand_message_xmd(b"", dst, length)


def test_it_accepts_the_generator_and_refuses_the_identity() -> None:
    assert group.element(group.GENERATOR) == group.GENERATOR
    assert group.mul_base(group.scalar_from_int(1)) == group.GENERATOR
    with pytest.raises(InvalidElementError, match="identity"):
        group.element(group.IDENTITY)


@pytest.mark.parametrize("encoding", ELEMENTS["valid"])
def test_it_accepts_the_shared_valid_elements(encoding: str) -> None:
    assert group.element(h(encoding)) == h(encoding)


@pytest.mark.parametrize("case", ELEMENTS["invalid"], ids=lambda c: c["why"])
def test_it_refuses_the_shared_invalid_elements(case: dict[str, str]) -> None:
    # Bit 255 set: libsodium 1.0.18 ignores it, so group.element must refuse it itself.
    with pytest.raises(InvalidElementError):
        group.element(h(case["element"]))


def test_it_checks_scalars_are_canonical() -> None:
    largest = (group.ORDER - 1).to_bytes(32, "little")
    assert group.scalar(largest) == largest
    with pytest.raises(InvalidScalarError, match="not below"):
        group.scalar(group.ORDER.to_bytes(32, "little"))
    with pytest.raises(InvalidScalarError, match="32 bytes"):
        group.scalar(bytes(33))
    with pytest.raises(InvalidScalarError, match="outside"):
        group.scalar_from_int(group.ORDER)
    with pytest.raises(InvalidScalarError, match="no inverse"):
        group.scalar_invert(group.ZERO)


def test_it_handles_zero_and_the_identity_in_arithmetic() -> None:
    one = group.scalar_from_int(1)
    assert group.mul(group.ZERO, group.GENERATOR) == group.IDENTITY
    assert group.mul(one, group.IDENTITY) == group.IDENTITY
    assert group.mul_base(group.ZERO) == group.IDENTITY
    assert group.add(group.IDENTITY, group.GENERATOR) == group.GENERATOR


def test_it_does_scalar_arithmetic_modulo_the_order() -> None:
    a = group.scalar_from_int(group.ORDER - 1)
    two = group.scalar_from_int(2)
    assert group.scalar_add(a, two) == group.scalar_from_int(1)
    assert group.scalar_sub(group.ZERO, two) == group.scalar_from_int(group.ORDER - 2)
    assert group.scalar_mul(two, group.scalar_invert(two)) == group.scalar_from_int(1)
    assert group.random_scalar() != group.random_scalar()


def test_it_names_the_libsodium_version() -> None:
    assert group.libsodium_version().count(".") == 2
