"""Each entry's place word (migration 0009) taken out of the full-text index: no search
asks for it since the search file holds every stored word's rows (ADR 0018, addendum 2).
Existing rows are rewritten by 0009's own frozen code, so an index needs no rebuild; back,
the place words are written again.
"""

import importlib

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

PLACES = importlib.import_module("mend.search.migrations.0009_place_words")


def remove_places(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    PLACES.remove_places(apps, schema_editor)


def add_places(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    PLACES.add_places(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0010_hours_without_constraint"),
    ]

    operations = [
        migrations.RunPython(remove_places, add_places),
    ]
