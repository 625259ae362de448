"""The one door to vault data (STYLE rule 5).

Records, versions and attachments load only through these helpers. Anyone but the owner,
staff and admins included, gets Http404: the same answer as for a record that does not
exist, so nobody can even learn whether a record id is in use.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import F, QuerySet
from django.http import Http404

from mend.accounts.roles import require_survivor
from mend.vault.models import Attachment, Record, RecordVersion

AnyUser = AbstractBaseUser | AnonymousUser


def records_for_user(user: AnyUser) -> QuerySet[Record]:
    """The survivor's own records; staff and anonymous visitors get 404."""
    return Record.objects.filter(owner=require_survivor(user))


def latest_versions_for_user(user: AnyUser) -> QuerySet[RecordVersion]:
    """The latest version of each of her records, with its record, newest first."""
    return (
        RecordVersion.objects.filter(record__in=records_for_user(user))
        .filter(version=F("record__current_version"))
        .select_related("record")
        .order_by("-record__updated_at")
    )


def get_record_for_user(user: AnyUser, record_id: UUID) -> Record:
    try:
        return records_for_user(user).get(id=record_id)
    except Record.DoesNotExist:
        raise Http404 from None


def lock_record_for_save(user: AnyUser, record_id: UUID) -> Record | None:
    """Inside a transaction: the owner's record, locked; None if the id is still free.

    Someone else's record is a 404, exactly as in get_record_for_user.
    """
    owner = require_survivor(user)
    record = Record.objects.select_for_update().filter(id=record_id).first()
    if record is not None and record.owner_id != owner.pk:
        raise Http404
    return record


def get_version_for_user(user: AnyUser, record_id: UUID, version: int) -> RecordVersion:
    record = get_record_for_user(user, record_id)
    try:
        return RecordVersion.objects.select_related("record").get(record=record, version=version)
    except RecordVersion.DoesNotExist:
        raise Http404 from None


def get_attachment_for_user(user: AnyUser, record_id: UUID, attachment_id: UUID) -> Attachment:
    record = get_record_for_user(user, record_id)
    try:
        return Attachment.objects.select_related("record").get(record=record, id=attachment_id)
    except Attachment.DoesNotExist:
        raise Http404 from None
