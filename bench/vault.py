"""Vault benchmarks (issue 4): server time per record save, and opening a list in Chromium.

    .venv/bin/python bench/vault.py                       # SQLite (a fresh file in /tmp)
    .venv/bin/python -m mend.lib.pgtemp -- .venv/bin/python bench/vault.py   # PostgreSQL

1. Server time per save: 10,000 stored records across 1,000 accounts, then SAVES new
   versions of random records by random survivors, each a real envelope (about 2 KB) posted
   as the browser posts it (multipart, session, CSRF middleware, signing, one transaction),
   through Django's test client in this process. Prints p50 and p95 (target p95 < 50 ms).
2. Opening the list: one survivor with 200 records; headless Chromium, already signed in
   (vault key in the tab), loads /record/ from gunicorn and waits until every record is
   decrypted and shown. Prints the median of 5 loads (target < 1 s), and the log-in itself
   (Argon2id at production cost in the browser) for reference.

Figures go in docs/performance.md, section "Vault". Exits non-zero if a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="mend-bench-vault-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}")
os.environ["MEND_ENV"] = "test"
os.environ["DJANGO_SETTINGS_MODULE"] = "mend.settings"

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from mend.accounts import actions as account_actions  # noqa: E402
from mend.accounts.models import User  # noqa: E402
from mend.crypto import envelope  # noqa: E402
from mend.lib.pgtemp import free_port  # noqa: E402
from mend.vault import receipts as server_receipts  # noqa: E402
from mend.vault.models import Record, RecordVersion  # noqa: E402
from mend.vault.testing import Draft, Survivor, recovery_auth  # noqa: E402

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
TARGET_SAVE_P95_MS = 50.0
TARGET_LIST_MS = 1000.0
WORDS = ["the", "words", "she", "chose", "to", "write", "down", "today", "in", "her", "own", "time"]


def content(n: int = 300) -> dict[str, Any]:
    text = " ".join(random.choice(WORDS) for _ in range(n))
    return {"v": 1, "fields": {"title": text[:40], "what": text, "wants": text[:200]}}


def populate(accounts: int, per_account: int) -> list[tuple[User, Draft]]:
    """Accounts and records straight through the ORM (the save path is what we time)."""
    password = make_password("bench")  # one hash for all: creating accounts is not timed
    users = [
        User(username=f"bench{n:05d}", password=password, role="survivor") for n in range(accounts)
    ]
    User.objects.bulk_create(users, batch_size=500)
    users = list(User.objects.filter(username__startswith="bench").order_by("username"))
    now = timezone.now()
    drafts: list[tuple[User, Draft]] = []
    records, versions = [], []
    for user in users:
        vk = envelope.new_key()
        for _ in range(per_account):
            draft = Draft(vk=vk, version=1)
            sealed = draft.seal(content(), 1)
            receipt = server_receipts.sign(str(draft.id), 1, sealed, now)
            records.append(
                Record(
                    id=draft.id,
                    owner=user,
                    wrapped_key=draft.wrapped_key(),
                    current_version=1,
                    created_at=now,
                    updated_at=now,
                )
            )
            versions.append(
                RecordVersion(
                    record_id=draft.id,
                    version=1,
                    ciphertext=sealed,
                    size=len(sealed),
                    received_at=now,
                    signature=receipt.signature,
                    signer=receipt.public_key,
                )
            )
            drafts.append((user, draft))
    Record.objects.bulk_create(records, batch_size=1000)
    RecordVersion.objects.bulk_create(versions, batch_size=1000)
    return drafts


def time_saves(drafts: list[tuple[User, Draft]], saves: int) -> list[float]:
    clients: dict[Any, Client] = {}
    sample = random.sample(drafts, saves)
    timings = []
    for user, draft in sample:
        client = clients.get(user.pk)
        if client is None:
            client = clients[user.pk] = Client()
            client.force_login(user)
        form = draft.save_form(content())
        url = f"/api/v1/vault/records/{draft.id}/versions"
        start = time.perf_counter()
        response = client.post(url, form)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 201, response.content
        draft.version += 1
    return timings


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


# --- The list of 200 records in Chromium ----------------------------------------------------


def survivor_with_records(count: int) -> tuple[Survivor, User]:
    sam = Survivor(f"bench-list-{uuid.uuid4().hex[:6]}", "a passphrase for the benchmark")
    user = account_actions.do_sign_up_survivor(
        sam.username,
        sam.vault_id,
        account_actions.VaultKeyMaterial(sam.keys.auth_key, sam.params, sam.wrapped_vk()),
        account_actions.RecoveryMaterial(
            recovery_auth(sam.recovery_key), sam.recovery_wrapped_vk()
        ),
    )
    client = Client()
    client.force_login(user)
    for _ in range(count):
        draft = Draft(vk=sam.vk)
        response = client.post(
            f"/api/v1/vault/records/{draft.id}/versions", draft.save_form(content())
        )
        assert response.status_code == 201
    return sam, user


def start_server(port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "MEND_ENV": "test", "DJANGO_SETTINGS_MODULE": "mend.settings"}
    command = [GUNICORN, "mend.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "2"]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def browser_figures(count: int, loads: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    sam, _ = survivor_with_records(count)
    port = free_port()
    server = start_server(port)
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(base + "/account/login/")
            page.fill("#username", sam.username)
            page.fill("#passphrase", sam.passphrase)
            start = time.perf_counter()
            page.click("[data-qa=login]")
            page.wait_for_selector("[data-qa=record-list][data-state=ready]", timeout=60_000)
            login_ms = (time.perf_counter() - start) * 1000
            assert page.locator("[data-qa=record]").count() == count
            wall, in_page = [], []
            for _ in range(loads):
                start = time.perf_counter()
                page.goto(base + "/record/")
                page.wait_for_selector("[data-qa=record-list][data-state=ready]", timeout=60_000)
                wall.append((time.perf_counter() - start) * 1000)
                mark = "performance.getEntriesByName('mend:list-ready')[0].startTime"
                in_page.append(float(page.evaluate(mark)))
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    return {
        "login_ms": login_ms,
        "list_wall_ms": statistics.median(wall),
        "list_in_page_ms": statistics.median(in_page),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--records-per-account", type=int, default=10)
    parser.add_argument("--saves", type=int, default=500)
    parser.add_argument("--list-records", type=int, default=200)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    drafts = populate(args.accounts, args.records_per_account)
    figures: dict[str, Any] = {
        "database": connection.vendor,
        "stored_records": Record.objects.count(),
        "accounts": args.accounts,
        "populate_s": round(time.perf_counter() - start, 1),
    }
    timings = time_saves(drafts, args.saves)
    figures.update(
        saves=len(timings),
        save_p50_ms=round(percentile(timings, 50), 2),
        save_p95_ms=round(percentile(timings, 95), 2),
        save_mean_ms=round(statistics.fmean(timings), 2),
    )
    if not args.no_browser:
        figures.update({k: round(v, 1) for k, v in browser_figures(args.list_records, 5).items()})
        figures["list_records"] = args.list_records
    print(
        json.dumps(figures, indent=2)
        if args.json
        else "\n".join(f"{k}: {v}" for k, v in figures.items())
    )
    missed = figures["save_p95_ms"] >= TARGET_SAVE_P95_MS or (
        not args.no_browser and figures["list_wall_ms"] >= TARGET_LIST_MS
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
