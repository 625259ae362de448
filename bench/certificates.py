"""Certificate benchmarks: how many certificates one core verifies a second.

    .venv/bin/python bench/certificates.py [--seconds 3]

Verifying is what a verifier's computer does (verify_certificate, Python) and what the verify
page does in the browser (static/js/crypto/certificates.js, timed here in node on one
thread, the same module and libsodium build). A full check: decode the text strictly,
verify the Ed25519 signature, parse every field. The certificate is a realistic one: a
30-character name and the 14 modules of a full path. Target: 1,000 or more a second per core
on both (issue 14). Signing (what issue() adds to a database write) is reported beside.

Exits non-zero if a target is missed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from mend.crypto import certificates  # noqa: E402

TARGET_PER_SECOND = 1000
SEED = bytes(range(32))


def sample() -> certificates.Certificate:
    return certificates.Certificate(
        certificate_id=uuid.UUID("0f0e0d0c-0b0a-4908-8706-050403020100"),
        name="María José Núñez-Example Smith",
        path_id="staff",
        path_title="Mend's counselors and facilitators",
        modules=tuple((f"module-{n:02d}-example", 1) for n in range(1, 15)),
        issued_at=datetime(2026, 11, 24, 17, 30, tzinfo=UTC),
        expires_at=datetime(2028, 11, 24, 17, 30, tzinfo=UTC),
    )


def rate(work: Callable[[], object], seconds: float) -> float:
    for _ in range(200):
        work()
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(100):
            work()
        count += 100
    return count / (time.perf_counter() - start)


def node_rate(compact: str, key: bytes, seconds: float) -> float:
    script = ROOT / "bench" / "certificates_verify.mjs"
    result = subprocess.run(
        ["node", str(script), compact, key.hex(), str(seconds)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return float(json.loads(result.stdout)["per_second"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    seconds = parser.parse_args().seconds
    certificate = sample()
    compact = certificates.sign_certificate(SEED, certificate)
    key = certificates.public_key_for(SEED)
    figures = {
        "certificate_text_characters": len(compact),
        "python_verify_per_second": rate(
            lambda: certificates.verify_certificate(compact, key), seconds
        ),
        "python_sign_per_second": rate(
            lambda: certificates.sign_certificate(SEED, certificate), seconds
        ),
        "node_verify_per_second": node_rate(compact, key, seconds),
    }
    print(json.dumps({k: round(v) for k, v in figures.items()}, indent=1))
    missed = [
        name
        for name in ("python_verify_per_second", "node_verify_per_second")
        if figures[name] < TARGET_PER_SECOND
    ]
    if missed:
        print(f"below {TARGET_PER_SECOND} a second: {', '.join(missed)}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
