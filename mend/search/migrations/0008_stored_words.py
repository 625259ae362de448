"""SQLite: the words the full-text table holds, as a plain table's keys, so that a
prefix's words are found by a range of keys (``mend.search.fulltext.WORDS``); filled
from the full-text table's own vocabulary. Nothing on PostgreSQL."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

WORDS = "search_searchword"


def make_words(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Made, or made again: after a step back to 0007, the table that ``migrate`` left
    (``fulltext.ensure_words``) may have missed words an older version stored since."""
    from mend.search import fulltext

    db = schema_editor.connection
    if db.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE TABLE IF NOT EXISTS {WORDS} (term TEXT PRIMARY KEY) WITHOUT ROWID"
        )
        fulltext.store_every_word(db)


def drop_words(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {WORDS}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0007_title_words_in_full_text"),
    ]

    operations = [
        migrations.RunPython(make_words, drop_words),
    ]
