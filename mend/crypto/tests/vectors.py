"""Loading the shared test vectors (the same files node --test reads)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
PROJECT = ROOT / "tests" / "vectors"
RFC9497 = ROOT / "../shared/vectors/rfc9497-ristretto255-sha512.json"


def project(name: str) -> Any:
    """One of tests/vectors/*.json."""
    return json.loads((PROJECT / name).read_text(encoding="utf-8"))


def rfc9497() -> list[dict[str, Any]]:
    """The official RFC 9497 ristretto255-SHA512 suites (OPRF and VOPRF; POPRF left out)."""
    suites: list[dict[str, Any]] = json.loads(RFC9497.read_text(encoding="utf-8"))
    return [s for s in suites if s["mode"] in (0, 1)]


def h(text: str) -> bytes:
    return bytes.fromhex(text)


def hs(text: str) -> list[bytes]:
    """A batch field: comma-separated hex."""
    return [bytes.fromhex(part) for part in text.split(",")]


def flip(data: bytes, index: int, bit: int = 0) -> bytes:
    """`data` with one bit flipped."""
    out = bytearray(data)
    out[index] ^= 1 << bit
    return bytes(out)
