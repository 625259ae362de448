"""Personas and a case builder for the dialogue's tests.

Beside mend.test's personas: alice (survivor) asks for a dialogue; frank facilitates it as
lead; gail is a facilitator of another case; sophie supervises; ross is the responsible
person. Each has a dialogue key made here as their browser would (mend.crypto.dialogue).
The canary is text that must never reach the database in any form.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import time_machine
from django.test import Client

from mend.accounts.models import Role, User
from mend.certificates.testing import certify
from mend.crypto import dialogue as crypto
from mend.crypto import envelope, labels
from mend.dialogue import actions
from mend.dialogue.models import Case, Item, Participant, PartyRole
from mend.dialogue.stages import Screening, Stage, Step
from mend.escrow import testing as escrow_testing
from mend.escrow.models import CounselorKey
from mend.test import NOW, BaseTestCase, login_with_otp

CANARY = "CANARY-7f3a-she-said-it-in-her-own-words"
BASE = "/api/v1/dialogue"


@dataclass(frozen=True)
class Keys:
    """A participant's dialogue key as her browser holds it."""

    box: envelope.BoxKeyPair
    seed: bytes

    @property
    def signing_public_key(self) -> bytes:
        return crypto.signing_public_key(self.seed)


def keys_for(name: str) -> Keys:
    box = envelope.box_keypair(hashlib.sha256(f"dialogue test {name}".encode()).digest())
    return Keys(box, crypto.signing_seed(box.secret_key))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def wrapped_secret(keys: Keys, participant_id: uuid.UUID) -> bytes:
    """The X25519 secret key wrapped as her browser would, by a key only she holds."""
    context = envelope.Context(labels.PURPOSE_DIALOGUE_KEY, str(participant_id), 1)
    return envelope.wrap_key(hashlib.sha256(keys.seed).digest(), keys.box.secret_key, context)


def stored(item: Item) -> tuple[crypto.ItemRef, crypto.SealedItem]:
    """An item as the server keeps it (read again): what names it, and its sealed parts
    with every reader's sealed key."""
    item.refresh_from_db()
    ref = crypto.ItemRef(item.case_id, item.id, item.author_id, item.kind, item.revision)
    keys = {k.reader_id: bytes(k.sealed_key) for k in item.reader_keys.all()}
    body, signature, commitment = bytes(item.body), bytes(item.signature), bytes(item.commitment)
    return ref, crypto.SealedItem(body, signature, commitment, keys)


def reseal(item: Item, box: envelope.BoxKeyPair, holder: uuid.UUID, reader: Participant) -> bytes:
    """What a browser that holds the item's key (`box`, as the participant `holder`) seals
    to `reader`: an approval's key for the recipient, or a shared key."""
    ref, sealed = stored(item)
    key = crypto.open_content_key(ref, box, holder, sealed)
    return crypto.wrap_for_reader(ref, key, reader.id, bytes(reader.box_public_key or b""))


def initial_readers(
    author: Participant, kind: str, about: Item | None = None
) -> dict[uuid.UUID, bytes]:
    """Whom the author's browser seals a new item to (case-core.js initialReaders, written
    again here so that the server's rule is checked, not copied): the author, every
    facilitator with a key, both parties for a plan item, the returned item's author for a
    return note; never a former facilitator, nor a facilitator whose case key is a staff
    key of hers that an admin retired (`GET …/team-keys` does not mark it sealable)."""
    return {
        p.id: bytes(p.box_public_key)
        for p in author.case.participants.all()
        if p.box_public_key is not None
        and p.role != PartyRole.FORMER
        and not _retired_staff_key(p)
        and (
            p.id == author.id
            or p.is_facilitator
            or kind == "plan-item"
            or (about is not None and p.id == about.author_id)
        )
    }


def _retired_staff_key(part: Participant) -> bool:
    staff = CounselorKey.objects.filter(
        counselor_id=part.user_id, public_key=bytes(part.box_public_key or b"")
    )
    return staff.filter(active=False).exists() and not staff.filter(active=True).exists()


def submit_as_browser(
    author: Participant, seed: bytes, kind: str, text: bytes, now: datetime, **extra: Any
) -> Item:
    """An item sealed and signed as the author's browser seals it (to the author, every
    facilitator with a key, and both parties for a plan item), stored through the action:
    how the browser tests play a party their test does not drive."""
    author.refresh_from_db()
    readers = initial_readers(author, kind)
    item_id, revision = uuid.uuid4(), extra.pop("revision", 1)
    ref = crypto.ItemRef(author.case_id, item_id, author.id, kind, revision)
    sealed = crypto.seal_item(ref, text, seed, readers)
    new = actions.NewItem(
        id=item_id,
        kind=kind,
        revision=revision,
        body=sealed.body,
        signature=sealed.signature,
        commitment=sealed.commitment,
        reader_keys=dict(sealed.reader_keys),
        **extra,
    )
    return actions.do_submit_item(author, new, now)


def ready_to_facilitate(facilitator: User, now: datetime = NOW) -> None:
    """What a facilitator needs before a case is hers (``actions.do_assign_facilitator``):
    a current certificate of her path, and a staff key vouched for by the operator's key,
    without which no party's browser could write to her (the dialogue is offered too,
    ``availability``)."""
    certify(facilitator, now=now)
    escrow_testing.add_counselor_key(facilitator)


class DialogueTestCase(BaseTestCase):
    gail: User
    sophie: User
    ross: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.gail = User.objects.create_user(
            "gail", password="gail-passphrase", role=Role.FACILITATOR
        )
        for facilitator in (cls.frank, cls.gail):
            ready_to_facilitate(facilitator)
        cls.sophie = User.objects.create_user(
            "sophie", password="sophie-passphrase", role=Role.SUPERVISOR
        )
        cls.ross = User.objects.create_user("ross", password="ross-key", role=Role.RESPONSIBLE)

    def setUp(self) -> None:
        super().setUp()
        traveller = time_machine.travel(NOW, tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)

    # --- Signing in and calling the API ---------------------------------------------------

    def sign_in(self, user: User | None) -> Client:
        client = Client()
        if user is None:
            return client
        if user.role in (Role.SURVIVOR, Role.RESPONSIBLE):
            client.force_login(user)
        else:
            login_with_otp(client, user)
        return client

    def call(
        self, user: User | None, method: str, path: str, body: dict[str, Any] | None = None
    ) -> Any:
        """One API request as `user` (None: signed out); a JSON body for every write."""
        send = getattr(self.sign_in(user), method.lower())
        if method.upper() == "GET":
            return send(BASE + path)
        return send(BASE + path, data=json.dumps(body or {}), content_type="application/json")

    # --- Building a case --------------------------------------------------------------------

    def part(self, case: Case, role: str) -> Participant:
        return Participant.objects.get(case=case, role=role)

    def register(self, participant: Participant, name: str) -> None:
        keys = keys_for(name)
        actions.do_register_key(
            participant,
            actions.KeyMaterial(
                keys.box.public_key,
                keys.signing_public_key,
                wrapped_secret(keys, participant.id),
            ),
        )

    def seal(
        self,
        author: Participant,
        name: str,
        kind: str,
        text: str,
        **extra: Any,
    ) -> dict[str, Any]:
        """The body of POST /items as the author's browser would send it."""
        item_id = extra.pop("id", uuid.uuid4())
        revision = extra.pop("revision", 1)
        # A return note goes to the returned item's author too (and to nobody else).
        about = Item.objects.filter(id=extra["about"]).first() if extra.get("about") else None
        readers = initial_readers(author, kind, about)
        ref = crypto.ItemRef(author.case_id, item_id, author.id, kind, revision)
        item = crypto.seal_item(ref, text.encode(), keys_for(name).seed, readers)
        return {
            "id": str(item_id),
            "kind": kind,
            "revision": revision,
            "body": b64(item.body),
            "signature": b64(item.signature),
            "commitment": b64(item.commitment),
            "reader_keys": {str(k): b64(v) for k, v in item.reader_keys.items()},
            **{k: str(v) if isinstance(v, uuid.UUID | date) else v for k, v in extra.items()},
        }

    def submit(self, author: Participant, name: str, kind: str, text: str, **extra: Any) -> Item:
        """Store an item through the action (the API tests post the same body)."""
        body = self.seal(author, name, kind, text, **extra)
        new = actions.NewItem(
            id=uuid.UUID(body["id"]),
            kind=kind,
            revision=body["revision"],
            body=base64.b64decode(body["body"]),
            signature=base64.b64decode(body["signature"]),
            commitment=base64.b64decode(body["commitment"]),
            reader_keys={uuid.UUID(k): base64.b64decode(v) for k, v in body["reader_keys"].items()},
            subject=extra.get("subject", ""),
            decision=extra.get("decision", ""),
            stop_rule=extra.get("stop_rule", ""),
            plan_kind=extra.get("plan_kind", ""),
            due_on=extra.get("due_on"),
            about=extra.get("about"),
        )
        return actions.do_submit_item(author, new, NOW)

    def recipient_key(self, item: Item, facilitator: str, recipient: Participant) -> bytes:
        """What the facilitator's browser seals to the recipient when it approves."""
        lead = self.part(item.case, PartyRole.LEAD)
        return reseal(item, keys_for(facilitator).box, lead.id, recipient)

    def approve(self, item: Item, recipient: Participant) -> Item:
        lead = self.part(item.case, PartyRole.LEAD)
        decision = actions.ScreeningDecision(
            Screening.APPROVED, recipient_key=self.recipient_key(item, "frank", recipient)
        )
        return actions.do_screen_item(lead, item, decision, NOW)

    def case_at(self, stage: Stage) -> Case:
        """A case of alice's led by frank, walked through the real actions up to `stage`."""
        survivor = actions.do_open_case(self.alice, NOW)
        case = survivor.case
        if stage >= Stage.ASSESSMENT:
            actions.do_give_consent(survivor, actions.CONSENT_VERSION, NOW)
            actions.do_assign_facilitator(self.sophie, case, self.frank, PartyRole.LEAD, NOW)
            lead = self.part(case, PartyRole.LEAD)
            self.register(survivor, "alice")
            self.register(lead, "frank")
            actions.do_step(lead, Step.ADVANCE, NOW)
        if stage >= Stage.FEASIBILITY:
            self.submit(
                lead, "frank", "assessment", "ready", subject="survivor", decision="proceed"
            )
            actions.do_step(lead, Step.ADVANCE, NOW)
        if stage >= Stage.PREPARATION:
            ross = Participant.objects.create(
                case=case, user=self.ross, role=PartyRole.RESPONSIBLE, joined_at=NOW
            )
            self.register(ross, "ross")
            ack = self.submit(ross, "ross", "acknowledgment", "I did it and it harmed her.")
            self.approve(ack, survivor)
            actions.do_step(lead, Step.ADVANCE, NOW)
        for _ in range(Stage.PREPARATION, min(stage, Stage.PLAN)):
            actions.do_step(lead, Step.ADVANCE, NOW)
        case.refresh_from_db()
        return case
