"""Writes with side effects for the dialogue (STYLE rule 4): each in one transaction.

Every step first locks the case row (`_lock`), asks the stage machine (stages.py), and
writes all or nothing; a refusal is a `Refusal` with a stable code. Facilitators' and
supervisors' steps are written to the audit log; the survivor's and the responsible
person's are not (the log names no party). `now` is always passed in, never read here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from mend.accounts import actions as account_actions
from mend.accounts import roles
from mend.accounts.models import Role, User
from mend.audit.actions import record_audit
from mend.certificates import paths
from mend.certificates.access import holds_current_staff
from mend.crypto import dialogue as crypto
from mend.crypto.errors import DialogueError
from mend.dialogue import availability, retention, stages
from mend.dialogue.access import actor_of, retired_key_holders
from mend.dialogue.models import (
    FACILITATOR_ROLES,
    Assessment,
    Case,
    Consent,
    Decision,
    EarlierKey,
    Feedback,
    Format,
    Invitation,
    Item,
    Participant,
    PartyRole,
    PlanItem,
    ReaderKey,
    StopRecord,
    SupervisionSession,
    is_facilitator_role,
)
from mend.dialogue.stages import Actor, Screening, Stage, State, Step, StopRule
from mend.escrow import trust
from mend.escrow.models import CounselorKey
from mend.lib import codes
from mend.lib.background import enqueue_at
from mend.lib.refusal import Refusal

#: The version of the stage-1 information a consent refers to (raise it when the text changes).
CONSENT_VERSION = 1
#: The anonymous survey's questions, each answered 1-5 (docs/dialogue.md, stage 8).
FEEDBACK_QUESTIONS = ("felt_safe", "felt_heard", "facilitation", "would_recommend")
#: Aggregates are shown only from this many answers up.
FEEDBACK_MIN_ANSWERS = 5


def refused(error: stages.Refused) -> Refusal:
    return Refusal(403, error.code, error.detail)


def audit(action: str, actor: Participant | User, case: Case) -> None:
    """Record a step on ``case``, naming the staff member who took it. A party's own steps
    (her format, her items, a check her browser failed) name nobody, as "dialogue.party.left"
    does: the log is read by admins, and must not say which survivor or responsible
    person's account is in a restorative dialogue, or what they chose."""
    user = actor.user if isinstance(actor, Participant) else actor
    named = None if roles.holds_browser_keys(user) else user
    record_audit(action, actor=named, object_type="dialogue.case", object_id=case.id)


def snapshot(case: Case) -> stages.Snapshot:
    """What the stage machine reads of a case."""
    return stages.Snapshot(
        stage=Stage(case.stage),
        state=State(case.state),
        paused_by=Actor(case.paused_by) if case.paused_by else None,
        consent_current=case.consents.filter(withdrawn_at__isnull=True).exists(),
        assessment_proceeds=case.assessment_proceeds,
        acknowledgment_accepted=case.acknowledgment_accepted,
        accepted_plan_items=PlanItem.objects.filter(
            item__case=case, answer=PlanItem.Answer.ACCEPTED
        ).count(),
        letter_bank=case.format == Format.LETTER_BANK,
    )


def _apply(case: Case, after: stages.Snapshot, now: datetime) -> None:
    """Write the stage machine's answer back to the case row."""
    if after.stage != case.stage:
        case.stage_changed_at = now
    case.stage, case.state = int(after.stage), str(after.state)
    case.paused_by = after.paused_by.value if after.paused_by else ""
    closing = after.state == State.CLOSED and case.closed_at is None
    if closing:
        case.closed_at = now
    case.save(update_fields=["stage", "state", "paused_by", "stage_changed_at", "closed_at"])
    if closing:
        # Its words go DIALOGUE_CLOSED_KEEP_DAYS later (mend.dialogue.retention).
        enqueue_at(retention.forget_closed_cases, now + retention.keep_days())


def _close(case: Case, reason: stages.Closure) -> None:
    case.closure_reason = reason.value
    case.save(update_fields=["closure_reason"])


# --- Opening a case, consent, team -----------------------------------------------------------


@transaction.atomic
def do_open_case(survivor: User, now: datetime) -> Participant:
    """A survivor asks for a dialogue (stage 1). Only she can start one (Scotland §6)."""
    if not roles.is_survivor(survivor):
        raise Refusal(404, "not_found", "Not found.")
    if not availability.offered(now):
        raise Refusal(
            503,
            "not_offered",
            "No trained facilitator is available here yet, so a dialogue cannot start.",
        )
    User.objects.select_for_update().filter(id=survivor.id).first()  # one request at a time
    open_cases = Participant.objects.filter(
        user=survivor, role=PartyRole.SURVIVOR, case__closed_at__isnull=True
    ).count()
    if open_cases >= settings.DIALOGUE_OPEN_CASES_MAX:
        raise Refusal(
            409,
            "too_many_cases",
            f"You can have {settings.DIALOGUE_OPEN_CASES_MAX} dialogues open at a time; "
            "end one to ask for another.",
        )
    case = Case.objects.create(
        stage=Stage.REQUEST, state=State.ACTIVE, opened_at=now, stage_changed_at=now
    )
    return Participant.objects.create(
        case=case, user=survivor, role=PartyRole.SURVIVOR, joined_at=now
    )


@transaction.atomic
def do_give_consent(survivor: Participant, version: int, now: datetime) -> Consent:
    """Her written consent to the information of `version` (RJC C; EU 2012/29 Art. 12)."""
    case = _lock(survivor)
    _only(survivor, PartyRole.SURVIVOR)
    if case.state == State.CLOSED:
        raise Refusal(403, "closed", "This case has ended.")
    if version != CONSENT_VERSION:
        raise Refusal(
            400, "old_information", f"Please read the current information (v{CONSENT_VERSION})."
        )
    case.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=now)
    return Consent.objects.create(case=case, participant=survivor, version=version, given_at=now)


@transaction.atomic
def do_withdraw_consent(survivor: Participant, now: datetime) -> None:
    """She withdraws her consent: the case ends at once, with no reason asked."""
    case = _lock(survivor)
    _only(survivor, PartyRole.SURVIVOR)
    case.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=now)
    if case.state != State.CLOSED:
        _apply(case, stages.check_step(snapshot(case), Step.END, Actor.SURVIVOR), now)
        _close(case, stages.Closure.SURVIVOR_ENDED)


def facilitator_named(username: str) -> User:
    """The active facilitator account of this username, for a supervisor's step (assigning
    her, recording her supervision); 400 `not_a_facilitator` for any other name."""
    facilitator = User.objects.filter(username=username, role=Role.FACILITATOR).first()
    if facilitator is None or not roles.is_facilitator_account(facilitator):
        raise Refusal(400, "not_a_facilitator", "There is no facilitator with this username.")
    return facilitator


@transaction.atomic
def do_assign_facilitator(
    supervisor: User, case: Case, facilitator: User, role: str, now: datetime
) -> Participant:
    """A supervisor assigns the lead (or a co-facilitator) to a case; audited."""
    case = Case.objects.select_for_update().get(id=case.id)
    if case.state == State.CLOSED:
        raise Refusal(403, "closed", "This case has ended.")
    if not is_facilitator_role(role):
        raise Refusal(400, "bad_role", "A facilitator is the lead or the co-facilitator.")
    if not roles.is_facilitator_account(facilitator):
        raise Refusal(400, "not_a_facilitator", "Only a facilitator account can be assigned.")
    if case.participants.filter(Q(role=role) | Q(user=facilitator)).exists():
        raise Refusal(409, "assigned", "This role, or this person, is already in the case.")
    if not holds_current_staff(facilitator, paths.FACILITATOR_PATH, now):
        raise Refusal(
            409,
            "not_certified",
            "This facilitator holds no current certificate of the facilitators' training path.",
        )
    key = trust.key_state(facilitator)
    if key is None or not key.vouched:
        # The parties' browsers seal to her only through a chain of endorsements: until a
        # counselor vouches for her key, nothing they write could reach her.
        raise Refusal(
            409,
            "key_not_vouched",
            "This facilitator has no staff key that a counselor has vouched for yet.",
        )
    part = Participant.objects.create(case=case, user=facilitator, role=role, joined_at=now)
    audit("dialogue.facilitator.assigned", supervisor, case)
    return part


@transaction.atomic
def do_take_off_facilitator(supervisor: User, case: Case, username: str) -> Participant | None:
    """A supervisor takes a facilitator off an open case (she left Mend, and her account
    may be closed already; her certificate lapsed; a conflict of interest), named by her
    username; audited. Returns the case's lead afterwards, if any.

    She becomes a former facilitator: the case answers her 404, nothing more is sealed to
    her, and her sealed keys to its items go; what she wrote stays, checked in browsers by
    her endorsed staff key. When she led it, every key statement was hers and goes with
    her, and the co-facilitator (without one, the survivor specialist), who holds the
    case's items, leads it from now on: she vouches for the parties again after comparing
    fingerprints with them. With neither, the case waits for a new lead, who cannot open
    what was written before she joined (it was sealed to the team of the time) until its
    authors let her. Her unused invitation codes go too: she still knows a code she was
    shown, and whoever she gave it to must not join a case she has left; the lead who
    follows makes a new one."""
    case = Case.objects.select_for_update().get(id=case.id)
    if case.state == State.CLOSED:
        raise Refusal(403, "closed", "This case has ended.")
    on_case = case.participants.filter(role__in=FACILITATOR_ROLES)
    part = on_case.filter(user__username=username).first()
    if part is None:
        raise Refusal(409, "not_on_case", "This facilitator is not on this case.")
    was_lead = part.is_lead
    part.role = PartyRole.FORMER
    part.save(update_fields=["role"])
    ReaderKey.objects.filter(reader=part).delete()
    if was_lead:
        case.participants.update(key_statement=None)
        case.invitations.filter(used_at__isnull=True).delete()
        for next_in_line in (PartyRole.CO, PartyRole.SPECIALIST):
            if case.participants.filter(role=next_in_line).update(role=PartyRole.LEAD):
                break
    audit("dialogue.facilitator.taken_off", supervisor, case)
    return case.participants.filter(role=PartyRole.LEAD).first()


# --- Keys ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyMaterial:
    box_public_key: bytes
    signing_public_key: bytes
    wrapped_secret_key: bytes


@transaction.atomic
def do_register_key(participant: Participant, keys: KeyMaterial) -> None:
    """The public half of the dialogue key made in her browser; once per participant.

    Once more for a facilitator whose case key is not her active staff key any more (an
    admin retired it: lost or compromised): she, and nobody else, registers her active
    staff key in its place, and only one that a valid chain of endorsements vouches for
    (`_replace_case_key`). Anyone else, or any other key: 409 `key_registered`."""
    case = _lock(participant)
    part = Participant.objects.select_for_update().get(id=participant.id)
    if part.box_public_key is not None:
        if not _may_replace_case_key(part, keys):
            raise Refusal(409, "key_registered", "A key is already registered for this case.")
        _replace_case_key(case, part)
    for target in (part, participant):
        target.box_public_key = keys.box_public_key
        target.signing_public_key = keys.signing_public_key
        target.wrapped_secret_key = keys.wrapped_secret_key
    part.save(
        update_fields=[
            "box_public_key",
            "signing_public_key",
            "wrapped_secret_key",
            "key_statement",
        ]
    )


def _may_replace_case_key(part: Participant, keys: KeyMaterial) -> bool:
    """Whether `keys` are her active staff key, vouched for by a valid chain, and her case
    key is another one: a facilitator's case key is her staff key (ADR 0014), so this is
    the one way a new key enters a case after the first, and the parties' browsers check
    its chain again (`GET …/team-keys`)."""
    if not part.is_facilitator:
        return False
    staff = CounselorKey.objects.filter(counselor_id=part.user_id, active=True).first()
    if staff is None or staff.signing_public_key is None:
        return False
    if bytes(part.box_public_key or b"") == bytes(staff.public_key):
        return False
    if (keys.box_public_key, keys.signing_public_key) != (
        bytes(staff.public_key),
        bytes(staff.signing_public_key),
    ):
        return False
    return staff.id in trust.trusted_ids(trust.with_their_chains([staff]))


def _replace_case_key(case: Case, part: Participant) -> None:
    """Her part's earlier key is kept only to check what she signed with it (`EarlierKey`);
    what was sealed to it, and the key statements it signed, go, and are redone as for a
    facilitator who joins late or a lead taken off (docs/dialogue.md, "Keys"): a colleague
    shares the earlier items again and the parties let her read what they wrote (`lacking`);
    as the lead, she compares fingerprints with the parties again and vouches for them; as
    a co-facilitator, the lead vouches for her new key."""
    EarlierKey.objects.create(
        participant=part,
        box_public_key=bytes(part.box_public_key or b""),
        signing_public_key=bytes(part.signing_public_key or b""),
    )
    ReaderKey.objects.filter(reader=part).delete()
    if part.is_lead:
        case.participants.update(key_statement=None)
    part.key_statement = None
    audit("dialogue.key.replaced", part, case)


@transaction.atomic
def do_vouch_for_key(lead: Participant, party: Participant, signature: bytes) -> None:
    """The lead's signed key statement for a participant's keys, checked before it is kept."""
    case = _lock(lead)
    if lead.signing_public_key is None or party.box_public_key is None:
        raise Refusal(409, "no_key", "Both keys must be registered first.")
    try:
        crypto.verify_key_statement(
            signature,
            bytes(lead.signing_public_key),
            case.id,
            party.id,
            party.role,
            bytes(party.box_public_key),
            bytes(party.signing_public_key or b""),
        )
    except DialogueError as error:
        raise Refusal(400, "bad_signature", str(error)) from None
    party.key_statement = signature
    party.save(update_fields=["key_statement"])
    audit("dialogue.key.vouched", lead, case)


# --- Steps and stop rules ----------------------------------------------------------------------


@transaction.atomic
def do_step(participant: Participant, step: Step, now: datetime) -> Case:
    """Advance (facilitator), pause or resume (who paused), end (either party)."""
    case = _lock(participant)
    actor = actor_of(participant)
    try:
        after = stages.check_step(snapshot(case), step, actor)
    except stages.Refused as error:
        raise refused(error) from None
    _apply(case, after, now)
    if after.state == State.CLOSED:
        _close(case, stages.closure_for(actor))
    if participant.is_facilitator:
        audit(f"dialogue.step.{step.value}", participant, case)
    return case


#: The closure a stop rule that ends a case records.
_STOP_CLOSURE = {
    StopRule.SURVIVOR_REQUEST: stages.Closure.SURVIVOR_ENDED,
    StopRule.NO_ACKNOWLEDGMENT: stages.Closure.RESPONSIBLE_DECLINED,
    StopRule.ACKNOWLEDGMENT_RETRACTED: stages.Closure.RESPONSIBLE_DECLINED,
    StopRule.NON_COMPLIANCE: stages.Closure.NON_COMPLIANCE,
}


@transaction.atomic
def do_record_stop(
    facilitator: Participant, rule: StopRule, end: bool, now: datetime
) -> StopRecord:
    """A stop rule (A.10), recorded with its reason; it pauses or ends the case."""
    case = _lock(facilitator)
    try:
        after = stages.stop(snapshot(case), end)
    except stages.Refused as error:
        raise refused(error) from None
    _apply(case, after, now)
    if end:
        _close(case, _STOP_CLOSURE.get(rule, stages.Closure.STOPPED_FOR_SAFETY))
    record = StopRecord.objects.create(
        case=case, rule=rule, recorded_by=facilitator, ended=end, at=now
    )
    audit("dialogue.stop.ended" if end else "dialogue.stop.paused", facilitator, case)
    return record


# --- A party deletes the account ----------------------------------------------------------------


def leave_with_account(sender: object, account: User, **kwargs: object) -> None:
    """Her (his) account is being deleted (`account_deleting`, inside that transaction).

    Each open case of the account closes: as ended by her, or declined by him. When she
    leaves, her cases' words go now, by the deletion their day would bring
    (`retention.forget_with_her_account`): every item, sealed key and invitation (her own
    items would go by cascade; his, and the facilitators' notes, are about her), and his
    account, made for that case. So no page promises words that are gone, and he cannot
    tell her leaving Mend from her ending the case and deleting its words herself. What
    stays is the case row's stage, dates and closure, with no party of hers, for
    supervision's counts. When he leaves, his own items go by cascade."""
    now = timezone.now()
    parties = (PartyRole.SURVIVOR, PartyRole.RESPONSIBLE)
    for part in Participant.objects.filter(user=account, role__in=parties):
        case = _lock(part)
        if case.state != State.CLOSED:
            actor = actor_of(part)
            _apply(case, stages.check_step(snapshot(case), Step.END, actor), now)
            _close(case, stages.closure_for(actor))
        if part.is_survivor_party:
            retention.forget_with_her_account(case, now)
        record_audit("dialogue.party.left", object_type="dialogue.case", object_id=case.id)


# --- Invitation of the responsible person ------------------------------------------------------


INVITATION_HASH_LABEL = b"mend-dialogue-v1/invitation-code"


def invitation_hash(code: str) -> str:
    """The keyed hash kept instead of the code (a leaked table gives no usable code)."""
    return codes.secret_keyed_hash(INVITATION_HASH_LABEL, code)


@transaction.atomic
def do_invite_responsible(lead: Participant, now: datetime) -> str:
    """A one-time code for the responsible person (stage 3), shown once to the lead, who
    hands it over outside Mend. A new code replaces any unused one."""
    case = _lock(lead)
    if case.state != State.ACTIVE or case.stage != Stage.FEASIBILITY:
        raise Refusal(403, "wrong_stage", "Invitations are made at the feasibility stage.")
    if case.participants.filter(role=PartyRole.RESPONSIBLE).exists():
        raise Refusal(409, "joined", "The responsible person has joined already.")
    case.invitations.filter(used_at__isnull=True).delete()
    code = codes.new_code()
    Invitation.objects.create(
        code_hash=invitation_hash(code),
        case=case,
        created_at=now,
        expires_at=now + timedelta(days=settings.DIALOGUE_INVITATION_DAYS),
    )
    audit("dialogue.invitation.made", lead, case)
    return "-".join(code[i : i + 4] for i in range(0, codes.LENGTH, 4))


@dataclass(frozen=True)
class NewAccount:
    username: str
    vault_id: UUID
    keys: account_actions.VaultKeyMaterial
    recovery: account_actions.RecoveryMaterial


@transaction.atomic
def do_join_with_invitation(code: str, account: NewAccount, now: datetime) -> Participant:
    """Make the responsible person's account (the survivor sign-up, as role "responsible")
    and his part in the invited case, or nothing at all."""
    invitation = (
        Invitation.objects.select_for_update()
        .filter(code_hash=invitation_hash(code), used_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if invitation is None:
        raise Refusal(400, "bad_code", "This invitation code is not valid, or was used.")
    case = Case.objects.select_for_update().get(id=invitation.case_id)
    if case.state == State.CLOSED:
        raise Refusal(400, "bad_code", "This invitation code is not valid, or was used.")
    # A taken username or vault id is a Refusal (409) from the sign-up, and rolls back all.
    user = account_actions.do_sign_up(
        account.username, account.vault_id, account.keys, account.recovery, role=Role.RESPONSIBLE
    )
    invitation.used_at = now
    invitation.save(update_fields=["used_at"])
    return Participant.objects.create(
        case=case, user=user, role=PartyRole.RESPONSIBLE, joined_at=now
    )


# --- Items -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewItem:
    id: UUID
    kind: str
    revision: int
    body: bytes
    signature: bytes
    commitment: bytes
    reader_keys: dict[UUID, bytes]
    replaces: UUID | None = None
    # An assessment's flags, or a plan item's.
    subject: str = ""
    decision: str = ""
    stop_rule: str = ""
    plan_kind: str = ""
    due_on: date | None = None
    #: A return note's returned item (ItemIn.about).
    about: UUID | None = None


@transaction.atomic
def do_submit_item(author: Participant, new: NewItem, now: datetime) -> Item:
    """Store an item its author encrypted and signed, if the stage machine allows it now.

    Refused unless the author's signature verifies (the server checks what it can; the
    reader's browser checks again) and the content key is sealed to exactly the author and
    every facilitator of the case with a key: never to the other party before approval.
    """
    case = _lock(author)
    try:
        stages.check_item(snapshot(case), new.kind, actor_of(author))
    except stages.Refused as error:
        raise refused(error) from None
    previous = _previous_revision(author, new)
    about = _returned_item(case, new)
    # Facilitators whose staff key an admin retired: it signs nothing new, nor is sealed to.
    retired = retired_key_holders(case.id)
    _check_signature(case, author, new, retired)
    readers = _initial_readers(case, author, new.kind, retired, about)
    if not any(r.is_facilitator for r in readers):
        raise Refusal(409, "no_team_key", "The facilitator has no dialogue key yet.")
    if set(new.reader_keys) != {r.id for r in readers}:
        raise Refusal(
            400, "wrong_readers", "Seal the key to yourself and to each facilitator, no one else."
        )
    item = Item.objects.create(
        id=new.id,
        case=case,
        author=author,
        kind=new.kind,
        revision=new.revision,
        replaces=previous,
        about=about,
        body=new.body,
        signature=new.signature,
        commitment=new.commitment,
        created_at=now,
        screening=Screening.PENDING if new.kind in stages.SCREENED_KINDS else "",
    )
    ReaderKey.objects.bulk_create(
        ReaderKey(item=item, reader=r, sealed_key=new.reader_keys[r.id], added_at=now)
        for r in readers
    )
    _item_flags(case, item, new)
    if author.is_facilitator:
        audit(f"dialogue.item.{new.kind}", author, case)
    return item


def _previous_revision(author: Participant, new: NewItem) -> Item | None:
    """The returned item this one rewrites (same author and kind, next revision), if any."""
    if new.replaces is None:
        if new.revision != 1:
            raise Refusal(400, "bad_revision", "A new item is revision 1.")
        return None
    previous = Item.objects.filter(id=new.replaces, author=author, kind=new.kind).first()
    if previous is None:
        raise Refusal(404, "not_found", "Not found.")
    if previous.screening != Screening.RETURNED or hasattr(previous, "replaced_by"):
        raise Refusal(409, "not_returned", "Only a returned item is rewritten, and once.")
    if new.revision != previous.revision + 1:
        raise Refusal(400, "bad_revision", f"This rewrite is revision {previous.revision + 1}.")
    return previous


def _check_signature(case: Case, author: Participant, new: NewItem, retired: set[UUID]) -> None:
    if author.signing_public_key is None:
        raise Refusal(409, "no_key", "Register your dialogue key first.")
    if author.id in retired:
        # A retired key may be in someone else's hands: it signs nothing new.
        raise Refusal(409, "key_retired", "Your staff key was retired: open the case again.")
    ref = crypto.ItemRef(case.id, new.id, author.id, new.kind, new.revision)
    sealed = crypto.SealedItem(new.body, new.signature, new.commitment)
    try:
        crypto.verify_item(ref, sealed, bytes(author.signing_public_key))
    except DialogueError as error:
        raise Refusal(400, "bad_signature", str(error)) from None
    if Item.objects.filter(id=new.id).exists():
        raise Refusal(409, "item_exists", "An item with this id exists already.")


def _returned_item(case: Case, new: NewItem) -> Item | None:
    """A return note's returned item: of this case, returned, and not explained yet. Only a
    return note names one."""
    if new.kind != "return-note":
        if new.about is not None:
            raise Refusal(400, "note_fields", "Only a return note names a returned item.")
        return None
    about = Item.objects.filter(id=new.about, case=case).first() if new.about else None
    if about is None:
        raise Refusal(400, "note_fields", "A return note names the item it returns.")
    if about.screening != Screening.RETURNED:
        raise Refusal(409, "not_returned", "A note goes with a returned item only.")
    if Item.objects.filter(about=about).exists():
        raise Refusal(409, "noted", "This returned item has its note already.")
    return about


def _initial_readers(
    case: Case, author: Participant, kind: str, retired: set[UUID], about: Item | None = None
) -> list[Participant]:
    """Who may read the item from the start (stages.may_read, with the item pending): the
    author and every facilitator with a key (not one whose staff key an admin retired: she
    registers her new one first); for a plan item, both parties too; for a return note, the
    returned item's author too (and not the other party)."""
    author_actor = actor_of(author)
    readers = {
        p.id: p
        for p in case.participants.exclude(role=PartyRole.FORMER)
        if p.box_public_key is not None
        and p.id not in retired
        and (
            stages.may_read(kind, author_actor, actor_of(p), Screening.PENDING)
            or (about is not None and p.id == about.author_id)
        )
    }
    readers[author.id] = author
    return list(readers.values())


def _item_flags(case: Case, item: Item, new: NewItem) -> None:
    """An assessment's decision (it opens or keeps shut the stage-2 gate), or a plan item's
    kind and due date."""
    if item.kind == "assessment":
        _record_assessment(case, item, new)
    elif item.kind == "plan-item":
        if not new.plan_kind or new.due_on is None:
            raise Refusal(400, "plan_fields", "A plan item needs a kind and a due date.")
        PlanItem.objects.create(item=item, kind=new.plan_kind, due_on=new.due_on)


def _record_assessment(case: Case, item: Item, new: NewItem) -> None:
    if new.subject not in (PartyRole.SURVIVOR, PartyRole.RESPONSIBLE) or not new.decision:
        raise Refusal(400, "assessment_fields", "An assessment needs a subject and a decision.")
    if new.decision != Decision.PROCEED and not new.stop_rule:
        raise Refusal(400, "reason_needed", "To stop or defer, record the rule that applies.")
    Assessment.objects.create(
        item=item, subject=new.subject, decision=new.decision, stop_rule=new.stop_rule
    )
    if new.subject == PartyRole.SURVIVOR:
        case.assessment_proceeds = new.decision == Decision.PROCEED
        case.save(update_fields=["assessment_proceeds"])


@dataclass(frozen=True)
class ScreeningDecision:
    decision: Screening
    return_reason: str = ""
    #: For an approval: the content key sealed to the recipient by the facilitator's browser.
    recipient_key: bytes | None = None
    #: For a return: her note to the author, a return note about this item (or none).
    note: NewItem | None = None


@transaction.atomic
def do_screen_item(
    facilitator: Participant, item: Item, decision: ScreeningDecision, now: datetime
) -> Item:
    """Approve (adding the recipient's sealed key), return with a reason, or reject."""
    case = _lock(facilitator)
    item = Item.objects.select_for_update().get(id=item.id)
    if item.kind not in stages.SCREENED_KINDS:
        raise Refusal(
            400, "not_screened", "Only acknowledgments, messages and letters are screened."
        )
    try:
        stages.check_delivery(snapshot(case), decision.decision, item.kind)
        stages.check_screening(Screening(item.screening), decision.decision)
    except stages.Refused as error:
        raise refused(error) from None
    if decision.decision == Screening.RETURNED and not decision.return_reason:
        raise Refusal(400, "reason_needed", "Say why it goes back to its author.")
    note = decision.note
    if note is not None and (decision.decision != Screening.RETURNED or note.about != item.id):
        raise Refusal(400, "note_fields", "A note goes with a return, about the item returned.")
    if decision.decision == Screening.APPROVED:
        _add_recipient_key(case, item, decision.recipient_key, now)
    item.screening = decision.decision
    item.return_reason = decision.return_reason
    item.screened_at, item.screened_by = now, facilitator
    item.save(update_fields=["screening", "return_reason", "screened_at", "screened_by"])
    if item.kind == "acknowledgment" and decision.decision == Screening.APPROVED:
        case.acknowledgment_accepted = True
        case.save(update_fields=["acknowledgment_accepted"])
    audit(f"dialogue.screening.{decision.decision.value}", facilitator, case)
    if note is not None:  # in this transaction: the return and its note, or neither
        do_submit_item(facilitator, note, now)
    return item


@transaction.atomic
def do_share_items(
    sharer: Participant, reader: Participant, keys: dict[Item, bytes], now: datetime
) -> int:
    """Earlier items sealed to a facilitator who joined after they were written (the
    sharer's browser opened each key; the server only stores them): the lead shares every
    item with the co-facilitator or the survivor specialist; a party shares her (his) own
    items with any facilitator (a new lead, after the one before was taken off with no
    co-facilitator to share them). Only her own, so that nobody can put a key that does not
    open in front of another author's item. Keys the reader holds already are left as they
    are, so a retry is harmless. Returns how many were added."""
    case = _lock(sharer)
    if sharer.is_facilitator and not sharer.is_lead:
        raise Refusal(403, "not_lead", "Only the lead facilitator shares earlier items.")
    if case.state == State.CLOSED:
        raise Refusal(403, "closed", "This case has ended.")
    if sharer.is_lead and (not reader.is_facilitator or reader.is_lead):
        raise Refusal(
            400,
            "not_co_facilitator",
            "Earlier items are shared with the co-facilitator or the specialist only.",
        )
    if not sharer.is_facilitator:
        if not reader.is_facilitator:
            raise Refusal(400, "not_team", "Your words are shared with your facilitators only.")
        if any(item.author_id != sharer.id for item in keys):
            raise Refusal(400, "not_author", "You share only what you wrote.")
    if reader.box_public_key is None:
        raise Refusal(409, "no_reader_key", "The facilitator has no dialogue key yet.")
    held = set(
        ReaderKey.objects.filter(reader=reader, item__in=list(keys)).values_list(
            "item_id", flat=True
        )
    )
    ReaderKey.objects.bulk_create(
        ReaderKey(item=item, reader=reader, sealed_key=sealed, added_at=now)
        for item, sealed in keys.items()
        if item.id not in held
    )
    audit("dialogue.items.shared", sharer, case)
    return len(keys) - len(held)


def recipient_of(case: Case, item: Item) -> Participant | None:
    """The other party: his items go to her, hers to him."""
    wanted = PartyRole.RESPONSIBLE if item.author.is_survivor_party else PartyRole.SURVIVOR
    return case.participants.filter(role=wanted).first()


def _add_recipient_key(case: Case, item: Item, sealed: bytes | None, now: datetime) -> None:
    recipient = recipient_of(case, item)
    if recipient is None or recipient.box_public_key is None:
        raise Refusal(409, "no_recipient_key", "The recipient has no dialogue key yet.")
    if sealed is None:
        raise Refusal(400, "recipient_key_needed", "Approving seals the key to the recipient.")
    ReaderKey.objects.create(item=item, reader=recipient, sealed_key=sealed, added_at=now)


@transaction.atomic
def do_mark_read(reader: Participant, item: Item, now: datetime) -> None:
    """The recipient opened it. Kept for the survivor's own view; he learns it only if she
    chose so (`Case.tell_read`), and never for a letter from the bank."""
    _lock(reader)
    if item.author_id == reader.id or reader.is_facilitator:
        raise Refusal(400, "not_recipient", "Only the recipient marks an item read.")
    if item.read_at is None:
        Item.objects.filter(id=item.id).update(read_at=now)


@transaction.atomic
def do_report_failed_check(reader: Participant, item: Item, code: str, now: datetime) -> None:
    """Her (his, a facilitator's) browser could not check an item sealed to her: its
    signature, its sealed key or its form did not hold, so it may have been altered after
    it was written. Kept once per item and reader, and audited once, so that the team and
    the supervisors learn it without anyone having to tell them. Only the browser's code
    for what failed is sent, never anything of the item."""
    key = ReaderKey.objects.select_for_update().filter(item=item, reader=reader).first()
    if key is None:
        raise Refusal(404, "not_found", "Not found.")
    if key.check_failed_at is not None:
        return
    key.check_failed, key.check_failed_at = code, now
    key.save(update_fields=["check_failed", "check_failed_at"])
    audit("dialogue.item.check_failed", reader, item.case)


# --- Plan -------------------------------------------------------------------------------------


@transaction.atomic
def do_answer_plan_item(survivor: Participant, plan: PlanItem, accept: bool) -> PlanItem:
    """She accepts or declines each item; nothing in the plan binds her (no forgiveness)."""
    case = _lock(survivor)
    _only(survivor, PartyRole.SURVIVOR)
    if case.state == State.CLOSED:
        raise Refusal(403, "closed", "This case has ended.")
    if plan.answer != PlanItem.Answer.PENDING:
        raise Refusal(409, "answered", "This plan item has an answer already.")
    plan.answer = PlanItem.Answer.ACCEPTED if accept else PlanItem.Answer.DECLINED
    plan.save(update_fields=["answer"])
    return plan


@transaction.atomic
def do_record_outcome(
    facilitator: Participant, plan: PlanItem, completed: bool, now: datetime
) -> PlanItem:
    """The facilitator verifies an accepted item as completed or missed (stage 7)."""
    case = _lock(facilitator)
    if case.stage != Stage.MONITORING or case.state == State.CLOSED:
        raise Refusal(403, "wrong_stage", "Outcomes are recorded while the plan is monitored.")
    if plan.answer != PlanItem.Answer.ACCEPTED or plan.outcome != PlanItem.Outcome.OPEN:
        raise Refusal(409, "not_open", "Only an accepted, open plan item gets an outcome.")
    plan.outcome = PlanItem.Outcome.COMPLETED if completed else PlanItem.Outcome.MISSED
    plan.verified_at = now
    plan.save(update_fields=["outcome", "verified_at"])
    audit(f"dialogue.plan.{plan.outcome}", facilitator, case)
    return plan


# --- Choices and feedback --------------------------------------------------------------------


@transaction.atomic
def do_set_choices(
    survivor: Participant, tell_read: bool, tell_plan_outcome: bool, format: str
) -> Case:
    """Her choices: may he learn she read a message; is she told plan outcomes; screened
    messages both ways, or the letter bank only (his letters; no message either way). A
    change of format is audited: her team sees it on the case."""
    case = _lock(survivor)
    _only(survivor, PartyRole.SURVIVOR)
    if case.state == State.CLOSED:
        raise Refusal(403, "closed", "This case has ended.")
    if format not in Format.values:
        raise Refusal(400, "bad_format", "The format is screened messages or the letter bank.")
    changed = format != case.format
    case.tell_read, case.tell_plan_outcome, case.format = tell_read, tell_plan_outcome, format
    case.save(update_fields=["tell_read", "tell_plan_outcome", "format"])
    if changed:
        audit(f"dialogue.format.{format}", survivor, case)
    return case


@transaction.atomic
def do_give_feedback(participant: Participant, answers: dict[str, int], today: date) -> None:
    """Store one anonymous answer with no link to the case; the participant is only marked
    as having answered, so nobody answers twice. The parties answer, not the facilitators:
    the survey is how supervisors hear about the facilitation from those who lived it."""
    case = _lock(participant)
    if participant.is_facilitator:
        raise Refusal(403, "not_a_party", "The survey is for the parties of the case.")
    if case.state != State.CLOSED:
        raise Refusal(403, "not_closed", "Feedback is asked for once the case has closed.")
    part = Participant.objects.select_for_update().get(id=participant.id)
    if part.feedback_given:
        raise Refusal(409, "answered", "Thank you: your feedback is in already.")
    if set(answers) != set(FEEDBACK_QUESTIONS) or not all(1 <= v <= 5 for v in answers.values()):
        raise Refusal(400, "bad_answers", "Answer each question with a number from 1 to 5.")
    Feedback.objects.create(submitted_on=today, role=participant.role, answers=answers)
    part.feedback_given = True
    part.save(update_fields=["feedback_given"])


def feedback_summary(role: str) -> tuple[int, dict[str, float] | None]:
    """How many answers of ``role``'s side (survivor or responsible) are published, and the
    average of each question over them (None before the first FEEDBACK_MIN_ANSWERS). They
    are published in whole batches of FEEDBACK_MIN_ANSWERS, the earliest first: a running
    figure would give away each new answer to a supervisor who reads it before and after a
    case closes (the difference of the sums), and its count whether that party answered.
    Between two batches she learns the average of five. The sides are never mixed: his "I
    felt safe" is not hers."""
    rows = list(Feedback.objects.filter(role=role).order_by("id").values_list("answers", flat=True))
    published = rows[: len(rows) - len(rows) % FEEDBACK_MIN_ANSWERS]
    if not published:
        return 0, None
    count = len(published)
    return count, {q: round(sum(r[q] for r in published) / count, 2) for q in FEEDBACK_QUESTIONS}


# --- Helpers -----------------------------------------------------------------------------------


def _lock(participant: Participant) -> Case:
    """Lock the case row for the rest of the transaction, and refresh what we know of it."""
    case = Case.objects.select_for_update().get(id=participant.case_id)
    participant.case = case
    return case


def _only(participant: Participant, role: str) -> None:
    if not participant.plays(role):
        raise Refusal(404, "not_found", "Not found.")


# --- The supervision log ---------------------------------------------------------------------

#: How far back a session may be recorded: a year typed wrong is refused, not logged.
SUPERVISION_RECORDED_WITHIN = timedelta(days=366)


@transaction.atomic
def do_record_supervision(
    supervisor: User, username: str, held_on: date, today: date, now: datetime
) -> User:
    """A supervisor records that a facilitator had a case-supervision session on `held_on`
    (`today`: the supervisor's own date); audited. Returns the facilitator."""
    facilitator = facilitator_named(username)
    if held_on > today:
        raise Refusal(422, "future", "A session is recorded once it was held, not before.")
    if held_on < today - SUPERVISION_RECORDED_WITHIN:
        raise Refusal(422, "too_old", "A session more than a year ago is not recorded.")
    try:
        with transaction.atomic():
            session = SupervisionSession.objects.create(
                facilitator=facilitator, supervisor=supervisor, held_on=held_on, recorded_at=now
            )
    except IntegrityError:
        raise Refusal(
            409, "recorded", "A session of hers on this day is recorded already."
        ) from None
    record_audit(
        "dialogue.supervision.recorded",
        actor=supervisor,
        object_type="dialogue.supervision",
        object_id=session.id,
    )
    return facilitator
