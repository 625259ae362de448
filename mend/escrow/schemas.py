"""What travels in the escrow API: bytes as base64 (mend.lib.wire), strictly checked.

Every request body is ``Strict`` (an unknown field is refused) and declares its byte
fields with their size (``Base64Of``), so views receive bytes that already fit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from django.conf import settings
from ninja import Schema
from pydantic import Field

from mend.crypto import endorsement
from mend.escrow.messages import MAX_MESSAGE_CHARS
from mend.escrow.models import CounselorKey
from mend.lib.wire import (
    WRAPPED_KEY_BYTES,
    Base64Of,
    Bytes32,
    KeyHex,
    Strict,
    WrappedKey,
    b64,
)

#: An email identifier can carry two tags: its canonical form and the form typed, which
#: entries made before the email provider rules were keyed on (docs/crypto.md).
MAX_TAGS = 2 * settings.ESCROW_MAX_IDENTIFIERS
#: version | ephemeral key | box tag | context | version | x | y | c; generously bounded.
MAX_SEALED_BYTES = 512
MAX_RESEAL = 500  # re-sealed shares in one request

Sealed = Annotated[bytes, Base64Of(MAX_SEALED_BYTES)]
EntryCiphertext = Annotated[bytes, Base64Of(settings.ESCROW_MAX_ENTRY_BYTES, envelope=True)]
#: An Ed25519 signature (a counselor's endorsement of a colleague's key).
Signature = Annotated[bytes, Base64Of(endorsement.SIGNATURE_BYTES, exactly=True)]
#: A counselor's X25519 secret key wrapped under her passphrase: one envelope, by size.
WrappedSecret = Annotated[bytes, Base64Of(WRAPPED_KEY_BYTES, exactly=True)]


class OprfKeyOut(Schema):
    suite: str
    public_key: str


class CounselorKeyOut(Schema):
    """A counselor key with its endorsement, for the browser to check the chain itself.

    `sealable`: shares go to this key. A key that is not sealable is listed only because a
    sealable key's chain passes through it (a retired endorser)."""

    id: UUID
    public_key: str
    signing_public_key: str
    counselor_id: UUID
    endorsed_by: UUID | None
    endorsement: str
    sealable: bool

    @classmethod
    def of(cls, key: CounselorKey, sealable: bool) -> CounselorKeyOut:
        return cls(
            id=key.id,
            public_key=b64(key.public_key),
            signing_public_key=b64(key.signing_public_key or b""),
            counselor_id=key.counselor_id,
            endorsed_by=key.endorsed_by_id,
            endorsement=b64(key.endorsement or b""),
            sealable=sealable,
        )


class ConfigOut(Schema):
    verified: bool
    threshold: int
    oprf_public_key: str
    escrow_id: str | None
    operator_public_key: str
    counselor_keys: list[CounselorKeyOut]


class EvaluateIn(Strict):
    blinded: Annotated[list[Bytes32], Field(min_length=1, max_length=MAX_TAGS)]


class EvaluateOut(Schema):
    evaluated: list[str]
    proof: str


class ShareIn(Strict):
    key_id: UUID
    sealed: Sealed


class TagIn(Strict):
    match_index: Bytes32
    # Empty while no counselor can receive entries: the action then answers not_open
    # (503) with words she can act on, not a validation error.
    shares: Annotated[list[ShareIn], Field(max_length=50)]


class EntryIn(Strict):
    id: UUID
    ciphertext: EntryCiphertext
    owner_key: WrappedKey
    tags: Annotated[list[TagIn], Field(min_length=1, max_length=MAX_TAGS)]


class EntryEditIn(Strict):
    version: int
    ciphertext: EntryCiphertext
    tags: Annotated[list[TagIn], Field(min_length=1, max_length=MAX_TAGS)] | None = None
    #: Her passphrase again, as its auth key: checked before E is replaced (mend.escrow.api).
    auth_key: KeyHex


class EntryOut(Schema):
    id: UUID
    state: str
    version: int
    identifiers: int
    created_at: datetime
    updated_at: datetime
    ciphertext: str
    owner_key: str


class NoticeOut(Schema):
    id: UUID
    kind: str
    created_at: datetime
    read: bool
    thread: UUID | None


class ThreadOut(Schema):
    id: UUID
    group_state: str
    decision: str
    #: When the counselor recorded `decision` (or she withdrew); None while undecided.
    decided_at: datetime | None
    joined_at: datetime
    counselor_assigned: bool


class MessageIn(Strict):
    text: Annotated[str, Field(min_length=1, max_length=MAX_MESSAGE_CHARS)]


class MessageOut(Schema):
    id: UUID
    from_counselor: bool
    text: str
    created_at: datetime


# --- counselor ---------------------------------------------------------------------------


class KeyIn(Strict):
    id: UUID
    public_key: Bytes32
    signing_public_key: Bytes32
    wrapped_secret_key: WrappedSecret
    kdf_params: dict[str, Any]


class KeyOut(Schema):
    id: UUID
    public_key: str
    signing_public_key: str | None
    endorsed: bool
    wrapped_secret_key: str
    kdf_params: dict[str, Any]
    created_at: datetime


class MyKeyOut(Schema):
    key: KeyOut | None


class GroupSummaryOut(Schema):
    id: UUID
    state: str
    created_at: datetime
    assigned_at: datetime | None
    members: int


class MemberOut(Schema):
    id: UUID
    decision: str
    joined_at: datetime


class GroupEntryOut(Schema):
    id: UUID
    member_id: UUID
    version: int
    created_at: datetime
    updated_at: datetime
    ciphertext: str


class GroupShareOut(Schema):
    tag_id: UUID
    entry_id: UUID
    match_index: str
    sealed: str


class GroupOut(Schema):
    id: UUID
    state: str
    threshold: int
    created_at: datetime
    members: list[MemberOut]
    entries: list[GroupEntryOut]
    shares: list[GroupShareOut]


class DecisionIn(Strict):
    member_id: UUID
    decision: str


class ResealItemOut(Schema):
    tag_id: UUID
    entry_id: UUID
    sealed: str
    missing_keys: list[UUID]


class PendingKeyOut(Schema):
    """A colleague's key waiting for an endorsement, with what the signature covers."""

    id: UUID
    counselor_id: UUID
    counselor: str
    public_key: str
    signing_public_key: str
    created_at: datetime


class EndorseIn(Strict):
    signature: Signature


class ResealOut(Schema):
    operator_public_key: str
    keys: list[CounselorKeyOut]
    items: list[ResealItemOut]
    more: bool  # another batch waits: re-seal this one, then ask again


class ResealItemIn(Strict):
    tag_id: UUID
    key_id: UUID
    sealed: Sealed


class ResealIn(Strict):
    items: Annotated[list[ResealItemIn], Field(max_length=MAX_RESEAL)]


class CountOut(Schema):
    count: int
