"""Searching everything the server holds and the browser sent for secrets that must not be there.

The vault's and the escrow's journeys both prove the same promise (the server never sees
plaintext, keys or identifiers), so they share one search: every value of every table, the
SQLite file page by page (free pages included) or a pg_dump under PostgreSQL, and every
request body, for each secret in every form it could take if it leaked.
"""

from __future__ import annotations

import base64
import io
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection
from playwright.sync_api import Request

from mend.lib.pgtemp import find_binary


def encodings(secret: str) -> list[bytes]:
    """Raw (as typed and lower-cased), hex, UTF-16, and base64 at each alignment."""
    raw = secret.encode()
    forms = [raw, raw.lower(), raw.hex().encode(), secret.encode("utf-16-le")]
    for shift in range(3):
        # Drop the edges whose characters depend on the neighbouring bytes.
        encoded = base64.b64encode(b"\0" * shift + raw)[4 if shift else 0 : -4]
        if len(encoded) >= 8:
            forms.append(encoded)
    return forms


def every_row() -> bytes:
    """Every value of every table, as bytes."""
    out = io.BytesIO()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    data = value if isinstance(value, bytes | memoryview) else str(value).encode()
                    out.write(bytes(data) + b"\n")
    return out.getvalue()


def sqlite_image() -> bytes:
    """A page-by-page copy of the SQLite database (free pages included)."""
    connection.ensure_connection()
    with tempfile.TemporaryDirectory() as tmp:
        target = sqlite3.connect(Path(tmp, "copy.sqlite3"))
        connection.connection.backup(target)
        target.close()
        return Path(tmp, "copy.sqlite3").read_bytes()


def pg_dump() -> bytes:
    s = connection.settings_dict
    command = [find_binary("pg_dump"), "-h", s["HOST"], "-p", str(s["PORT"]), "-U", s["USER"]]
    return subprocess.run([*command, s["NAME"]], check=True, capture_output=True).stdout


def whole_database() -> dict[str, bytes]:
    dumps = {"rows": every_row()}
    if connection.vendor == "sqlite":
        dumps["sqlite file"] = sqlite_image()
    else:
        dumps["pg_dump"] = pg_dump()
    return dumps


@dataclass
class Wire:
    """Every request body the browsers sent, in order (page.on("request", wire.record))."""

    bodies: list[tuple[str, bytes]] = field(default_factory=list)

    def record(self, request: Request) -> None:
        self.bodies.append((request.url, request.post_data_buffer or b""))


def assert_not_leaked(wire: Wire, secrets: Iterable[str], step: str) -> None:
    places = {**whole_database(), **{f"request to {u}": b for u, b in wire.bodies}}
    for secret in secrets:
        for form in encodings(secret):
            for place, data in places.items():
                assert form not in data, f"after {step}: {secret!r} found in {place}"
