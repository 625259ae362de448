"""The browsers' part of the escrow protocol, played in Python with mend.crypto.

The survivor's browser canonicalises identifiers, runs the VOPRF with the server, derives
pi, s and a_i, shares, encrypts and seals; the counselor's browser opens the sealed shares
of one group, recovers s robustly and opens the entries. static/js/escrow/ and
static/js/counselor/ do the same with the JS twins. Tests and the benchmark use this
module; the server never imports it.
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.apps import apps
from django.conf import settings
from django.test import Client
from django.utils import timezone

from mend.accounts.models import User
from mend.crypto import canonical, endorsement, envelope, escrow, kdf, labels, oprf, shamir
from mend.crypto.envelope import Context
from mend.crypto.errors import CryptoError, EndorsementError
from mend.escrow.models import CounselorKey, EntryTag, EscrowAccount, VerificationMethod
from mend.lib.wire import b64, unb64

API = "/api/v1/escrow"
TAGGING = 2  # protocol.TAGGING: the tags were made by tag_inputs
COUNSELOR_API = "/api/v1/counselor"
#: The auth key a test survivor's passphrase derives to: saving an edit and withdrawing
#: take it again (mend.accounts.api.require_passphrase_again). `with_auth_key` makes an
#: account's stored passphrase match it, as mend.vault.tests.base does for deleting.
AUTH_KEY = bytes(range(32))


def with_auth_key(user: User, auth_key: bytes = AUTH_KEY) -> User:
    """Make `user`'s passphrase the one whose auth key is `auth_key` (before she signs in:
    a changed passphrase ends the sessions she had)."""
    if not user.check_password(auth_key.hex()):
        user.set_password(auth_key.hex())
        user.save(update_fields=["password"])
    return user


def entry_context(entry_id: str, version: int) -> Context:
    return Context(labels.PURPOSE_ESCROW_ENTRY, entry_id, version)


def entry_key_context(entry_id: str) -> Context:
    return Context(labels.PURPOSE_ESCROW_ENTRY_KEY, entry_id, 1)


def owner_key_context(entry_id: str) -> Context:
    return Context(labels.PURPOSE_ESCROW_OWNER_KEY, entry_id, 1)


def share_context(entry_id: str) -> Context:
    return Context(labels.PURPOSE_ESCROW_SHARE, entry_id, 1)


def verify(user: User) -> EscrowAccount:
    """Verify a survivor as an invitation would (tests skip the code itself)."""
    return EscrowAccount.objects.create(
        user=user,
        escrow_id=secrets.token_bytes(32),
        method=VerificationMethod.INVITATION,
        verified_on=timezone.localdate(),
    )


def add_counselor_key(
    counselor: User,
    passphrase: str | None = None,
    *,
    endorsed_by: envelope.BoxKeyPair | Literal["operator"] | None = "operator",
) -> envelope.BoxKeyPair:
    """A counselor key as her browser registers it; returns the key pair her browser keeps.

    With ``passphrase`` the secret key is wrapped under it exactly as her browser wraps it,
    so a browser can unlock it; without, the wrapped key is random bytes (Python tests
    use the returned pair directly). The key is endorsed by the operator's development key,
    by the colleague whose key pair is ``endorsed_by``, or (None) not at all."""
    pair = envelope.box_keypair()
    key_id = uuid.uuid4()
    params = kdf.new_params()
    wrapped = secrets.token_bytes(envelope.OVERHEAD + 32)
    if passphrase is not None:
        wrapping = kdf.derive_vault_keys(passphrase, params).enc_key
        context = envelope.Context(labels.PURPOSE_STAFF_KEY, str(key_id), 1)
        wrapped = envelope.wrap_key(wrapping, pair.secret_key, context)
    signing = endorsement.signing_public_key(endorsement.signing_seed(pair.secret_key))
    key = CounselorKey.objects.create(
        id=key_id,
        counselor=counselor,
        public_key=pair.public_key,
        signing_public_key=signing,
        wrapped_secret_key=wrapped,
        kdf_params=params.to_dict(),
        complete=not EntryTag.objects.exists(),
        created_at=timezone.now(),
    )
    if endorsed_by is not None:
        endorse_key(key, endorsed_by)
    return pair


def tag_inputs(identifiers: Sequence[str]) -> list[str]:
    """What the tags of an entry keeping `identifiers` are made from (protocol.tagInputs)."""
    return list(dict.fromkeys(t for i in identifiers for t in canonical.tag_identifiers(i)))


def signed_endorsement(signer: envelope.BoxKeyPair, key: CounselorKey) -> bytes:
    """The endorsement of `key` a colleague's browser makes (static/js/counselor/keys.js)."""
    return _endorsement(endorsement.signing_seed(signer.secret_key), key)


def _endorsement(seed: bytes, key: CounselorKey) -> bytes:
    return endorsement.sign_endorsement(
        seed, key.id, key.counselor_id, bytes(key.public_key), bytes(key.signing_public_key or b"")
    )


def endorse_key(key: CounselorKey, by: envelope.BoxKeyPair | Literal["operator"]) -> None:
    """Store a valid endorsement of `key`, as the operator's command or a colleague's browser
    would make it (the checks of those paths are tested on their own)."""
    if by == "operator":
        seed = bytes.fromhex(settings.DEV_ESCROW_OPERATOR_SEED)
        endorser = None
    else:
        seed = endorsement.signing_seed(by.secret_key)
        endorser = CounselorKey.objects.get(public_key=by.public_key)
    key.endorsement = _endorsement(seed, key)
    key.endorsed_by = endorser
    key.endorsed_at = timezone.now()
    key.complete = not EntryTag.objects.exclude(shares__key=key).exists()
    key.save(update_fields=["endorsement", "endorsed_by", "endorsed_at", "complete"])


def post_json(client: Client, path: str, body: Any, method: str = "post") -> Any:
    call = getattr(client, method)
    return call(path, json.dumps(body), content_type="application/json")


@dataclass
class SurvivorBrowser:
    """One survivor's browser: her vault key, and the escrow config fetched from the server."""

    client: Client
    vk: bytes = field(default_factory=envelope.new_key)
    config: dict[str, Any] = field(default_factory=dict)

    def load_config(self) -> dict[str, Any]:
        response = self.client.get(f"{API}/config")
        assert response.status_code == 200, response.content
        self.config = response.json()
        return self.config

    def evaluate(self, identifiers: Sequence[str]) -> list[bytes]:
        """The VOPRF outputs O for canonical identifiers, after checking the server's proof."""
        inputs = [canonical.oprf_input(i) for i in identifiers]
        blinds = [oprf.blind(x, oprf.Mode.VOPRF) for x in inputs]
        body = {"blinded": [b64(b.blinded_element) for b in blinds]}
        response = post_json(self.client, f"{API}/evaluate", body)
        assert response.status_code == 200, response.content
        data = response.json()
        evaluation = oprf.Evaluation(
            tuple(unb64(e, "e", max_bytes=32) for e in data["evaluated"]),
            unb64(data["proof"], "proof", max_bytes=64),
        )
        public_key = unb64(self.config["oprf_public_key"], "pk", max_bytes=32)
        return oprf.finalize_verifiable(inputs, blinds, evaluation, public_key)

    def build(
        self,
        identifiers: Sequence[str],
        content: dict[str, Any],
        *,
        entry_id: str | None = None,
        outputs: Sequence[bytes] | None = None,
    ) -> dict[str, Any]:
        """The JSON body of a new entry, made exactly as the browser makes it: `identifiers`
        are kept in the entry, tags are made for tag_inputs(identifiers) (or `outputs`)."""
        entry_id = entry_id or str(uuid.uuid4())
        outputs = outputs if outputs is not None else self.evaluate(tag_inputs(identifiers))
        entry_key = envelope.new_key()
        kept = {"v": 1, "identifiers": list(identifiers), "tagging": TAGGING, **content}
        plaintext = json.dumps(kept).encode()
        return {
            "id": entry_id,
            "ciphertext": b64(envelope.encrypt(entry_key, plaintext, entry_context(entry_id, 1))),
            "owner_key": b64(envelope.wrap_key(self.vk, entry_key, owner_key_context(entry_id))),
            "tags": [self.tag(entry_id, entry_key, o) for o in outputs],
        }

    def tag(self, entry_id: str, entry_key: bytes, output: bytes) -> dict[str, Any]:
        secrets_ = escrow.derive_escrow_secrets(output, int(self.config["threshold"]))
        x = escrow.x_coordinate(unb64(self.config["escrow_id"], "id", max_bytes=64))
        wrap = escrow.entry_wrap_key(secrets_.secret)
        c = envelope.wrap_key(wrap, entry_key, entry_key_context(entry_id))
        payload = escrow.encode_share_payload(shamir.Share(x, secrets_.share_for(x)), c)
        return {
            "match_index": b64(secrets_.match_index),
            "shares": [
                {
                    "key_id": key["id"],
                    "sealed": b64(
                        envelope.seal(
                            unb64(key["public_key"], "pk", max_bytes=32),
                            payload,
                            share_context(entry_id),
                        )
                    ),
                }
                for key in self.sealable_keys()
            ],
        }

    def sealable_keys(self) -> list[dict[str, Any]]:
        """The keys to seal to, after checking every endorsement chain as her browser does;
        EndorsementError if the server lists a key no chain vouches for."""
        listed = self.config["counselor_keys"]
        records = [
            endorsement.KeyRecord(
                key_id=uuid.UUID(k["id"]),
                owner_id=uuid.UUID(k["counselor_id"]),
                public_key=unb64(k["public_key"], "pk", max_bytes=32),
                signing_public_key=unb64(k["signing_public_key"], "pk", max_bytes=32),
                endorsed_by=uuid.UUID(k["endorsed_by"]) if k["endorsed_by"] else None,
                signature=unb64(k["endorsement"], "signature", max_bytes=64),
            )
            for k in listed
        ]
        operator = unb64(self.config["operator_public_key"], "pk", max_bytes=32)
        trusted = endorsement.trusted_keys(records, operator)
        sealable = [k for k in listed if k["sealable"]]
        if any(uuid.UUID(k["id"]) not in trusted for k in sealable):
            raise EndorsementError("a counselor key has no valid endorsement")
        return sealable

    def submit(self, identifiers: Sequence[str], content: dict[str, Any]) -> Any:
        if not self.config:
            self.load_config()
        return post_json(self.client, f"{API}/entries", self.build(identifiers, content))

    def edit(self, entry_id: str, body: dict[str, Any], auth_key: bytes = AUTH_KEY) -> Any:
        """PUT an edit as her edit page does: with her passphrase again (its auth key)."""
        url = f"{API}/entries/{entry_id}"
        return post_json(self.client, url, {**body, "auth_key": auth_key.hex()}, "put")

    def withdraw(self, entry_id: str, auth_key: bytes = AUTH_KEY) -> Any:
        """Withdraw as her withdraw page does: with her passphrase again (its auth key)."""
        url = f"{API}/entries/{entry_id}"
        return post_json(self.client, url, {"auth_key": auth_key.hex()}, "delete")

    def open_own(self, entry: dict[str, Any]) -> dict[str, Any]:
        """Her own entry, opened with her vault key (c_U), as the edit page does."""
        entry_key = envelope.unwrap_key(
            self.vk, unb64(entry["owner_key"], "c_U", max_bytes=128), owner_key_context(entry["id"])
        )
        ciphertext = unb64(entry["ciphertext"], "E", max_bytes=1 << 20)
        plain = envelope.decrypt(
            entry_key, ciphertext, entry_context(entry["id"], entry["version"])
        )
        return dict(json.loads(plain))


@dataclass
class OpenedGroup:
    """What the counselor's browser shows: the entries it opened and the shares that failed."""

    entries: dict[str, dict[str, Any]]
    rejected_shares: list[str]  # entry ids whose share did not open or did not fit
    unchecked_shares: list[str]  # entry ids whose share had too few others to check it
    unopened_entries: list[str]


def open_group(group: dict[str, Any], keypair: envelope.BoxKeyPair) -> OpenedGroup:
    """Open a group as the counselor's browser does (static/js/counselor/open.js)."""
    threshold = int(group["threshold"])
    rejected: list[str] = []
    unchecked: list[str] = []
    by_index: dict[str, list[tuple[str, shamir.Share, bytes]]] = {}
    for item in group["shares"]:
        try:
            sealed = unb64(item["sealed"], "sealed", max_bytes=1024)
            payload = envelope.open_sealed(keypair, sealed, share_context(item["entry_id"]))
            share, c = escrow.decode_share_payload(payload)
        except CryptoError:
            rejected.append(item["entry_id"])
            continue
        by_index.setdefault(item["match_index"], []).append((item["entry_id"], share, c))
    entry_keys: dict[str, bytes] = {}
    for items in by_index.values():
        bad, too_few = _recover_index(items, threshold, entry_keys)
        rejected += bad
        unchecked += too_few
    opened: dict[str, dict[str, Any]] = {}
    for entry in group["entries"]:
        key = entry_keys.get(entry["id"])
        if key is None:
            continue
        ciphertext = unb64(entry["ciphertext"], "E", max_bytes=1 << 20)
        plain = envelope.decrypt(key, ciphertext, entry_context(entry["id"], entry["version"]))
        opened[entry["id"]] = json.loads(plain)
    unopened = [e["id"] for e in group["entries"] if e["id"] not in opened]
    return OpenedGroup(opened, sorted(set(rejected)), sorted(set(unchecked)), unopened)


def _recover_index(
    items: list[tuple[str, shamir.Share, bytes]], threshold: int, entry_keys: dict[str, bytes]
) -> tuple[list[str], list[str]]:
    """Recover s for one pi and fill entry_keys. Returns (entry ids whose share did not fit,
    entry ids whose share could not be checked because fewer than t points were left)."""
    points: dict[bytes, shamir.Share] = {}
    for _, share, _ in items:  # one survivor's entries for one person give the same point
        points.setdefault(share.x + share.y, share)
    by_x: dict[bytes, int] = {}
    for share in points.values():
        by_x[share.x] = by_x.get(share.x, 0) + 1
    # Two different y for one x: at least one is forged, and nothing says which.
    clashing = [e for e, share, _ in items if by_x[share.x] > 1]
    consistent = [s for s in points.values() if by_x[s.x] == 1]
    if len(consistent) < threshold:
        return clashing, [e for e, share, _ in items if by_x[share.x] == 1]

    def opens(secret: bytes) -> bool:
        wrap = escrow.entry_wrap_key(secret)
        return any(_unwrap(wrap, entry_id, c) is not None for entry_id, _, c in items)

    try:
        recovery = shamir.recover(consistent, threshold, opens)
    except CryptoError:  # no t of them agree: none can be trusted
        return [entry_id for entry_id, _, _ in items], []
    fitting = set(recovery.fitting)
    wrap = escrow.entry_wrap_key(recovery.secret)
    bad = list(clashing)
    for entry_id, share, c in items:
        key = _unwrap(wrap, entry_id, c)
        if share not in fitting and entry_id not in bad:
            bad.append(entry_id)
        if key is not None:
            entry_keys.setdefault(entry_id, key)
    return bad, []


def _unwrap(wrap: bytes, entry_id: str, c: bytes) -> bytes | None:
    try:
        return envelope.unwrap_key(wrap, c, entry_key_context(entry_id))
    except CryptoError:
        return None


def database_rows_containing(needles: Iterable[str]) -> list[str]:
    """Every (table, column) whose stored value contains one of the needles, in any case,
    as text or as bytes. A whole-database search for canaries and identifiers."""
    wanted = [n.lower().encode("utf-8") for n in needles]
    found: list[str] = []
    for model in apps.get_models(include_auto_created=True):
        names = [f.attname for f in model._meta.concrete_fields]
        for row in model._base_manager.values_list(*names).iterator():
            for name, value in zip(names, row, strict=True):
                data = _as_bytes(value).lower()
                if any(n in data for n in wanted):
                    found.append(f"{model._meta.db_table}.{name}")
    return found


def _as_bytes(value: Any) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, dict | list):
        return json.dumps(value).encode("utf-8")
    return str(value).encode("utf-8")
