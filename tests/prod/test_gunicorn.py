"""Production serving, tried once for real: gunicorn, PostgreSQL (DATABASE_URL from the
pgtemp harness that `make test-prod` wraps this in), WhiteNoise static files, and the
refusal to boot when configuration is missing or insecure."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from mend.lib.pgtemp import free_port
from mend.test import production_environment

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
SECRET = "prod-Test-9c1e7a3b5d2f4086-a1b3c5d7e9f20468-13579bdf2468ace0"


@pytest.fixture(scope="module")
def prod_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("prod")
    key_file = tmp / "secret_key"
    key_file.write_text(SECRET)
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'prod.sqlite3'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEND_", "DJANGO_"))}
    env.update(production_environment(ALLOWED_HOSTS="127.0.0.1"))
    del env["SECRET_KEY"]
    env.update(SECRET_KEY_FILE=str(key_file), DATABASE_URL=url, STATIC_ROOT=str(tmp / "static"))
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v0"], cwd=ROOT, env=env, check=True
        )
    return env


def start_gunicorn(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            GUNICORN,
            "mend.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--timeout",
            "30",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def fetch(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def server(prod_env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    process = start_gunicorn(prod_env, port)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            fetch(base + "/", {})
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        raise AssertionError(process.communicate()[0].decode())
    yield base
    process.terminate()
    process.wait(timeout=10)


HTTPS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}


def test_it_serves_the_home_page_over_the_tls_proxy(server: str) -> None:
    status, headers, body = fetch(server + "/", HTTPS)
    assert status == 200
    assert b"Exit this page" in body
    assert headers["Strict-Transport-Security"].startswith("max-age=63072000")
    assert "default-src 'self'" in headers["Content-Security-Policy"]


def test_it_redirects_plain_http_to_https(server: str) -> None:
    status, headers, _ = fetch(server + "/", {"Host": "127.0.0.1"})
    assert status == 301
    assert headers["Location"] == "https://127.0.0.1/"


def test_it_serves_hashed_static_files_with_long_caching(server: str) -> None:
    _, _, body = fetch(server + "/", HTTPS)
    match = re.search(rb'href="(/static/css/mend\.[0-9a-f]{12}\.css)"', body)
    assert match is not None, "the page should link the hashed stylesheet"
    status, headers, css = fetch(server + match.group(1).decode(), HTTPS)
    assert status == 200
    assert b"--brand" in css
    assert "immutable" in headers["Cache-Control"]


def test_it_serves_es_modules_with_hashed_imports(server: str) -> None:
    _, _, body = fetch(server + "/", HTTPS)
    match = re.search(rb'src="(/static/js/quick-exit\.[0-9a-f]{12}\.js)"', body)
    assert match is not None, "the page should load the hashed quick-exit module"
    status, _, _ = fetch(server + match.group(1).decode(), HTTPS)
    assert status == 200


def test_it_uses_the_database_it_was_given(server: str, prod_env: dict[str, str]) -> None:
    expected = "postgres" if prod_env["DATABASE_URL"].startswith("postgres") else "sqlite"
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.db import connection; print(connection.vendor)",
        ],
        cwd=ROOT,
        env=prod_env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == (
        "postgresql" if expected == "postgres" else "sqlite"
    )


def boot_failure(env: dict[str, str]) -> str:
    process = start_gunicorn(env, free_port())
    try:
        output, _ = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError("gunicorn started although it should have refused") from None
    assert process.returncode != 0
    return output.decode()


def test_it_refuses_to_boot_without_a_secret_key(prod_env: dict[str, str]) -> None:
    env = {k: v for k, v in prod_env.items() if k != "SECRET_KEY_FILE"}
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set in production" in boot_failure(env)


def test_it_refuses_to_boot_with_debug_on(prod_env: dict[str, str]) -> None:
    assert "mend.E001" in boot_failure({**prod_env, "DEBUG": "true"})
