"""Cryptography benchmarks: the server's OPRF costs in Python, the client's costs in Chromium.

    .venv/bin/python bench/crypto.py [--no-browser]

Server side (this process, libsodium via mend.crypto): the cost of one ristretto255 scalar
multiplication, and BlindEvaluate in OPRF mode (target: within 1.25x of one scalar mult) and
in VOPRF mode with its DLEQ proof (target: within 1.25x of the scalar mults it needs: the
evaluation, M = d*C, Z = k*M and t3 = r*M, plus one fixed-base mult for t2 = r*G).

Client side (headless Chromium, page bench/crypto_page.html served from 127.0.0.1 with
Mend's CSP: 'wasm-unsafe-eval', never 'unsafe-eval'): Blind + Finalize (target < 10 ms) and
Argon2id at production cost, 3 passes over 64 MiB (target < 2 s).

Exits non-zero if a target is missed or the page breaks its CSP.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from mend.crypto import group, oprf  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# URL path -> file, the layout the Django app serves (vendor files come from node_modules).
ROUTES = {
    "/bench/crypto_page.html": ROOT / "bench/crypto_page.html",
    "/bench/crypto_page.js": ROOT / "bench/crypto_page.js",
    "/static/vendor/libsodium/libsodium-wrappers.mjs": ROOT
    / "node_modules/libsodium-wrappers-sumo/dist/modules-sumo-esm/libsodium-wrappers.mjs",
    "/static/vendor/libsodium/libsodium-sumo.mjs": ROOT
    / "node_modules/libsodium-sumo/dist/modules-sumo-esm/libsodium-sumo.mjs",
}
TARGET_RATIO = 1.25
TARGET_CLIENT_MS = 10.0
TARGET_ARGON2_MS = 2000.0


def per_op(fn: Callable[[], object], number: int, repeat: int = 7) -> float:
    """Seconds per call: the best of `repeat` runs of `number` calls (timeit's convention)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def server_figures(number: int) -> dict[str, float]:
    keys = oprf.derive_key_pair(bytes(32), b"bench key", oprf.Mode.VOPRF)
    blinded = oprf.blind(b"mend-escrow-v1|email:someone@example.org", oprf.Mode.VOPRF)
    element, k = blinded.blinded_element, keys.secret_key
    return {
        "scalarmult": per_op(lambda: group.mul(k, element), number),
        "scalarmult_base": per_op(lambda: group.mul_base(k), number),
        "oprf": per_op(lambda: oprf.blind_evaluate(k, element), number),
        "voprf": per_op(
            lambda: oprf.blind_evaluate_verifiable(k, keys.public_key, [element]), number // 2
        ),
    }


def report_server(f: dict[str, float]) -> bool:
    voprf_floor = 4 * f["scalarmult"] + f["scalarmult_base"]
    rows = [
        ("crypto_scalarmult_ristretto255 (one)", f["scalarmult"], None),
        ("crypto_scalarmult_ristretto255_base (one)", f["scalarmult_base"], None),
        ("BlindEvaluate, OPRF mode", f["oprf"], f["oprf"] / f["scalarmult"]),
        ("  its floor: 1 scalar mult", f["scalarmult"], None),
        ("BlindEvaluate, VOPRF mode with proof", f["voprf"], f["voprf"] / voprf_floor),
        ("  its floor: 4 scalar mults + 1 base mult", voprf_floor, None),
    ]
    print(f"Server (Python, libsodium {group.libsodium_version()} through mend.crypto)")
    ok = True
    for name, seconds, ratio in rows:
        verdict = ""
        if ratio is not None:
            met = ratio <= TARGET_RATIO
            ok &= met
            verdict = f"  {ratio:.3f}x floor ({'ok' if met else 'MISSED'}, target {TARGET_RATIO}x)"
        print(f"  {name:<44} {seconds * 1e6:9.1f} us{verdict}")
    return ok


class Handler(BaseHTTPRequestHandler):
    csp = ""

    def do_GET(self) -> None:
        path = ROUTES.get(self.path)
        if path is None and self.path.startswith("/static/js/crypto/"):
            candidate = ROOT / "mend" / self.path.lstrip("/")
            path = candidate if re.fullmatch(r"/static/js/crypto/\w+\.js", self.path) else None
        if path is None or not path.is_file():
            self.send_error(404)
            return
        body = path.read_bytes()
        self.send_response(200)
        kind = "text/html" if path.suffix == ".html" else "text/javascript"
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Security-Policy", self.csp)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # the stdlib names it `format`
        pass


def page_csp() -> str:
    """Mend's policy for pages that run libsodium; the import map is allowed by its hash."""
    html = ROUTES["/bench/crypto_page.html"].read_text(encoding="utf-8")
    match = re.search(r'<script type="importmap">(.*?)</script>', html, re.DOTALL)
    assert match is not None, "the bench page lost its import map"
    digest = base64.b64encode(hashlib.sha256(match[1].encode()).digest()).decode()
    return (
        "default-src 'self'; object-src 'none'; base-uri 'none'; "
        f"script-src 'self' 'wasm-unsafe-eval' 'sha256-{digest}'"
    )


@contextmanager
def serve() -> Iterator[str]:
    Handler.csp = page_csp()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def browser_figures() -> dict[str, Any]:

    problems: list[str] = []
    with serve() as origin, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on(
            "console",
            lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.goto(f"{origin}/bench/crypto_page.html")
        text = wait_for_results(page, problems)
        browser.close()
    results: dict[str, Any] = json.loads(text)
    results["problems"] = problems
    return results


def wait_for_results(page: Page, problems: list[str], seconds: float = 120) -> str:
    """The page's results, or an error as soon as the page reports one (a failed wasm load
    aborts libsodium without ever settling its promise, so waiting alone would hang)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(p.startswith("page error") for p in problems):
            raise RuntimeError(f"the bench page failed: {problems}")
        # A selector and text_content() run without eval, so the page's CSP stays intact.
        found = page.query_selector("[data-qa=results]")
        if found is not None:
            return found.text_content() or "{}"
        page.wait_for_timeout(200)
    raise TimeoutError("the bench page did not finish")


def report_browser(r: dict[str, Any]) -> bool:
    version = re.search(r"(?:Headless)?Chrome/[\d.]+", r["userAgent"])
    print(f"Client ({version[0] if version else r['userAgent']}, libsodium.js wasm, Mend's CSP)")
    checks = [
        ("libsodium load + init", r["libsodiumLoadMs"], None),
        ("Blind + Finalize, VOPRF (proof verified)", r["voprfBlindFinalizeMs"], TARGET_CLIENT_MS),
        ("Blind + Finalize, OPRF", r["oprfBlindFinalizeMs"], TARGET_CLIENT_MS),
        ("  of which Blind", r["blindMs"], None),
        ("Argon2id, 3 passes over 64 MiB", r["argon2idMs"], TARGET_ARGON2_MS),
        ("vault keys (Argon2id + 2 HKDF)", r["vaultKeysMs"], TARGET_ARGON2_MS),
    ]
    ok = not r["problems"]
    for name, ms, target in checks:
        verdict = ""
        if target is not None:
            met = ms < target
            ok &= met
            verdict = f"  ({'ok' if met else 'MISSED'}, target < {target:g} ms)"
        print(f"  {name:<44} {ms:9.2f} ms{verdict}")
    for problem in r["problems"]:
        print(f"  PROBLEM: {problem}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-browser", action="store_true", help="server figures only")
    parser.add_argument("--number", type=int, default=2000, help="calls per timing run")
    parser.add_argument("--json", action="store_true", help="also print raw figures as JSON")
    args = parser.parse_args()
    server = server_figures(args.number)
    ok = report_server(server)
    raw: dict[str, Any] = {"server_seconds": server}
    if not args.no_browser:
        print()
        client = browser_figures()
        ok &= report_browser(client)
        raw["client_ms"] = client
    if args.json:
        print(json.dumps(raw, indent=2))
    print("\nall targets met" if ok else "\nSOME TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
