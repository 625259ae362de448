"""Each entry's place in the full-text index as one more word (``fulltext.place_word``):
its grid cell's number after "__", or "__remote", so that text near a place asks for the
words and the cells around it in one question (ADR 0017). Existing rows are rewritten
here, so an index needs no rebuild; back, the place words are taken out again.

Frozen here, as the code wrote them when this was made: the cell of 0.25° and its number.
"""

import math
from collections.abc import Callable
from typing import Any

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

TABLE = "search_searchtext"
NEW = "search_searchtext_rewritten"
WORDS = "search_searchword"
MARK = "__"
CHUNK = 5_000
FTS5 = (
    "CREATE VIRTUAL TABLE {} USING fts5("
    "words, tokenize = \"ascii tokenchars '_'\", detail = none, columnsize = 0, prefix = '3')"
)
# PostgreSQL: the same numbers (IEEE division and floor, as Python's math.floor).
PG_CELL = (
    "'__' || ((floor(e.latitude / 0.25::float8) + 2048) * 4096"
    " + floor(e.longitude / 0.25::float8) + 2048)::bigint::text"
)
PG_ADD = (
    f"UPDATE {TABLE} t SET words = t.words || (CASE WHEN e.remote THEN '__remote'"  # noqa: S608
    f" ELSE {PG_CELL} END)::tsvector FROM search_searchentry e"
    " WHERE e.id = t.rowid AND (e.remote OR (e.latitude IS NOT NULL AND e.longitude IS NOT NULL))"
)
PG_REMOVE = (
    f"UPDATE {TABLE} SET words = ts_delete(words, ARRAY("  # noqa: S608
    "SELECT lexeme FROM unnest(words) WHERE starts_with(lexeme, '__')))"
)


def place(remote: bool, latitude: float | None, longitude: float | None) -> str | None:
    if remote:
        return MARK + "remote"
    if latitude is None or longitude is None:
        return None
    y, x = math.floor(latitude / 0.25), math.floor(longitude / 0.25)
    return f"{MARK}{(y + 2048) * 4096 + (x + 2048)}"


def with_place(words: str, remote: Any, latitude: float | None, longitude: float | None) -> str:
    word = place(bool(remote), latitude, longitude)
    return f" {word}{words}" if word else words


def without_place(words: str, *_: Any) -> str:
    return " " + " ".join(w for w in words.split() if not w.startswith(MARK)) + " "


def rewrite(cursor: Any, change: Callable[..., str]) -> None:
    """SQLite: every row written again, changed, into a new full-text table that then
    takes the old one's name (an UPDATE would make FTS5 unindex each row's words first),
    a chunk at a time so that a million rows are never in memory at once."""
    cursor.execute(FTS5.format(NEW))
    last = -1
    while True:
        cursor.execute(
            f"SELECT t.rowid, t.words, e.remote, e.latitude, e.longitude FROM {TABLE} t"  # noqa: S608
            " LEFT JOIN search_searchentry e ON e.id = t.rowid"
            " WHERE t.rowid > %s ORDER BY t.rowid LIMIT %s",
            [last, CHUNK],
        )
        rows = cursor.fetchall()
        if not rows:
            break
        changed = [(pk, change(words, *place_of)) for pk, words, *place_of in rows]
        cursor.executemany(f"INSERT INTO {NEW} (rowid, words) VALUES (%s, %s)", changed)  # noqa: S608
        last = rows[-1][0]
    cursor.execute(f"DROP TABLE {TABLE}")
    cursor.execute(f"ALTER TABLE {NEW} RENAME TO {TABLE}")


# SQLite: every stored word is in WORDS (0008), the place words too.
WORDS_ADD = (
    f"INSERT OR IGNORE INTO {WORDS} (term) SELECT DISTINCT substr(words, 2,"  # noqa: S608
    f" instr(substr(words, 2), ' ') - 1) FROM {TABLE} WHERE substr(words, 1, 3) = ' __'"
)
WORDS_REMOVE = f"DELETE FROM {WORDS} WHERE substr(term, 1, 2) = '__'"  # noqa: S608


def change_rows(
    schema_editor: BaseDatabaseSchemaEditor, postgresql: str, change: Callable[..., str], words: str
) -> None:
    db = schema_editor.connection
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute(postgresql)
        elif db.vendor == "sqlite":
            rewrite(cursor, change)
            cursor.execute(words)


def add_places(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    change_rows(schema_editor, PG_ADD, with_place, WORDS_ADD)


def remove_places(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    change_rows(schema_editor, PG_REMOVE, without_place, WORDS_REMOVE)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0008_stored_words"),
    ]

    operations = [
        migrations.RunPython(add_places, remove_places),
    ]
