"""An entry's hours profile without a database constraint: deleting a profile made
PostgreSQL look for entries that name it, scanning every entry (``hours_id`` has no index
of its own, on purpose), 105 s of a rebuild at a million. The indexer deletes only the
profiles no entry names, in the write that holds the version row. On SQLite, Django
remakes the entries' table without it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0009_place_words"),
    ]

    operations = [
        migrations.AlterField(
            model_name="searchentry",
            name="hours",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="entries",
                to="search.hoursprofile",
            ),
        ),
    ]
