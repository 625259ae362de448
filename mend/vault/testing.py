"""The browser's part of the vault protocol, played in Python with mend.crypto.

The JS twins (static/js/crypto/) do this in the survivor's browser; tests, the benchmark
and the crash test use this module to send the server realistic payloads: auth keys,
wrapped vault keys and record ciphertexts made exactly as the browser makes them. The
server itself never imports it (it never holds these keys).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from mend.crypto import envelope, kdf, labels
from mend.crypto.envelope import Context
from mend.lib.wire import b64


@cache
def derive(passphrase: str, params: kdf.Argon2Params) -> kdf.VaultKeys:
    """Argon2id at production cost (~0.1 s here); cached, since tests repeat it."""
    return kdf.derive_vault_keys(passphrase, params)


def recovery_auth(recovery_key: bytes) -> bytes:
    """What proves the recovery key to the server without revealing it.

    The recovery key (32 random bytes, shown as words) wraps VK itself (docs/crypto.md);
    the server checks recovery_auth = HKDF(recovery key, "mend-vault-v1/recovery-auth"),
    stored as a password hash, just as it checks auth_key from the Argon2id seed.
    """
    return kdf.derive_key(recovery_key, labels.VAULT_RECOVERY_AUTH)


def vk_context(vault_id: uuid.UUID, *, recovery: bool = False) -> Context:
    purpose = labels.PURPOSE_VAULT_RECOVERY if recovery else labels.PURPOSE_VAULT_KEY
    return Context(purpose, str(vault_id), 1)


def record_key_context(record_id: uuid.UUID) -> Context:
    return Context(labels.PURPOSE_RECORD_KEY, str(record_id), 1)


def record_context(record_id: uuid.UUID, version: int) -> Context:
    return Context(labels.PURPOSE_RECORD, str(record_id), version)


def attachment_context(record_id: uuid.UUID, attachment_id: uuid.UUID, version: int) -> Context:
    return Context(labels.PURPOSE_VAULT_ATTACHMENT, f"{record_id}/{attachment_id}", version)


@dataclass
class Survivor:
    """One survivor's browser: what it knows after sign-up (the server knows none of it)."""

    username: str
    passphrase: str
    params: kdf.Argon2Params = field(default_factory=kdf.new_params)
    vault_id: uuid.UUID = field(default_factory=uuid.uuid4)
    vk: bytes = field(default_factory=envelope.new_key)
    recovery_key: bytes = field(default_factory=lambda: envelope.new_key())

    @property
    def keys(self) -> kdf.VaultKeys:
        return derive(self.passphrase, self.params)

    def wrapped_vk(self) -> bytes:
        return envelope.wrap_key(self.keys.enc_key, self.vk, vk_context(self.vault_id))

    def recovery_wrapped_vk(self) -> bytes:
        context = vk_context(self.vault_id, recovery=True)
        return envelope.wrap_key(self.recovery_key, self.vk, context)

    def signup_body(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "auth_key": self.keys.auth_key.hex(),
            "params": self.params.to_dict(),
            "vault_id": str(self.vault_id),
            "wrapped_vk": b64(self.wrapped_vk()),
            "recovery_wrapped_vk": b64(self.recovery_wrapped_vk()),
            "recovery_auth": recovery_auth(self.recovery_key).hex(),
        }

    def login_body(self) -> dict[str, Any]:
        return {"username": self.username, "auth_key": self.keys.auth_key.hex()}

    def open_vk(self, wrapped: bytes) -> bytes:
        return envelope.unwrap_key(self.keys.enc_key, wrapped, vk_context(self.vault_id))

    def new_passphrase(self, passphrase: str) -> dict[str, Any]:
        """Change the passphrase: new params and auth key, the same VK rewrapped."""
        current = self.keys.auth_key.hex()
        self.passphrase, self.params = passphrase, kdf.new_params()
        return {
            "current_auth_key": current,
            "auth_key": self.keys.auth_key.hex(),
            "params": self.params.to_dict(),
            "wrapped_vk": b64(self.wrapped_vk()),
        }


@dataclass
class Draft:
    """A record in the browser: its id and key (the server sees only the wrapped key)."""

    vk: bytes
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    key: bytes = field(default_factory=envelope.new_key)
    version: int = 0

    def wrapped_key(self) -> bytes:
        return envelope.wrap_key(self.vk, self.key, record_key_context(self.id))

    def seal(self, content: dict[str, Any], version: int) -> bytes:
        plaintext = json.dumps(content).encode("utf-8")
        return envelope.encrypt(self.key, plaintext, record_context(self.id, version))

    def open(self, ciphertext: bytes, version: int) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(
            envelope.decrypt(self.key, ciphertext, record_context(self.id, version))
        )
        return data

    def seal_attachment(self, attachment_id: uuid.UUID, data: bytes, version: int) -> bytes:
        return envelope.encrypt(self.key, data, attachment_context(self.id, attachment_id, version))

    def save_form(
        self, content: dict[str, Any], files: dict[uuid.UUID, bytes] | None = None
    ) -> dict[str, Any]:
        """The multipart fields of the next save, as the browser posts them."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        version = self.version + 1
        form: dict[str, Any] = {
            "version": str(version),
            "ciphertext": SimpleUploadedFile("ciphertext", self.seal(content, version)),
        }
        if version == 1:
            form["wrapped_key"] = b64(self.wrapped_key())
        for attachment_id, data in (files or {}).items():
            sealed = self.seal_attachment(attachment_id, data, version)
            form[f"attachment:{attachment_id}"] = SimpleUploadedFile(str(attachment_id), sealed)
        return form

    @classmethod
    def reopen(cls, vk: bytes, record_id: uuid.UUID, wrapped_key: bytes, version: int) -> Draft:
        key = envelope.unwrap_key(vk, wrapped_key, record_key_context(record_id))
        return cls(vk=vk, id=record_id, key=key, version=version)
