"""The survivor's escrow API, under /api/v1/escrow/ (verified survivors; 404 for others).

The server here only ever handles blinded elements, pi, ciphertexts and sealed boxes; the
identifiers and the entry exist in plaintext in the survivor's browser only.
"""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from mend.accounts.api import require_passphrase_again
from mend.accounts.models import User
from mend.accounts.schemas import PassphraseAgainIn
from mend.accounts.security import SurvivorSession, auth_user
from mend.escrow import actions, keys, trust
from mend.escrow.access import (
    entries_for_survivor,
    get_entry_for_user,
    get_escrow_account,
    get_membership_for_survivor,
    get_notice_for_user,
    memberships_for_survivor,
    notices_for_user,
)
from mend.escrow.messages import open_message
from mend.escrow.models import Entry, Membership
from mend.escrow.schemas import (
    ConfigOut,
    CounselorKeyOut,
    EntryEditIn,
    EntryIn,
    EntryOut,
    EvaluateIn,
    EvaluateOut,
    MessageIn,
    MessageOut,
    NoticeOut,
    OprfKeyOut,
    TagIn,
    ThreadOut,
)
from mend.lib.refusal import refusals
from mend.lib.wire import b64

router = Router(tags=["escrow"], auth=SurvivorSession())


@router.get("/oprf-key", response={200: OprfKeyOut}, auth=None)
def oprf_key(request: HttpRequest) -> dict[str, str]:
    """The published VOPRF public key: browsers check every evaluation's proof against it."""
    return {"suite": "ristretto255-SHA512", "public_key": b64(keys.oprf_public_key())}


@router.get("/config", response={200: ConfigOut, **refusals(401, 404)})
def config(request: HttpRequest) -> dict[str, object]:
    account = get_escrow_account(auth_user(request))
    return {
        "verified": account is not None,
        "threshold": settings.ESCROW_THRESHOLD,
        "oprf_public_key": b64(keys.oprf_public_key()),
        "escrow_id": b64(account.escrow_id) if account else None,
        "operator_public_key": b64(keys.operator_public_key()),
        "counselor_keys": counselor_keys_out(),
    }


def counselor_keys_out() -> list[CounselorKeyOut]:
    """The endorsed keys to seal to, with every key their chains pass through, so that the
    browser checks each endorsement itself before sealing (mend.escrow.trust)."""
    listed, sealable = trust.chain_for_browsers()
    return [CounselorKeyOut.of(k, sealable=k.id in sealable) for k in listed]


@router.post("/evaluate", response={200: EvaluateOut, **refusals(400, 401, 403, 404, 422, 429)})
def evaluate(request: HttpRequest, body: EvaluateIn) -> dict[str, object]:
    evaluation = actions.do_evaluate_oprf(auth_user(request), body.blinded)
    return {
        "evaluated": [b64(e) for e in evaluation.evaluated_elements],
        "proof": b64(evaluation.proof),
    }


def _tags(tags: list[TagIn]) -> list[actions.NewTag]:
    return [
        actions.NewTag(match_index=tag.match_index, shares={s.key_id: s.sealed for s in tag.shares})
        for tag in tags
    ]


def entry_out(entry: Entry, tag_count: int, matched: int) -> EntryOut:
    return EntryOut(
        id=entry.id,
        state="matched" if matched else "waiting",
        version=entry.version,
        identifiers=tag_count,
        created_at=entry.created_at,
        updated_at=entry.updated_at,
        ciphertext=b64(entry.ciphertext),
        owner_key=b64(entry.owner_key),
    )


def _with_counts(entry_id: UUID | None, owner: User) -> list[EntryOut]:
    rows = entries_for_survivor(owner)
    if entry_id is not None:
        rows = rows.filter(id=entry_id)
    return [entry_out(e, e.tag_count, e.matched) for e in rows.order_by("-created_at")]


@router.get("/entries", response={200: list[EntryOut], **refusals(401, 404)})
def list_entries(request: HttpRequest) -> list[EntryOut]:
    return _with_counts(None, auth_user(request))


@router.post("/entries", response={201: EntryOut, **refusals(400, 401, 403, 404, 409, 422, 503)})
def submit_entry(request: HttpRequest, body: EntryIn) -> Status[EntryOut]:
    upload = actions.EntryUpload(
        entry_id=body.id,
        ciphertext=body.ciphertext,
        owner_key=body.owner_key,
        tags=_tags(body.tags),
    )
    submitted = actions.do_submit_entry(auth_user(request), upload)
    return Status(201, entry_out(submitted.entry, len(upload.tags), int(submitted.matched)))


@router.get("/entries/{entry_id}", response={200: EntryOut, **refusals(401, 404)})
def get_entry(request: HttpRequest, entry_id: UUID) -> EntryOut:
    entry = get_entry_for_user(auth_user(request), entry_id)
    return _with_counts(entry.id, entry.owner)[0]


# Replacing or withdrawing an entry takes her passphrase again (its auth key, checked as a
# sign-in is, before anything changes), as deleting a record does: a stolen session alone
# must not overwrite what she wrote, or take her out of a match and tell her counselor so.
@router.put(
    "/entries/{entry_id}",
    response={200: EntryOut, **refusals(400, 401, 403, 404, 409, 422, 429, 503)},
)
def edit_entry(request: HttpRequest, entry_id: UUID, body: EntryEditIn) -> EntryOut:
    user = auth_user(request)
    entry = get_entry_for_user(user, entry_id)
    require_passphrase_again(request, user, body.auth_key)
    tags = _tags(body.tags) if body.tags is not None else None
    actions.do_edit_entry(entry, body.version, body.ciphertext, tags)
    return _with_counts(entry.id, entry.owner)[0]


@router.delete("/entries/{entry_id}", response={204: None, **refusals(401, 403, 404, 422, 429)})
def withdraw_entry(request: HttpRequest, entry_id: UUID, body: PassphraseAgainIn) -> Status[None]:
    user = auth_user(request)
    entry = get_entry_for_user(user, entry_id)
    require_passphrase_again(request, user, body.auth_key)
    actions.do_withdraw_entry(entry)
    return Status(204, None)


@router.get("/notices", response={200: list[NoticeOut], **refusals(401, 404)})
def list_notices(request: HttpRequest) -> list[NoticeOut]:
    user = auth_user(request)
    threads = dict(memberships_for_survivor(user).values_list("group_id", "id"))
    return [
        NoticeOut(
            id=n.id,
            kind=n.kind,
            created_at=n.created_at,
            read=n.read_at is not None,
            thread=threads.get(n.group_id) if n.group_id else None,
        )
        for n in notices_for_user(user)[:100]
    ]


@router.post("/notices/{notice_id}/read", response={204: None, **refusals(401, 403, 404)})
def read_notice(request: HttpRequest, notice_id: UUID) -> Status[None]:
    actions.do_mark_notice_read(get_notice_for_user(auth_user(request), notice_id), timezone.now())
    return Status(204, None)


@router.get("/threads", response={200: list[ThreadOut], **refusals(401, 404)})
def list_threads(request: HttpRequest) -> list[ThreadOut]:
    memberships = memberships_for_survivor(auth_user(request))
    return [
        ThreadOut(
            id=m.id,
            group_state=m.group.state,
            decision=m.decision,
            decided_at=m.decided_at,
            joined_at=m.joined_at,
            counselor_assigned=m.group.counselor_id is not None,
        )
        for m in memberships.order_by("-joined_at")
    ]


@router.get("/threads/{thread_id}/messages", response={200: list[MessageOut], **refusals(401, 404)})
def thread_messages(request: HttpRequest, thread_id: UUID) -> list[MessageOut]:
    membership = get_membership_for_survivor(auth_user(request), thread_id)
    return messages_out(membership)


@router.post(
    "/threads/{thread_id}/messages",
    response={201: MessageOut, **refusals(401, 403, 404, 422, 429)},
)
def send_to_counselor(request: HttpRequest, thread_id: UUID, body: MessageIn) -> Status[MessageOut]:
    user = auth_user(request)
    membership = get_membership_for_survivor(user, thread_id)
    message = actions.do_send_message(membership, body.text, sender=user, from_counselor=False)
    return Status(
        201,
        MessageOut(
            id=message.id, from_counselor=False, text=body.text, created_at=message.created_at
        ),
    )


def messages_out(membership: Membership) -> list[MessageOut]:
    return [
        MessageOut(
            id=m.id,
            from_counselor=m.from_counselor,
            text=open_message(m.id, bytes(m.ciphertext)),
            created_at=m.created_at,
        )
        for m in membership.messages.all()
    ]
