"""Typed bodies of the accounts API (unknown fields are refused).

A username is ``OneLine``: one with a control character is refused before any query
(PostgreSQL refuses a NUL in one: mend.lib.text), the same 422 on every database.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from ninja import Schema
from pydantic import Field

from mend.lib.text import OneLine
from mend.lib.wire import Base64, KeyHex, Strict


class UsernameIn(Strict):
    username: OneLine = Field(max_length=150)


class KdfParamsOut(Schema):
    params: dict[str, Any]


class SignUpIn(Strict):
    username: OneLine = Field(max_length=150)
    auth_key: KeyHex
    params: dict[str, Any]
    vault_id: UUID
    wrapped_vk: Base64
    recovery_wrapped_vk: Base64
    recovery_auth: KeyHex


class LogInIn(Strict):
    username: OneLine = Field(max_length=150)
    auth_key: KeyHex


class SessionOut(Schema):
    """A fresh CSRF token: signing in rotates it, and the page keeps working with this one."""

    csrf_token: str


class VaultKeyOut(SessionOut):
    vault_id: UUID
    params: dict[str, Any]
    wrapped_vk: str


class RecoveryStartIn(Strict):
    username: OneLine = Field(max_length=150)
    recovery_auth: KeyHex


class RecoveryStartOut(Schema):
    vault_id: UUID
    recovery_wrapped_vk: str


class RecoveryFinishIn(RecoveryStartIn):
    auth_key: KeyHex
    params: dict[str, Any]
    wrapped_vk: Base64
    new_recovery_auth: KeyHex
    new_recovery_wrapped_vk: Base64


class PassphraseIn(Strict):
    current_auth_key: KeyHex
    auth_key: KeyHex
    params: dict[str, Any]
    wrapped_vk: Base64


class DeleteAccountIn(Strict):
    auth_key: KeyHex
    confirm: bool


class PassphraseAgainIn(Strict):
    """Her passphrase again, as its auth key: deleting records (mend.vault.api)."""

    auth_key: KeyHex


class AliveOut(Schema):
    idle_seconds: int
    seconds_left: int  # until the server ends the session if nothing else arrives
