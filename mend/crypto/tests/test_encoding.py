from __future__ import annotations

import pytest

from mend.crypto.encoding import from_hex, i2osp, lp
from mend.crypto.errors import CryptoError


def test_it_encodes_integers_big_endian_in_a_fixed_width() -> None:
    assert i2osp(258, 2) == b"\x01\x02"
    assert i2osp(0, 1) == b"\x00"
    for value, length in ((256, 1), (-1, 2)):
        with pytest.raises(CryptoError, match="does not fit"):
            i2osp(value, length)


def test_it_frames_fields_so_different_lists_never_collide() -> None:
    assert lp(b"ab") == b"\x00\x02ab"
    assert lp(b"a") + lp(b"bc") != lp(b"ab") + lp(b"c")
    with pytest.raises(CryptoError):
        lp(bytes(65536))


def test_it_reads_only_lower_case_hex_of_the_right_length() -> None:
    assert from_hex("00ff") == b"\x00\xff"
    assert from_hex("00ff", 2) == b"\x00\xff"
    for text in ("00FF", "0", "zz", " 00"):
        with pytest.raises(CryptoError, match="hexadecimal"):
            from_hex(text)
    with pytest.raises(CryptoError, match="2 bytes, got 1"):
        from_hex("00", 2)
