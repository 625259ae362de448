"""What the server keeps for the escrow (ARCHITECTURE section 9, docs/escrow.md).

For each entry: the owner, E (the entry, encrypted in her browser), c_U (its key wrapped
by her vault key), times, and one tag per perpetrator identifier holding the matching
index pi and the share sealed to every active counselor key. Nothing here names anyone:
the identifiers, the entry and its key exist in plaintext only in browsers.

Leakage the server accepts (documented): which entries share a pi, who owns each entry,
when it was written, and ciphertext sizes.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VerificationMethod(models.TextChoices):
    INVITATION = "invitation", _("Invitation code")
    INSTITUTION = "institution", _("Address at an institution")


class EscrowAccount(models.Model):
    """A verified survivor. Existing is being verified; staff never have one.

    escrow_id is random and made here, once: the survivor's x-coordinate x_u is derived from
    it in her browser, so every entry she makes for the same person adds the same point and
    she can never match herself (ADR 0005).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="escrow_account",
    )
    escrow_id = models.BinaryField(max_length=32)
    method = models.CharField(max_length=16, choices=VerificationMethod.choices)
    #: The day only: the exact time would tie the account to an invitation or a mail.
    verified_on = models.DateField()

    def __str__(self) -> str:
        return f"escrow account of {self.user_id}"


class Invitation(models.Model):
    """A one-time invitation code issued by an admin (manage.py escrow_invite).

    Only a keyed hash of the code is kept (an HMAC-SHA-256 under a key derived from
    ESCROW_SERVER_KEY, keys.code_hash; codes carry 100 random bits). Which account used it
    is not recorded.
    """

    code_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"invitation {self.code_hash[:8]}… ({'used' if self.used else 'unused'})"


class InstitutionDomain(models.Model):
    """A mail domain whose addresses may verify an account (a university, an employer).

    Matched exactly; "*.uni.example" admits the sub-domains of uni.example (not itself), and
    their mailboxes then count as uni.example's (mend.escrow.verification.listed_domain).
    """

    domain = models.CharField(max_length=253, unique=True)
    name = models.CharField(max_length=200)
    added_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.domain


class VerifiedAddress(models.Model):
    """One mailbox that verified an account, ever: a keyed hash of its mailbox key only, with
    no link to the account, so deleting the account does not free it (ADR 0006)."""

    address_hash = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"address {self.address_hash[:8]}…"


class EmailChallenge(models.Model):
    """A code sent to an institution address, waiting to be typed in. Deleted once used."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    address_hash = models.CharField(max_length=64)
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"code for {self.user_id}"


class CounselorKey(models.Model):
    """A counselor's X25519 public key; the secret key is wrapped in her browser.

    The wrapping key comes from a key passphrase that never leaves her browser (Argon2id with
    the parameters stored here). Shares are sealed to every active key.
    """

    id = models.UUIDField(primary_key=True)  # chosen by the browser: bound into the wrapping
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="escrow_keys"
    )
    public_key = models.BinaryField(max_length=32, unique=True)
    wrapped_secret_key = models.BinaryField()
    kdf_params = models.JSONField()
    active = models.BooleanField(default=True)
    #: Every stored tag holds a share for this key. False for a key added while entries were
    #: stored, until colleagues have re-sealed them; only then is the (costly) search for
    #: missing shares skipped.
    complete = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)
    #: Ed25519, derived from the secret key in her browser (mend.crypto.endorsement).
    signing_public_key = models.BinaryField(max_length=32, null=True, blank=True)
    #: Who vouched for this key: another counselor's key, or None with a signature for the
    #: operator. Shares are sealed only to keys whose chain verifies (mend.escrow.trust).
    endorsed_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    endorsement = models.BinaryField(max_length=64, null=True, blank=True)
    endorsed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"counselor key {self.id} ({'active' if self.active else 'retired'})"


class GroupState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class MatchGroup(models.Model):
    """Entries from at least t different survivors that name the same person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField()
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escrow_groups",
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=8, choices=GroupState.choices, default=GroupState.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"match group {self.id}"


class Decision(models.TextChoices):
    UNDECIDED = "undecided", _("Not decided yet")
    MORE_TIME = "more_time", _("Wants more time")
    INFORMATION = "information", _("Wants information only")
    ACT_TOGETHER = "act_together", _("Wants to act together with the others")
    ACT_ALONE = "act_alone", _("Wants to act alone")
    NO_ACTION = "no_action", _("Does not want to act")
    WITHDREW = "withdrew", _("Withdrew")


class Membership(models.Model):
    """One survivor in one match group: her decision and her thread with the counselor."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(MatchGroup, on_delete=models.CASCADE, related_name="members")
    survivor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="escrow_memberships"
    )
    joined_at = models.DateTimeField()
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.UNDECIDED)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "survivor"], name="escrow_member_once")
        ]

    def __str__(self) -> str:
        return f"member {self.id} of {self.group_id}"


class Entry(models.Model):
    """E and c_U of one entry. The id is chosen by the browser: it is bound into E."""

    id = models.UUIDField(primary_key=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="escrow_entries"
    )
    ciphertext = models.BinaryField()
    owner_key = models.BinaryField()
    #: Bound into E's associated data; raised by every edit.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "entries"

    def __str__(self) -> str:
        return f"entry {self.id}"


class EntryTag(models.Model):
    """One perpetrator identifier of an entry as the server sees it: pi and sealed shares.

    `owner` repeats the entry's owner so that distinct owners per pi are counted from one
    index (match_index, owner) without a join.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="tags")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    match_index = models.BinaryField(max_length=32)
    group = models.ForeignKey(
        MatchGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tags",
        db_index=False,  # a partial index below: nearly every tag has no group
    )
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["match_index", "owner"], name="escrow_tag_pi_owner"),
            # Only matched tags: small, and planners then trust it for group lookups (a
            # full index on a column that is almost all NULL looks useless to SQLite).
            models.Index(
                fields=["group"], name="escrow_tag_group", condition=models.Q(group__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"tag {self.id}"


class SealedShare(models.Model):
    """box_seal((x_u, y, c), counselor public key) for one tag and one counselor key."""

    tag = models.ForeignKey(EntryTag, on_delete=models.CASCADE, related_name="shares")
    key = models.ForeignKey(CounselorKey, on_delete=models.CASCADE, related_name="shares")
    sealed = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tag", "key"], name="escrow_share_once")]

    def __str__(self) -> str:
        return f"share of {self.tag_id} for {self.key_id}"


class NoticeKind(models.TextChoices):
    MATCH = "match", _("Someone else named the same person")
    MESSAGE = "message", _("New message")
    ASSIGNED = "assigned", _("A match group was assigned to you")
    MEMBER_LEFT = "member_left", _("A survivor withdrew an entry")
    CLOSED = "closed", _("The counselor closed the group")


class Notice(models.Model):
    """An in-app notice. Never sent by mail: a mail could name the situation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="escrow_notices"
    )
    kind = models.CharField(max_length=16, choices=NoticeKind.choices)
    group = models.ForeignKey(
        MatchGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} notice {self.id}"


class Message(models.Model):
    """A message in a member's thread, encrypted at rest (mend.escrow.messages)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="messages")
    from_counselor = models.BooleanField()
    ciphertext = models.BinaryField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"message {self.id}"
