"""The statements of a submission, written out (the latency target, docs/performance.md).

A submission's time is mostly the ORM building statements and round trips to the database,
so its path uses few statements, each written here once:

1. `check_submission`: the owner's verification and entry count and the active counselor
   keys, in one statement; on PostgreSQL the same statement takes the advisory locks on pi.
2. `store_and_look_up`: the entry, its tags and shares, and the lookup of every other tag
   that shares a pi with them. On PostgreSQL this is one statement (data-modifying CTEs); on
   SQLite, where calls are in-process anyway, the ORM writes and then one lookup.

Only placeholders are ever put into the SQL text; every value is a parameter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import connection

from mend.escrow.models import Entry, EntryTag, SealedShare

#: Transaction-level advisory locks, in one global order (no deadlocks); counts them.
LOCKS = "SELECT count(*) FROM (SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k) l"

#: The owner's account, her entries, and the keys shares go to: active, endorsed, of an
#: active counselor. mend.escrow.trust also
#: verifies each endorsement's signature chain (as survivors' browsers do) where it lists keys;
#: this per-submission check only needs to agree with that list, and refuses otherwise.
CHECK = """SELECT
  EXISTS (SELECT 1 FROM escrow_escrowaccount WHERE user_id = %s),
  (SELECT count(*) FROM escrow_entry WHERE owner_id = %s),
  (SELECT count(*) FROM escrow_counselorkey k JOIN accounts_user u ON u.id = k.counselor_id
   WHERE k.active AND k.endorsement IS NOT NULL AND u.is_active AND u.role = 'counselor'),
  (SELECT count(*) FROM escrow_counselorkey k JOIN accounts_user u ON u.id = k.counselor_id
   WHERE k.active AND k.endorsement IS NOT NULL AND u.is_active AND u.role = 'counselor'
   AND k.id IN ({keys}))"""

#: The other tags with these pi, and for each a group another tag of its entry is in.
LOOK_UP = """SELECT t.id, t.entry_id, t.owner_id, t.group_id, t.match_index,
  (SELECT l.group_id FROM escrow_entrytag l
   WHERE l.entry_id = t.entry_id AND l.group_id IS NOT NULL LIMIT 1)
FROM escrow_entrytag t
WHERE t.match_index IN ({pis}) AND t.entry_id <> %s"""

INSERT_ENTRY = """INSERT INTO escrow_entry
  (id, owner_id, ciphertext, owner_key, version, created_at, updated_at)
  VALUES (%s, %s, %s, %s, %s, %s, %s)"""
INSERT_TAGS = """INSERT INTO escrow_entrytag
  (id, entry_id, owner_id, match_index, created_at) VALUES {rows}"""
INSERT_SHARES = "INSERT INTO escrow_sealedshare (tag_id, key_id, sealed) VALUES {rows}"


@dataclass(frozen=True)
class Owner:
    verified: bool
    entries: int
    active_keys: int
    #: How many of the keys the shares were sealed to are active.
    given_keys: int


@dataclass
class StoredTag:
    """A tag as matching sees it."""

    id: UUID
    entry_id: UUID
    owner_id: UUID
    group_id: UUID | None
    match_index: bytes
    #: A group that another tag of the same entry is in (another identifier, same person).
    linked_group_id: UUID | None


def lock_keys(match_indexes: Iterable[bytes]) -> list[int]:
    return sorted({int.from_bytes(pi[:8], "big", signed=True) for pi in match_indexes})


def lock(match_indexes: Iterable[bytes]) -> None:
    """Serialise submissions of the same pi (PostgreSQL; SQLite writes are serial already).

    The locks must be held before the statement that looks pi up starts: its snapshot then
    includes every submission of the same pi that committed before.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(LOCKS, [lock_keys(match_indexes)])


def check_submission(owner_id: UUID, key_ids: Sequence[UUID], pis: Sequence[bytes]) -> Owner:
    """One statement; on PostgreSQL it also takes the locks on `pis` (see `lock`)."""
    sql = CHECK.format(keys=_placeholders(len(key_ids)) if key_ids else "NULL")
    params: list[Any] = [_uuid(owner_id), _uuid(owner_id), *map(_uuid, key_ids)]
    if connection.vendor == "postgresql":
        sql += f", ({LOCKS})"
        params.append(lock_keys(pis))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    assert row is not None  # a SELECT without FROM has one row
    return Owner(bool(row[0]), int(row[1]), int(row[2]), int(row[3]))


def store_and_look_up(
    entry: Entry | None, tags: Sequence[EntryTag], shares: Sequence[SealedShare]
) -> list[StoredTag]:
    """Insert the entry (unless None: an edit), tags and shares; return the other stored tags
    that share a pi with these. The caller holds the locks on those pi."""
    entry_id = tags[0].entry_id
    look_up = LOOK_UP.format(pis=_placeholders(len(tags)))
    look_up_params = [*(t.match_index for t in tags), _uuid(entry_id)]
    if connection.vendor != "postgresql":
        if entry is not None:
            Entry.objects.bulk_create([entry])
        EntryTag.objects.bulk_create(tags)
        SealedShare.objects.bulk_create(shares)
        return _look_up(look_up, look_up_params)
    parts: list[str] = []
    params: list[Any] = []
    if entry is not None:
        parts.append(f"entry AS ({INSERT_ENTRY})")
        params += [entry.id, entry.owner_id, entry.ciphertext, entry.owner_key, entry.version]
        params += [entry.created_at, entry.updated_at]
    parts.append(f"tags AS ({INSERT_TAGS.format(rows=_rows(len(tags), 5))})")
    for t in tags:
        params += [t.id, t.entry_id, t.owner_id, t.match_index, t.created_at]
    parts.append(f"shares AS ({INSERT_SHARES.format(rows=_rows(len(shares), 3))})")
    for s in shares:
        params += [s.tag_id, s.key_id, s.sealed]
    # Data-modifying CTEs always run to completion; the lookup does not see their rows (one
    # snapshot), which is what it wants: the other tags.
    return _look_up(f"WITH {', '.join(parts)} {look_up}", [*params, *look_up_params])


def _look_up(sql: str, params: Sequence[Any]) -> list[StoredTag]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        StoredTag(
            id=_from_db(row[0]),
            entry_id=_from_db(row[1]),
            owner_id=_from_db(row[2]),
            group_id=_from_db(row[3]) if row[3] is not None else None,
            match_index=bytes(row[4]),
            linked_group_id=_from_db(row[5]) if row[5] is not None else None,
        )
        for row in rows
    ]


def _placeholders(n: int) -> str:
    return ", ".join(["%s"] * n)


def _rows(n: int, width: int) -> str:
    return ", ".join([f"({_placeholders(width)})"] * n)


def _uuid(value: UUID) -> Any:
    """A UUID as the database takes it (SQLite keeps 32 hex digits)."""
    return value if connection.features.has_native_uuid_field else value.hex


def _from_db(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(value)
