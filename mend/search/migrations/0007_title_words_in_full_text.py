"""The title words in the full-text index too, each marked ("_legal"), so that relevance
tiers are asked of the index (ADR 0017, ``mend.search.tiers``). The rows are rewritten
here from the entries' ``title_words``, so an existing index needs no rebuild; back, the
marked words are taken out again."""

from typing import Any

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

TABLE = "search_searchtext"
# The table as 0005 made it on SQLite: without "_" as a word character.
OLD_FTS5 = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5("
    "words, tokenize = 'ascii', detail = none, columnsize = 0, prefix = '3')"
)


def insert(cursor: Any, rows: list[tuple[int, str]]) -> None:
    """SQLite: the rows as they were then (``fulltext.insert`` now also fills the table of
    stored words, which migration 0008 makes)."""
    cursor.executemany(f"INSERT INTO {TABLE} (rowid, words) VALUES (%s, %s)", rows)  # noqa: S608


def add_title_words(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from mend.search import fulltext

    db = schema_editor.connection
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {TABLE} t SET words = t.words || array_to_tsvector(ARRAY("  # noqa: S608
                "SELECT '_' || w FROM unnest(string_to_array(trim(e.title_words), ' ')) w"
                " WHERE w <> '')) FROM search_searchentry e WHERE e.id = t.rowid"
            )
            return
        cursor.execute(
            f"SELECT t.rowid, t.words, e.title_words FROM {TABLE} t"  # noqa: S608
            " JOIN search_searchentry e ON e.id = t.rowid"
        )
        rows = [
            (pk, fulltext.document(words.split(), title.split()))
            for pk, words, title in cursor.fetchall()
        ]
        cursor.execute(f"DROP TABLE {TABLE}")
        cursor.execute(fulltext.FTS5)
        insert(cursor, rows)


def remove_title_words(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from mend.search import fulltext

    db = schema_editor.connection
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {TABLE} SET words = ts_delete(words, ARRAY("  # noqa: S608
                "SELECT lexeme FROM unnest(words) WHERE starts_with(lexeme, '_')))"
            )
            return
        cursor.execute(f"SELECT rowid, words FROM {TABLE}")  # noqa: S608
        rows = [
            (pk, fulltext.document(w for w in words.split() if not w.startswith("_")))
            for pk, words in cursor.fetchall()
        ]
        cursor.execute(f"DROP TABLE {TABLE}")
        cursor.execute(OLD_FTS5)
        insert(cursor, rows)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0006_index_changes"),
    ]

    operations = [
        migrations.RunPython(add_title_words, remove_title_words),
    ]
