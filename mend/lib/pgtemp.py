"""A throwaway PostgreSQL server for tests and benchmarks.

``python -m mend.lib.pgtemp -- COMMAND ...`` runs COMMAND with ``DATABASE_URL`` pointing
at a fresh cluster made with initdb in a temporary directory, listening on loopback
only, and removes the cluster afterwards, whatever COMMAND's outcome. initdb refuses to
run as root, so as root the cluster belongs to the ``postgres`` system user.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Durability is irrelevant for a throwaway test cluster; these make it several times faster.
FAST_OPTIONS = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


def find_binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise RuntimeError(f"PostgreSQL's {name} was not found; install postgresql-15.")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_owner(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@contextlib.contextmanager
def temporary_postgres(fast: bool = True) -> Iterator[str]:
    """Start a cluster, yield its DATABASE_URL, and always stop and remove it."""
    root = Path(tempfile.mkdtemp(prefix="mend-pg-"))
    data = root / "data"
    port = free_port()
    if os.geteuid() == 0:
        shutil.chown(root, user="postgres", group="postgres")
    run = subprocess.run
    run(
        _as_owner(
            [
                find_binary("initdb"),
                "-D",
                str(data),
                "-U",
                "mend",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = f"-h 127.0.0.1 -p {port} -k {root}" + (f" {FAST_OPTIONS}" if fast else "")
    ctl = find_binary("pg_ctl")
    run(
        _as_owner([ctl, "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"]),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        yield f"postgres://mend@127.0.0.1:{port}/postgres"
    finally:
        run(
            _as_owner([ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
        )
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        print("usage: python -m mend.lib.pgtemp -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    with temporary_postgres() as url:
        print(f"pgtemp: PostgreSQL ready at {url}", file=sys.stderr)
        env = {**os.environ, "DATABASE_URL": url}
        return subprocess.run(argv, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
