"""A throwaway PostgreSQL server for tests and benchmarks.

``python -m mend.lib.pgtemp -- COMMAND ...`` runs COMMAND with ``DATABASE_URL`` pointing
at a fresh cluster made with initdb in a temporary directory, listening on loopback
only, and removes the cluster afterwards, whatever COMMAND's outcome. initdb refuses to
run as root, so as root the cluster belongs to the ``postgres`` system user.

``python -m mend.lib.pgtemp --replica -- COMMAND ...`` also starts a hot standby that
streams from it (``pg_basebackup -R`` through a replication slot, as the ``replicator``
role, which pg_hba admits from 127.0.0.1 only) and sets ``DATABASE_REPLICA_URL`` to it
(mend/search/tests/test_replica.py; ``make test-replica``). Both clusters trust loopback
connections: they hold nothing but test data and live only as long as COMMAND.
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


REPLICATION_ROLE = "replicator"
SLOT = "mend_replica"
# Loopback only: the test user for any database, and replication for its role.
PRIMARY_HBA = f"""\
local   all          all                          trust
host    all          mend                127.0.0.1/32  trust
host    replication  {REPLICATION_ROLE}  127.0.0.1/32  trust
"""


def _run(command: list[str]) -> None:
    subprocess.run(_as_owner(command), check=True, stdout=subprocess.DEVNULL)


def _start(data: Path, port: int, root: Path, fast: bool, name: str, extra: str = "") -> None:
    options = f"-h 127.0.0.1 -p {port} -k {root}" + (f" {FAST_OPTIONS}" if fast else "")
    options += f" {extra}" if extra else ""
    log = str(root / f"{name}.log")
    _run([find_binary("pg_ctl"), "-D", str(data), "-o", options, "-l", log, "-w", "start"])


def _stop(data: Path) -> None:
    command = [find_binary("pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
    subprocess.run(_as_owner(command), check=False, stdout=subprocess.DEVNULL)


def _init(data: Path) -> None:
    initdb = find_binary("initdb")
    _run(
        [
            initdb,
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
    )


def _new_root() -> Path:
    root = Path(tempfile.mkdtemp(prefix="mend-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, user="postgres", group="postgres")
    return root


def url(port: int) -> str:
    return f"postgres://mend@127.0.0.1:{port}/postgres"


@contextlib.contextmanager
def temporary_postgres(fast: bool = True) -> Iterator[str]:
    """Start a cluster, yield its DATABASE_URL, and always stop and remove it."""
    root = _new_root()
    data = root / "data"
    port = free_port()
    _init(data)
    _start(data, port, root, fast, "log")
    try:
        yield url(port)
    finally:
        _stop(data)
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def temporary_postgres_with_replica(fast: bool = True) -> Iterator[tuple[str, str]]:
    """Start a primary and a hot standby streaming from it; yield (DATABASE_URL,
    DATABASE_REPLICA_URL); always stop and remove both."""
    root = _new_root()
    primary, standby = root / "data", root / "replica"
    port, replica_port = free_port(), free_port()
    _init(data=primary)
    (primary / "pg_hba.conf").write_text(PRIMARY_HBA, encoding="utf-8")
    try:
        _start(primary, port, root, fast, "log", "-c wal_level=replica -c max_wal_senders=4")
        psql = [find_binary("psql"), "-q", "-h", "127.0.0.1", "-p", str(port), "-U", "mend"]
        _run([*psql, "-d", "postgres", "-c", f"CREATE ROLE {REPLICATION_ROLE} REPLICATION LOGIN"])
        # -R writes primary_conninfo and standby.signal; the slot keeps the WAL the standby
        # still needs, even while a test holds its replay paused.
        backup = [find_binary("pg_basebackup"), "-h", "127.0.0.1", "-p", str(port)]
        backup += ["-U", REPLICATION_ROLE, "-D", str(standby), "-R", "-X", "stream"]
        _run([*backup, "-C", "-S", SLOT, "-c", "fast", "--no-sync"])
        # Feedback keeps the primary's vacuum from removing rows a standby query still reads.
        _start(
            standby,
            replica_port,
            root,
            fast,
            "replica",
            "-c hot_standby=on -c hot_standby_feedback=on",
        )
        yield url(port), url(replica_port)
    finally:
        _stop(standby)
        _stop(primary)
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str]) -> int:
    with_replica = argv[:1] == ["--replica"]
    if with_replica:
        argv = argv[1:]
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        print("usage: python -m mend.lib.pgtemp [--replica] -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    if not with_replica:
        with temporary_postgres() as primary:
            print(f"pgtemp: PostgreSQL ready at {primary}", file=sys.stderr)
            return _command(argv, DATABASE_URL=primary)
    with temporary_postgres_with_replica() as (primary, replica):
        print(f"pgtemp: PostgreSQL ready at {primary}, replica at {replica}", file=sys.stderr)
        return _command(argv, DATABASE_URL=primary, DATABASE_REPLICA_URL=replica)


def _command(argv: list[str], **env: str) -> int:
    return subprocess.run(argv, env={**os.environ, **env}, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
