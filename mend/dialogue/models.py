"""What the server keeps of a dialogue case: stages, dates, sizes and who may read what.

Every message, letter, acknowledgment, assessment note and plan item is an `Item`: a body
encrypted in its author's browser, the author's signature and key commitment, and one
`ReaderKey` (the content key sealed to one participant) per reader (ADR 0014). The rest is
what the stage machine (stages.py) reads and what a supervisor may see: the stage, the
state, dates, decisions and flags. Nothing here holds a word anyone wrote.

Anonymous feedback (`Feedback`) has no link to any case or account, and only the day.

Leakage the server accepts (docs/dialogue.md, "Who sees what"): who takes part in which
case and in which role, when each item was written and screened, its kind, size and
screening decision, and the plan items' kinds, due dates and outcomes.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from mend.dialogue.stages import Closure, Screening, Stage, State, StopRule


class Format(models.TextChoices):
    INDIRECT = "indirect", "Screened messages"
    LETTER_BANK = "letter_bank", "Letter bank only"


class Case(models.Model):
    """One dialogue, started by a survivor; its stage moves only through the stage machine."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    stage = models.PositiveSmallIntegerField(choices=[(s.value, s.name.lower()) for s in Stage])
    state = models.CharField(max_length=8, choices=[(s.value, s.value) for s in State])
    #: Who paused it ("survivor" or "facilitator"), so only that side resumes.
    paused_by = models.CharField(max_length=16, blank=True)
    format = models.CharField(max_length=16, choices=Format.choices, default=Format.INDIRECT)
    opened_at = models.DateTimeField()
    stage_changed_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(
        max_length=24, blank=True, choices=[(c.value, c.value) for c in Closure]
    )
    #: When its words were deleted, DIALOGUE_CLOSED_KEEP_DAYS after it closed (retention).
    words_deleted_at = models.DateTimeField(null=True, blank=True)
    # Non-sensitive flags the gates read (and a supervisor sees).
    assessment_proceeds = models.BooleanField(default=False)
    acknowledgment_accepted = models.BooleanField(default=False)
    #: The survivor's choice: may he learn that she read a message? (A.7, VVH rules)
    tell_read = models.BooleanField(default=False)
    #: The survivor's choice: is she told when a plan item is completed or missed?
    tell_plan_outcome = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["state", "stage"], name="dialogue_case_state")]

    def __str__(self) -> str:
        return f"case {self.id} (stage {self.stage}, {self.state})"


class PartyRole(models.TextChoices):
    SURVIVOR = "survivor", "Survivor"
    RESPONSIBLE = "responsible", "Responsible person"
    LEAD = "lead", "Lead facilitator"
    CO = "co", "Co-facilitator"
    #: The survivor specialist of Project Restore's "three-legged stool" (reference A.2,
    #: A.10): on the team with the lead and the co-facilitator (who works with him).
    SPECIALIST = "specialist", "Survivor specialist"
    #: A facilitator a supervisor took off the case: she reads and writes nothing more in it,
    #: and is sealed to no more; what she wrote stays, checked by her endorsed staff key.
    FORMER = "former", "Former facilitator"


FACILITATOR_ROLES = frozenset({PartyRole.LEAD, PartyRole.CO, PartyRole.SPECIALIST})


def is_facilitator_role(role: str) -> bool:
    """Whether a party role (PartyRole) is a facilitator's: the lead, the co-facilitator or
    the survivor specialist."""
    return role in FACILITATOR_ROLES


class Participant(models.Model):
    """A person in one case, with the public half of the dialogue key made in her browser."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dialogue_parts"
    )
    role = models.CharField(max_length=16, choices=PartyRole.choices)
    joined_at = models.DateTimeField()
    box_public_key = models.BinaryField(max_length=32, null=True, blank=True)
    signing_public_key = models.BinaryField(max_length=32, null=True, blank=True)
    #: The X25519 secret key, wrapped in the browser (purpose "dialogue-key").
    wrapped_secret_key = models.BinaryField(null=True, blank=True)
    #: The lead facilitator's signed key statement for these keys (mend.crypto.dialogue).
    key_statement = models.BinaryField(max_length=64, null=True, blank=True)
    #: Set when this participant has answered the anonymous feedback (which has no link).
    feedback_given = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="dialogue_one_part_each"),
            # One lead and one co-facilitator at a time; any number taken off.
            models.UniqueConstraint(
                fields=["case", "role"],
                condition=~models.Q(role="former"),
                name="dialogue_one_per_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} of {self.case_id}"

    # A party's role in this case (PartyRole), not an account role: account roles come
    # from mend.accounts.roles only (mend/tests/test_guard_rails.py).
    def plays(self, role: str) -> bool:
        return self.role == role

    @property
    def is_facilitator(self) -> bool:
        return is_facilitator_role(self.role)

    @property
    def is_lead(self) -> bool:
        return self.plays(PartyRole.LEAD)

    @property
    def is_specialist(self) -> bool:
        return self.plays(PartyRole.SPECIALIST)

    @property
    def is_survivor_party(self) -> bool:
        return self.plays(PartyRole.SURVIVOR)


class EarlierKey(models.Model):
    """A facilitator's case key before she registered her current staff key in its place
    (the earlier one was retired: lost or compromised; actions.do_register_key). Kept only
    so that browsers check what she signed with it, as an endorsed staff key of hers;
    nothing is sealed to it, and the key statements she signed with it went."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="earlier_keys"
    )
    box_public_key = models.BinaryField(max_length=32)
    signing_public_key = models.BinaryField(max_length=32)

    def __str__(self) -> str:
        return f"earlier key of {self.participant_id}"


class Invitation(models.Model):
    """A one-time code for the responsible person, handed over outside Mend by the lead.

    Only a keyed hash of the code is kept (HMAC under SECRET_KEY, actions.invitation_hash).
    """

    code_hash = models.CharField(max_length=64, unique=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="invitations")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"invitation {self.code_hash[:8]}… for {self.case_id}"


class Consent(models.Model):
    """Written, versioned consent (RJC C; EU 2012/29 Art. 12): which version of the
    information she agreed to, when, and when she withdrew it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveSmallIntegerField()
    given_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"consent v{self.version} in {self.case_id}"


class ItemKind(models.TextChoices):
    MESSAGE = "message", "Message"
    LETTER = "letter", "Letter"
    ACKNOWLEDGMENT = "acknowledgment", "Acknowledgment"
    ASSESSMENT = "assessment", "Assessment note"
    PLAN_ITEM = "plan-item", "Plan item"
    RETURN_NOTE = "return-note", "Facilitator's note on a returned item"


class ReturnReason(models.TextChoices):
    """Why a facilitator returned an item to its author (A.7: what screening blocks)."""

    ASKS_FORGIVENESS = "asks_forgiveness", "Asks for forgiveness, a reply or contact"
    EXCUSES = "excuses", "Excuses or blame"
    IDENTIFYING = "identifying", "Identifying or locating details"
    BARGAINING = "bargaining", "Legal threats or bargaining"
    HARMFUL = "harmful", "Harmful or inappropriate content"
    MINIMISES = "minimises", "Denies or minimises what happened"
    OTHER = "other", "Something else, explained in person"


class Item(models.Model):
    """One encrypted, signed item (ADR 0014). A returned item is rewritten as a new revision
    (a new row that `replaces` it); no row's body ever changes."""

    id = models.UUIDField(primary_key=True)  # chosen by the browser: it is signed and bound
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="items")
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=16, choices=ItemKind.choices)
    revision = models.PositiveIntegerField(default=1)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replaced_by"
    )
    body = models.BinaryField()
    signature = models.BinaryField(max_length=64)
    commitment = models.BinaryField(max_length=32)
    created_at = models.DateTimeField()
    #: Blank for items that are never screened (assessment notes and plan items).
    screening = models.CharField(
        max_length=8, blank=True, choices=[(s.value, s.value) for s in Screening]
    )
    screened_at = models.DateTimeField(null=True, blank=True)
    screened_by = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.CharField(max_length=24, blank=True, choices=ReturnReason.choices)
    #: A return note's item: the returned item it explains (one note each), sealed to the
    #: team and that item's author only.
    about = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="note"
    )
    #: When the recipient first opened it; shown to the author only if the survivor allows.
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["case", "created_at"], name="dialogue_item_case")]

    def __str__(self) -> str:
        return f"{self.kind} {self.id} r{self.revision} ({self.screening or 'team'})"

    @property
    def size(self) -> int:
        return len(self.body)


class ReaderKey(models.Model):
    """The item's content key sealed to one reader: who may read what, and nothing more."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="reader_keys")
    reader = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    sealed_key = models.BinaryField()
    added_at = models.DateTimeField()
    #: The reader's browser could not check the item (an altered signature, key or form):
    #: the browser's code for it, and when it reported it (once), for the team to see.
    check_failed = models.CharField(max_length=16, blank=True, default="")
    check_failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "reader"], name="dialogue_one_key_per_reader")
        ]

    def __str__(self) -> str:
        return f"key of {self.item_id} for {self.reader_id}"


class Decision(models.TextChoices):
    PROCEED = "proceed", "Proceed"
    DEFER = "defer", "Defer"
    STOP = "stop", "Stop"


class Assessment(models.Model):
    """A readiness and safety assessment (A.10 stage 2, dynamic: Scotland §20): the
    structured answers are an encrypted `item`; the decision and stop rule are flags."""

    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="assessment")
    subject = models.CharField(max_length=16, choices=PartyRole.choices)
    decision = models.CharField(max_length=8, choices=Decision.choices)
    stop_rule = models.CharField(
        max_length=32, blank=True, choices=[(r.value, r.value) for r in StopRule]
    )

    def __str__(self) -> str:
        return f"assessment of the {self.subject}: {self.decision}"


class PlanKind(models.TextChoices):
    APOLOGY = "apology", "Apology"
    TREATMENT = "treatment", "Counselling or a treatment programme"
    TRAINING = "training", "Mend training modules"
    RESTITUTION = "restitution", "Restitution"
    NO_CONTACT = "no_contact", "No-contact commitment"
    BEHAVIOUR = "behaviour", "Behaviour commitment"


class PlanItem(models.Model):
    """One accountability-plan commitment (A.10 stage 6; FaciliCase-style): what and how it
    is verified are in the encrypted `item`; kind, due date and outcome are flags."""

    class Answer(models.TextChoices):
        PENDING = "pending", "Waiting for her answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    class Outcome(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETED = "completed", "Completed"
        MISSED = "missed", "Missed"

    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="plan_item")
    kind = models.CharField(max_length=16, choices=PlanKind.choices)
    due_on = models.DateField()
    answer = models.CharField(max_length=8, choices=Answer.choices, default=Answer.PENDING)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.OPEN)
    verified_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.kind} due {self.due_on} ({self.answer}, {self.outcome})"


class StopRecord(models.Model):
    """A stop rule a facilitator recorded (A.10): which, by whom, when, and whether it
    paused or ended the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stops")
    rule = models.CharField(max_length=32, choices=[(r.value, r.value) for r in StopRule])
    recorded_by = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    ended = models.BooleanField()
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.rule} ({'ended' if self.ended else 'paused'})"


class Feedback(models.Model):
    """An anonymous survey answer (Project Restore; RJC 2.7): no case, no account, the day
    only. Answers are integers 1-5 per question (actions.FEEDBACK_QUESTIONS)."""

    submitted_on = models.DateField()
    #: Whose side answered (PartyRole: survivor or responsible), so that supervisors read
    #: each side's averages apart; nothing else about who.
    role = models.CharField(max_length=16, default="survivor")
    answers = models.JSONField()

    def __str__(self) -> str:
        return f"feedback of {self.submitted_on}"


class SupervisionSession(models.Model):
    """A case-supervision session a facilitator had (RJC Practitioner Code: at least every
    12 weeks), as her supervisor records it: who, by whom, which day. Nothing of what was
    said, and no case: the log shows whether supervision is kept up, not its content."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    held_on = models.DateField()
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["facilitator", "held_on"], name="dialogue_one_supervision_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"supervision of {self.facilitator_id} on {self.held_on}"
