"""The counselor workspace API, under /api/v1/counselor/ (two-factor counselors; 404 else).

A counselor receives, for a group assigned to her, the entries' ciphertexts and the shares
sealed to her key; her browser opens them. She receives nothing about any other entry.
"""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Status

from mend.accounts.security import CounselorSession, StaffKeySession, auth_user
from mend.counselor import actions
from mend.crypto.kdf import Argon2Params
from mend.escrow import actions as escrow_actions
from mend.escrow import keys, trust
from mend.escrow.access import (
    get_group_contents_for_counselor,
    get_group_for_counselor,
    get_membership_for_counselor,
    groups_for_counselor,
    keys_holding,
    pending_keys_for_counselor,
)
from mend.escrow.api import counselor_keys_out, messages_out
from mend.escrow.errors import Invalid
from mend.escrow.models import (
    CounselorKey,
    GroupState,
)
from mend.escrow.schemas import (
    MAX_RESEAL,
    CountOut,
    DecisionIn,
    EndorseIn,
    GroupEntryOut,
    GroupOut,
    GroupShareOut,
    GroupSummaryOut,
    KeyIn,
    KeyOut,
    MemberOut,
    MessageIn,
    MessageOut,
    MyKeyOut,
    PendingKeyOut,
    ResealIn,
    ResealItemOut,
    ResealOut,
)
from mend.lib.refusal import refusals
from mend.lib.wire import b64

router = Router(tags=["counselor"], auth=CounselorSession())


def key_out(key: CounselorKey) -> KeyOut:
    return KeyOut(
        id=key.id,
        public_key=b64(key.public_key),
        signing_public_key=b64(key.signing_public_key) if key.signing_public_key else None,
        endorsed=key.id in trust.sealable_ids(),
        wrapped_secret_key=b64(key.wrapped_secret_key),
        kdf_params=key.kdf_params,
        created_at=key.created_at,
    )


# A facilitator keeps her staff key here too (her dialogue case keys are wrapped by it:
# mend/static/js/dialogue/staff/); it never receives escrow shares (mend.escrow.trust).
@router.get("/key", auth=StaffKeySession(), response={200: MyKeyOut, **refusals(401, 404)})
def my_key(request: HttpRequest) -> MyKeyOut:
    key = escrow_actions.active_key(auth_user(request))
    return MyKeyOut(key=key_out(key) if key else None)


@router.post(
    "/key", auth=StaffKeySession(), response={201: KeyOut, **refusals(400, 401, 403, 404, 409, 422)}
)
def register_key(request: HttpRequest, body: KeyIn) -> Status[KeyOut]:
    params = Argon2Params.from_dict(body.kdf_params)  # refuses malformed parameters
    key = actions.do_register_counselor_key(
        auth_user(request),
        body.id,
        body.public_key,
        body.signing_public_key,
        body.wrapped_secret_key,
        params.to_dict(),
    )
    return Status(201, key_out(key))


@router.get("/keys/pending", response={200: list[PendingKeyOut], **refusals(401, 404)})
def pending_keys(request: HttpRequest) -> list[PendingKeyOut]:
    """Colleagues' keys she may endorse: none unless her own key is endorsed and her
    certificate is current."""
    return [
        PendingKeyOut(
            id=k.id,
            counselor_id=k.counselor_id,
            counselor=k.counselor.username,
            public_key=b64(k.public_key),
            signing_public_key=b64(k.signing_public_key or b""),
            created_at=k.created_at,
        )
        for k in pending_keys_for_counselor(auth_user(request))
    ]


@router.post("/keys/{key_id}/endorse", response={204: None, **refusals(400, 401, 403, 404, 422)})
def endorse_key(request: HttpRequest, key_id: UUID, body: EndorseIn) -> Status[None]:
    """Store the endorsement her browser signed; refused unless it verifies."""
    actions.do_endorse_counselor_key(auth_user(request), key_id, body.signature)
    return Status(204, None)


@router.get("/groups", response={200: list[GroupSummaryOut], **refusals(401, 404)})
def list_groups(request: HttpRequest) -> list[GroupSummaryOut]:
    return [
        GroupSummaryOut(
            id=g.id,
            state=g.state,
            created_at=g.created_at,
            assigned_at=g.assigned_at,
            members=g.member_count,
        )
        for g in groups_for_counselor(auth_user(request))
    ]


@router.get("/groups/{group_id}", response={200: GroupOut, **refusals(401, 404)})
def open_group(request: HttpRequest, group_id: UUID) -> GroupOut:
    """Everything her browser needs to open this group, and nothing about any other."""
    counselor = auth_user(request)
    opened = get_group_contents_for_counselor(
        counselor, group_id, escrow_actions.active_key(counselor)
    )
    group, members = opened.group, opened.members
    member_of = {m.survivor_id: m.id for m in members}
    actions.do_open_group(counselor, group)
    return GroupOut(
        id=group.id,
        state=group.state,
        threshold=settings.ESCROW_THRESHOLD,
        created_at=group.created_at,
        members=[MemberOut(id=m.id, decision=m.decision, joined_at=m.joined_at) for m in members],
        entries=[
            GroupEntryOut(
                id=e.id,
                member_id=member_of[e.owner_id],
                version=e.version,
                created_at=e.created_at,
                updated_at=e.updated_at,
                ciphertext=b64(e.ciphertext),
            )
            for e in opened.entries
        ],
        shares=[
            GroupShareOut(
                tag_id=s.tag_id,
                entry_id=s.tag.entry_id,
                match_index=b64(s.tag.match_index),
                sealed=b64(s.sealed),
            )
            for s in opened.shares
        ],
    )


@router.post(
    "/groups/{group_id}/decisions", response={204: None, **refusals(400, 401, 403, 404, 422)}
)
def record_decision(request: HttpRequest, group_id: UUID, body: DecisionIn) -> Status[None]:
    counselor = auth_user(request)
    membership = get_membership_for_counselor(counselor, group_id, body.member_id)
    actions.do_record_decision(counselor, membership, body.decision)
    return Status(204, None)


@router.post("/groups/{group_id}/close", response={204: None, **refusals(400, 401, 403, 404)})
def close_group(request: HttpRequest, group_id: UUID) -> Status[None]:
    counselor = auth_user(request)
    group = get_group_for_counselor(counselor, group_id)
    if group.state == GroupState.CLOSED:
        raise Invalid("this group is already closed")
    actions.do_close_group(counselor, group)
    return Status(204, None)


@router.get(
    "/groups/{group_id}/members/{member_id}/messages",
    response={200: list[MessageOut], **refusals(401, 404)},
)
def member_messages(request: HttpRequest, group_id: UUID, member_id: UUID) -> list[MessageOut]:
    membership = get_membership_for_counselor(auth_user(request), group_id, member_id)
    return messages_out(membership)


@router.post(
    "/groups/{group_id}/members/{member_id}/messages",
    response={201: MessageOut, **refusals(401, 403, 404, 422, 429)},
)
def send_to_member(
    request: HttpRequest, group_id: UUID, member_id: UUID, body: MessageIn
) -> Status[MessageOut]:
    counselor = auth_user(request)
    membership = get_membership_for_counselor(counselor, group_id, member_id)
    message = escrow_actions.do_send_message(
        membership, body.text, sender=counselor, from_counselor=True
    )
    return Status(
        201,
        MessageOut(
            id=message.id, from_counselor=True, text=body.text, created_at=message.created_at
        ),
    )


@router.get("/reseal", response={200: ResealOut, **refusals(401, 404)})
def reseal_work(request: HttpRequest) -> ResealOut:
    """Shares she holds that colleagues' newer keys lack, with those keys: one batch that
    her browser can re-seal in one POST (at most MAX_RESEAL shares); `more` says another
    batch waits (the next GET gives it, since what was re-sealed no longer lacks)."""
    counselor = auth_user(request)
    active = [k.id for k in trust.sealable_keys()]
    batch = list(actions.reseal_candidates(counselor)[: MAX_RESEAL + 1])
    held = keys_holding([s.tag_id for s in batch])
    items: list[ResealItemOut] = []
    planned = 0
    for share in batch:
        missing = [k for k in active if k not in held[share.tag_id]]
        if planned + len(missing) > MAX_RESEAL:
            break
        planned += len(missing)
        items.append(
            ResealItemOut(
                tag_id=share.tag_id,
                entry_id=share.tag.entry_id,
                sealed=b64(share.sealed),
                missing_keys=missing,
            )
        )
    return ResealOut(
        operator_public_key=b64(keys.operator_public_key()),
        keys=counselor_keys_out(),
        items=items,
        more=len(items) < len(batch),
    )


@router.post("/reseal", response={200: CountOut, **refusals(400, 401, 403, 404, 422)})
def reseal(request: HttpRequest, body: ResealIn) -> CountOut:
    items = [
        actions.Reseal(
            tag_id=i.tag_id,
            key_id=i.key_id,
            sealed=i.sealed,
        )
        for i in body.items
    ]
    return CountOut(count=actions.do_reseal_shares(auth_user(request), items))
