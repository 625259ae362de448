"""No database constraint on what an entry copies or owns: its organization and location
(copies of its service's and its service at location's, whose own constraints stay), and
its terms', document's and words' entry (written with it, deleted with it by Django).
PostgreSQL checked each at the commit of a rebuild, a locked read a row: about 6.4 of
the 8.5 million checks of a rebuild at a million, whose commit took 133 s of its 631
(docs/performance.md, "Session 15"). On SQLite, Django remakes the three tables without
them, as 0010 did for the entries' hours.

The words' entry too, by hand: on SQLite the words are an FTS5 table, which has no
constraint and which Django must not remake; on PostgreSQL the constraint is dropped
(and made again on the way back)."""

from typing import Any

import django.db.models.deletion
import mend.search.models
from django.db import migrations, models

WORDS = "search_searchtext"


def drop_words_constraint(apps: Any, schema_editor: Any) -> None:
    db = schema_editor.connection
    if db.vendor != "postgresql":
        return
    with db.cursor() as cursor:
        constraints = db.introspection.get_constraints(cursor, WORDS)
    for name, constraint in constraints.items():
        if constraint["foreign_key"]:
            schema_editor.execute(f"ALTER TABLE {WORDS} DROP CONSTRAINT {db.ops.quote_name(name)}")


def add_words_constraint(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE {WORDS} ADD CONSTRAINT search_searchtext_rowid_fk_search_searchentry_id"
        " FOREIGN KEY (rowid) REFERENCES search_searchentry (id) DEFERRABLE INITIALLY DEFERRED"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_service_offered_remotely"),
        ("search", "0011_no_place_words"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="searchtext",
                    name="entry",
                    field=models.OneToOneField(
                        db_column="rowid",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="text",
                        serialize=False,
                        to="search.searchentry",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(drop_words_constraint, add_words_constraint),
            ],
        ),
        migrations.AlterField(
            model_name="entryterm",
            name="entry",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="terms",
                to="search.searchentry",
            ),
        ),
        migrations.AlterField(
            model_name="searchdocument",
            name="entry",
            field=models.OneToOneField(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                primary_key=True,
                related_name="document",
                serialize=False,
                to="search.searchentry",
            ),
        ),
        migrations.AlterField(
            model_name="searchentry",
            name="location",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=mend.search.models.cascade_renewing_version,
                related_name="+",
                to="directory.location",
            ),
        ),
        migrations.AlterField(
            model_name="searchentry",
            name="organization",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=mend.search.models.cascade_renewing_version,
                related_name="+",
                to="directory.organization",
            ),
        ),
    ]
