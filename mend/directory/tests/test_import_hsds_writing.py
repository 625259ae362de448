"""How an import writes: a first import into an empty table, and a later one beside rows."""

from __future__ import annotations

from typing import Any
from unittest import mock
from uuid import UUID

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mend.directory.actions import do_import_hsds
from mend.directory.hsds import spec, writing
from mend.directory.models import Organization, Service
from mend.directory.tests.hsds_support import (
    ORGANIZATION,
    append_row,
    csv_example_copy,
    import_hsds,
    nothing_written,
)
from mend.test import NOW, BaseTestCase

NEW_SERVICE = UUID("11111111-1111-4111-8111-111111111111")
NEW_SERVICE_ROW = {
    "id": str(NEW_SERVICE),
    "organization_id": str(ORGANIZATION),
    "name": "A new service",
    "status": "active",
}


class FirstImportTests(BaseTestCase):
    def test_an_id_that_appears_between_the_count_and_the_insert_refuses_the_whole_import(
        self,
    ) -> None:
        # Another writer adds the example's organization once the importer has found the
        # organizations' table empty (so it writes without a conflict check).
        original = writing.Upsert.__init__

        def meanwhile(self: writing.Upsert, table: spec.Table, *args: Any, **kw: Any) -> None:
            original(self, table, *args, **kw)
            if table.name == "organization" and kw["fresh"]:
                Organization.objects.create(id=ORGANIZATION, name="Added meanwhile")

        with mock.patch.object(writing.Upsert, "__init__", meanwhile):
            report = do_import_hsds(csv_example_copy(self), reindex=False, now=NOW)

        self.assertFalse(report.ok)
        [error] = report.problems.errors
        self.assertIn("refused the import", str(error))
        nothing_written(self)  # the taxonomy tables, written first, are undone too

    def test_a_first_import_gives_each_field_it_leaves_out_the_models_default(self) -> None:
        folder = csv_example_copy(self)
        append_row(folder / "services.csv", **NEW_SERVICE_ROW)

        import_hsds(str(folder))

        self.assertEqual(left_out_fields(Service.objects.get(pk=NEW_SERVICE)), DEFAULTS)

    def test_a_first_import_builds_each_tables_indexes_after_its_rows_and_keeps_them_all(
        self,
    ) -> None:
        before = directory_schema()
        with CaptureQueriesContext(connection) as queries:
            report = do_import_hsds(csv_example_copy(self), reindex=False, now=NOW)

        self.assertTrue(report.ok)
        self.assertEqual(Service.objects.count(), 1)
        self.assertEqual(directory_schema(), before)
        dropped = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("DROP")]
        # SQLite only: on PostgreSQL a dropped index would lock out readers until commit.
        self.assertEqual(len(dropped) > 0, connection.vendor == "sqlite")

    def test_an_import_that_fails_while_writing_leaves_every_index_as_it_was(self) -> None:
        before = directory_schema()
        original = writing.Upsert.run

        def failing(self: writing.Upsert, rows: Any) -> None:
            if "phone" in self.table:  # after several tables were written
                raise RuntimeError("disk full")
            original(self, rows)

        with mock.patch.object(writing.Upsert, "run", failing), self.assertRaises(RuntimeError):
            do_import_hsds(csv_example_copy(self), reindex=False, now=NOW)

        self.assertEqual(directory_schema(), before)
        nothing_written(self)


def directory_schema() -> dict[str, Any]:
    """The constraints and indexes of every directory table."""
    with connection.cursor() as cursor:
        return {
            table.name: connection.introspection.get_constraints(cursor, table.model._meta.db_table)
            for table in spec.TABLES
        }


class LaterImportTests(BaseTestCase):
    def test_a_new_service_beside_existing_ones_gets_the_models_defaults(self) -> None:
        import_hsds(str(csv_example_copy(self)))
        folder = csv_example_copy(self)
        append_row(folder / "services.csv", **NEW_SERVICE_ROW)

        output = import_hsds(str(folder))

        self.assertIn("1 new", output)
        self.assertEqual(left_out_fields(Service.objects.get(pk=NEW_SERVICE)), DEFAULTS)

    def test_a_later_import_updates_the_fields_it_gives_and_keeps_those_it_leaves_out(
        self,
    ) -> None:
        import_hsds(str(csv_example_copy(self)))
        Service.objects.update(alternate_name="Edited", offered_remotely=True)
        folder = csv_example_copy(self)  # gives alternate_name, says nothing of remote offers
        append_row(folder / "services.csv", **NEW_SERVICE_ROW)

        import_hsds(str(folder))

        kept = Service.objects.exclude(pk=NEW_SERVICE)
        self.assertEqual(
            set(kept.values_list("alternate_name", "offered_remotely")),
            {("MyCity Counselling Services", True)},
        )


class DefaultsAsSqlTextTests(BaseTestCase):
    def test_every_default_written_as_sql_text_reads_back_as_itself(self) -> None:
        values: list[Any] = [None, True, False, 0, 7, "", "{}", "it's", "''", "--", "\\", "ñ é"]
        for table in spec.TABLES:
            for field in table.model._meta.concrete_fields:
                values.append(field.get_db_prep_save(field.get_default(), connection))
        for value in values:
            text = writing.sql_text(value)
            if text is None:
                continue  # bound as a parameter instead
            with self.subTest(value=value), connection.cursor() as cursor:
                cursor.execute(f"SELECT {text}")
                self.assertEqual(cursor.fetchone()[0], value)

    def test_what_cannot_be_sql_text_stays_a_parameter(self) -> None:
        for value in (1.5, b"x", "nul \x00 inside", NOW, {"a": 1}):
            with self.subTest(value=value):
                self.assertIsNone(writing.sql_text(value))


# Fields NEW_SERVICE_ROW leaves out, and what the model gives each.
DEFAULTS = {"alternate_name": "", "url": "", "translations": {}, "offered_remotely": False}


def left_out_fields(service: Service) -> dict[str, Any]:
    return {name: getattr(service, name) for name in DEFAULTS}
