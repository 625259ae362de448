"""Killing the server in the middle of a save loses no earlier version and leaves no
half-written one (issue 4). A real gunicorn on 127.0.0.1, SIGKILLed:

1. inside the save's database transaction (the new version row written, the record not
   yet bumped), and
2. while a large upload is still arriving.

Runs on SQLite (a file) and, under `python -m mend.lib.pgtemp`, on PostgreSQL.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from mend.lib.pgtemp import free_port
from mend.vault.testing import Draft, Survivor

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
PAUSE_CONF = str(Path(__file__).with_name("pause_conf.py"))
RECORD = {"v": 1, "fields": {"what": "the first, saved version"}, "attachments": []}


def own_database(url: str) -> str:
    """A PostgreSQL database of this test process's own, made in the cluster of `url`.
    Under pytest-xdist each worker that runs a test of this module runs the `env` fixture,
    and two migrations of one database at once collide in PostgreSQL's catalog (a
    duplicate pg_type row: CI failed so once)."""
    name = f"crash_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("crash")
    given = os.environ.get("DATABASE_URL", "")
    # Otherwise SQLite: a file in this worker's own temporary folder.
    postgres = given.startswith(("postgres://", "postgresql://"))
    url = own_database(given) if postgres else f"sqlite:///{tmp / 'crash.sqlite3'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEND_", "DJANGO_"))}
    env.update(
        MEND_ENV="test",
        DJANGO_SETTINGS_MODULE="mend.settings",
        DATABASE_URL=url,
        MEND_CRASH_MARKER=str(tmp / "marker"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    return env


class Server:
    def __init__(self, env: dict[str, str], *, pause: bool) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        conf = ["-c", PAUSE_CONF] if pause else []
        command = [GUNICORN, "mend.wsgi:application", "-b", f"127.0.0.1:{self.port}", "-w", "1"]
        # A session of its own, so the whole server (arbiter and worker) dies together.
        self.process = subprocess.Popen(
            [*command, "--timeout", "300", *conf],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.wait_until_up()

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.kill()
        raise AssertionError("gunicorn did not start")

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)  # our own server's process group
        self.process.wait(timeout=10)


class Browser:
    """Cookies and CSRF as the survivor's browser keeps them (urllib, no extra packages)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.request("GET", "/account/signup/")

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken") or ""

    def request(
        self, method: str, path: str, body: bytes | None = None, content_type: str = ""
    ) -> tuple[int, bytes]:
        headers = {"X-CSRFToken": self.csrf()} if method != "GET" else {}
        if content_type:
            headers["Content-Type"] = content_type
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)
        try:
            with self.opener.open(req, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def post_json(self, path: str, data: dict[str, Any]) -> int:
        return self.request("POST", path, json.dumps(data).encode(), "application/json")[0]

    def save(self, draft: Draft, files: dict[uuid.UUID, bytes] | None = None) -> int:
        body, content_type = multipart(draft.save_form(RECORD, files))
        path = f"/api/v1/vault/records/{draft.id}/versions"
        return self.request("POST", path, body, content_type)[0]


def multipart(form: dict[str, Any]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in form.items():
        if hasattr(value, "read"):
            head = f'Content-Disposition: form-data; name="{name}"; filename="{value.name}"\r\n'
            head += "Content-Type: application/octet-stream\r\n\r\n"
            data = value.read()
        else:
            head = f'Content-Disposition: form-data; name="{name}"\r\n\r\n'
            data = str(value).encode()
        parts.append(f"--{boundary}\r\n{head}".encode() + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def stored_versions(env: dict[str, str], record_id: uuid.UUID) -> dict[str, Any]:
    """What the database holds after the crash, read by a fresh process."""
    code = (
        "import json; from mend.vault.models import Record, RecordVersion, Attachment;"
        f"r = Record.objects.get(id='{record_id}');"
        "print(json.dumps({'current': r.current_version,"
        " 'versions': sorted(r.versions.values_list('version', flat=True)),"
        " 'attachments': Attachment.objects.filter(record=r).count(),"
        " 'first': bytes(RecordVersion.objects.get(record=r, version=1).ciphertext).hex()}))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


@pytest.fixture
def saved_once(env: dict[str, str]) -> Iterator[tuple[Survivor, Draft, Server, Browser]]:
    server = Server(env, pause=True)
    browser = Browser(server.base)
    survivor = Survivor(f"crash-{uuid.uuid4().hex[:8]}", "a passphrase for the crash test")
    assert browser.post_json("/api/v1/accounts/signup", survivor.signup_body()) == 201
    draft = Draft(vk=survivor.vk)
    assert browser.save(draft) == 201
    draft.version = 1
    yield survivor, draft, server, browser
    if server.process.poll() is None:
        server.kill()


def test_a_kill_inside_the_save_transaction_leaves_the_earlier_version_whole(
    env: dict[str, str], saved_once: tuple[Survivor, Draft, Server, Browser]
) -> None:
    _, draft, server, browser = saved_once
    marker = Path(env["MEND_CRASH_MARKER"])
    marker.unlink(missing_ok=True)
    first_ciphertext = stored_versions(env, draft.id)["first"]
    cut_off: list[Exception] = []

    def save_until_killed() -> None:
        try:
            browser.save(draft, {uuid.uuid4(): b"photo" * 1000})
        except (ConnectionError, urllib.error.URLError) as error:  # the kill's, expected
            cut_off.append(error)

    save = threading.Thread(target=save_until_killed)
    save.start()
    deadline = time.monotonic() + 30
    while not marker.exists():
        assert time.monotonic() < deadline, "the save never reached the database"
        time.sleep(0.05)
    server.kill()  # SIGKILL: no cleanup, no rollback by the application
    save.join(timeout=30)
    assert len(cut_off) == 1, "the save was answered though the server died inside it"
    after = stored_versions(env, draft.id)
    assert after == {"current": 1, "versions": [1], "attachments": 0, "first": first_ciphertext}
    assert draft.open(bytes.fromhex(after["first"]), 1) == RECORD
    # The vault works normally afterwards: the same version 2 saves cleanly.
    restarted = Server(env, pause=False)
    try:
        login = Browser(restarted.base)
        assert login.post_json("/api/v1/accounts/login", saved_once[0].login_body()) == 200
        assert login.save(draft) == 201
    finally:
        restarted.kill()
    assert stored_versions(env, draft.id)["versions"] == [1, 2]


def test_a_kill_during_a_large_upload_leaves_the_earlier_version_whole(
    env: dict[str, str], saved_once: tuple[Survivor, Draft, Server, Browser]
) -> None:
    _, draft, server, browser = saved_once
    before = stored_versions(env, draft.id)
    body, content_type = multipart(draft.save_form(RECORD, {uuid.uuid4(): os.urandom(8 << 20)}))
    cookies = "; ".join(f"{c.name}={c.value}" for c in browser.jar)
    head = (
        f"POST /api/v1/vault/records/{draft.id}/versions HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{server.port}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nX-CSRFToken: {browser.csrf()}\r\n"
        f"Cookie: {cookies}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(head.encode() + body[: len(body) // 2])
        time.sleep(0.3)
        server.kill()
    assert stored_versions(env, draft.id) == before
