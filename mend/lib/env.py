"""Reading configuration from the environment, failing closed.

Secrets come from ``NAME_FILE`` (a path, as Docker and systemd credentials provide)
or from ``NAME``. Outside development and test there is no default for a secret: a
missing one stops the process at start-up instead of running with a guessable value.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

ENVIRONMENTS = ("production", "development", "test")


def environment() -> str:
    """Which environment this process runs in; production unless told otherwise."""
    value = os.environ.get("MEND_ENV", "production").strip().lower()
    if value not in ENVIRONMENTS:
        raise ImproperlyConfigured(f"MEND_ENV must be one of {', '.join(ENVIRONMENTS)}.")
    return value


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, dev_default: str | None = None) -> str:
    """A secret from ``NAME_FILE`` or ``NAME``.

    ``dev_default`` is used only in development and test; in production a missing
    secret raises ImproperlyConfigured, so the server does not start.
    """
    path = os.environ.get(f"{name}_FILE", "").strip()
    if path:
        try:
            with open(path, encoding="utf-8") as handle:
                value = handle.read().strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE cannot be read: {error}") from None
        if not value:
            raise ImproperlyConfigured(f"{name}_FILE is empty.")
        return value
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if dev_default is not None and environment() != "production":
        return dev_default
    raise ImproperlyConfigured(f"{name} (or {name}_FILE) must be set in production.")


#: The size of every key and seed a setting holds as hexadecimal (Ed25519 seeds, the escrow's
#: OPRF seed and server key).
KEY_BYTES = 32


def hex_key(name: str, value: str) -> bytes:
    """The 32 bytes that the setting ``name`` holds as 64 hexadecimal characters (either
    case); ImproperlyConfigured naming the setting for anything else. The one reading of a
    key setting: the signing keys, the escrow's keys and the deploy checks use it."""
    try:
        key = bytes.fromhex(value.strip())
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(f"{name} must be 64 hexadecimal characters")
    return key


def search_file_dir(environment_name: str, base_dir: Path, database_url: str = "") -> str:
    """The default folder of the mapped search file when ``SEARCH_FILE_DIR`` is unset:
    none in production (the deploy checks refuse to start), ``var/search`` in development.
    In tests, one folder per database named by ``DATABASE_URL`` (the processes of a
    benchmark's server share it, as a machine's workers do), else a fresh folder per
    process (pytest: each test database is an index of its own), removed at exit."""
    if environment_name == "production":
        return ""
    if environment_name != "test":
        return str(base_dir / "var" / "search")
    if database_url:
        name = hashlib.sha256(database_url.encode()).hexdigest()[:16]
        return str(Path(tempfile.gettempdir()) / f"mend-search-{name}")
    folder = tempfile.mkdtemp(prefix="mend-search-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder
