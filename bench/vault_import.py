"""Vault import memory (issue 9): a worker's peak memory while it imports one large record.

    .venv/bin/python bench/vault_import.py [--files 10] [--file-mb 10]

Builds one record with FILES files of FILE_MB MB each (real envelopes, saved five files at a
time as the browser saves them), exports it, deletes it, and posts the exported record to
/api/v1/vault/import of a one-worker gunicorn, as the browser's import does (multipart, the
session cookie, CSRF). Prints the size of the upload and the worker's resident memory
before the request and at its peak (VmHWM), from /proc. Figures go in docs/performance.md.
Exits non-zero unless the import answers 201.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="mend-bench-import-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}")
os.environ["MEND_ENV"] = "test"
os.environ["DJANGO_SETTINGS_MODULE"] = "mend.settings"

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from mend.accounts.models import User  # noqa: E402
from mend.crypto import envelope  # noqa: E402
from mend.lib.pgtemp import free_port  # noqa: E402
from mend.vault import actions, bundle  # noqa: E402
from mend.vault.testing import Draft  # noqa: E402

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
MB = 1024 * 1024
CSRF = "b" * 32  # any 32 letters: the cookie and the header only have to agree


def exported_record(user: User, files: int, file_bytes: int) -> Path:
    """One record with `files` files, exported to a JSON file, then deleted from the server."""
    draft = Draft(vk=envelope.new_key())
    for version, start in enumerate(range(0, files, 5), start=1):
        body = draft.seal({"v": 1, "fields": {"what": "words"}, "attachments": []}, version)
        ids = [uuid.uuid4() for _ in range(start, min(files, start + 5))]
        new = [
            actions.NewAttachment(i, draft.seal_attachment(i, os.urandom(file_bytes), version))
            for i in ids
        ]
        key = draft.wrapped_key() if version == 1 else None
        actions.do_save_version(user, draft.id, actions.NewVersion(version, body, key, new))
    data = json.loads("".join(bundle.export_chunks(user)))
    actions.do_delete_all_records(user)
    path = TMP / "record.json"
    path.write_text(json.dumps(data["records"][0]))
    return path


def start_server(port: int) -> subprocess.Popen[bytes]:
    command = [GUNICORN, "mend.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "1"]
    command += ["--timeout", "300"]
    process = subprocess.Popen(
        command, cwd=ROOT, env=dict(os.environ), stdout=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/", timeout=10).status_code == 200:
                return process
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def worker_memory(master: int) -> tuple[int, int]:
    """The worker's resident memory now and at its peak, in bytes (from /proc)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    status = Path(f"/proc/{children[0]}/status").read_text().splitlines()
    fields = {line.split(":")[0]: int(line.split()[1]) * 1024 for line in status if "kB" in line}
    return fields["VmRSS"], fields["VmHWM"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--file-mb", type=int, default=10)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    user = User.objects.create_user(username="bench-import", role="survivor")
    path = exported_record(user, args.files, args.file_mb * MB - envelope.OVERHEAD)
    client = Client()
    client.force_login(user)
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}
    port = free_port()
    server = start_server(port)
    try:
        requests.get(f"http://127.0.0.1:{port}/record/", cookies=cookies, timeout=30)  # warm
        before, _ = worker_memory(server.pid)
        with path.open("rb") as upload:
            response = requests.post(
                f"http://127.0.0.1:{port}/api/v1/vault/import",
                files={"record": ("record.json", upload, "application/json")},
                cookies=cookies,
                headers={"X-CSRFToken": CSRF, "Referer": f"http://127.0.0.1:{port}/"},
                timeout=300,
            )
        _, peak = worker_memory(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    print(f"upload: {path.stat().st_size / MB:.0f} MB ({args.files} files of {args.file_mb} MB)")
    print(f"answer: {response.status_code} {response.text[:80]}")
    print(f"worker RSS before: {before / MB:.0f} MB, peak: {peak / MB:.0f} MB")
    print(f"peak growth: {(peak - before) / MB:.0f} MB")
    return 0 if response.status_code == 201 else 1


if __name__ == "__main__":
    sys.exit(main())
