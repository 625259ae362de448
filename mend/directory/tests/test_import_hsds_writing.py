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
        original = writing.Upsert.write

        def failing(self: writing.Upsert, rows: Any, progress: Any) -> None:
            if "phone" in self.table:  # after several tables were written
                raise RuntimeError("disk full")
            original(self, rows, progress)

        with mock.patch.object(writing.Upsert, "write", failing), self.assertRaises(RuntimeError):
            do_import_hsds(csv_example_copy(self), reindex=False, now=NOW)

        self.assertEqual(directory_schema(), before)
        nothing_written(self)


class BatchesTests(BaseTestCase):
    def test_rows_written_a_batch_at_a_time_are_all_written_and_each_batch_is_reported(
        self,
    ) -> None:
        # Batches of one row: every table of the example takes several, in one statement
        # a table on PostgreSQL (a COPY fed batch by batch), one a batch on SQLite.
        folder = csv_example_copy(self)
        append_row(folder / "services.csv", **NEW_SERVICE_ROW)
        for name in ("first import", "the same package again"):
            with self.subTest(name), mock.patch.object(writing, "BATCH", 1):
                progress = Counted()
                report = do_import_hsds(folder, reindex=False, progress=progress, now=NOW)

                self.assertTrue(report.ok)
                self.assertEqual(Service.objects.count(), 2)
                records = sum(written.records for written in report.written.values())
                self.assertGreater(records, 10)
                self.assertEqual(progress.begun["writing"], records)
                self.assertEqual(progress.advanced["writing"], [1] * records)
                created = sum(written.created for written in report.written.values())
                self.assertEqual(created, records if name == "first import" else 0)


class Counted:
    """A progress that keeps every stage's total and each advance."""

    def __init__(self) -> None:
        self.stage = ""
        self.begun: dict[str, int | None] = {}
        self.advanced: dict[str, list[int]] = {}

    def begin(self, stage: str, total: int | None) -> None:
        self.stage = stage
        self.begun[stage] = total
        self.advanced[stage] = []

    def advance(self, amount: int) -> None:
        self.advanced[self.stage].append(amount)

    def end(self) -> None:
        pass


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
