"""The one door to vault data (STYLE rule 5).

Records, versions and attachments load only through these helpers. Anyone but the owner,
staff and admins included, gets Http404: the same answer as for a record that does not
exist, so nobody can even learn whether a record id is in use.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from mend.accounts.security import is_survivor
from mend.vault.models import Attachment, Record, RecordVersion

AnyUser = AbstractBaseUser | AnonymousUser


def records_for_user(user: AnyUser) -> QuerySet[Record]:
    """The survivor's own records; staff and anonymous visitors get 404."""
    if not is_survivor(user):
        raise Http404
    return Record.objects.filter(owner_id=user.pk)


def get_record_for_user(user: AnyUser, record_id: UUID) -> Record:
    try:
        return records_for_user(user).get(id=record_id)
    except Record.DoesNotExist:
        raise Http404 from None


def lock_record_for_save(user: AnyUser, record_id: UUID) -> Record | None:
    """Inside a transaction: the owner's record, locked; None if the id is still free.

    Someone else's record is a 404, exactly as in get_record_for_user.
    """
    if not is_survivor(user):
        raise Http404
    record = Record.objects.select_for_update().filter(id=record_id).first()
    if record is not None and record.owner_id != user.pk:
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
