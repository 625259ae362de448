"""What the staff-account commands share: reading a passphrase without echoing it."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import CommandParser


def add_passphrase_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help="read the passphrase from standard input (for scripts) instead of a prompt",
    )


def read_passphrase(options: dict[str, Any], prompt: str) -> str:
    if options["passphrase_stdin"]:
        stream = options.get("stdin") or sys.stdin
        return str(stream.readline()).rstrip("\n")
    return getpass.getpass(prompt)
