"""The full rebuild's fast paths: all or nothing, the same schema, the same values."""

from __future__ import annotations

import importlib
from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from unittest import mock
from uuid import UUID

from django.db import connection
from django.test import TestCase

from mend.directory.models import CostOption, Schedule, Service, ServiceAtLocation
from mend.search import gather, index, workers
from mend.search.models import EntryTerm, SearchDocument, SearchEntry, SearchText
from mend.search.tests import factories as f

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def schema() -> dict[str, Any]:
    """The constraints and indexes of the tables a full rebuild fills."""
    with connection.cursor() as cursor:
        return {
            model._meta.db_table: connection.introspection.get_constraints(
                cursor, model._meta.db_table
            )
            for model in (*index.FILLED, SearchText)
        }


def foreign_keys() -> dict[str, list[tuple[str, str]]]:
    """The tables each filled table's foreign keys point at (table, column)."""
    return {
        table: sorted(c["foreign_key"] for c in constraints.values() if c["foreign_key"])
        for table, constraints in schema().items()
    }


def rows() -> list[tuple[Any, ...]]:
    return [
        *SearchEntry.objects.order_by("pk").values_list(),
        *EntryTerm.objects.order_by("pk").values_list(),
        *SearchDocument.objects.order_by("pk").values_list(),
        *SearchText.objects.order_by("pk").values_list(),
    ]


class FullRebuildTests(TestCase):
    def setUp(self) -> None:
        self.service = f.make_service("Harbor Legal Aid")
        f.place(self.service, f.make_location(point=f.CHICAGO, city="Chicago"))
        f.shelter()
        self.migrated = schema()
        index.rebuild_search_index(now=NOW)

    def test_it_leaves_the_schema_as_the_migrations_made_it(self) -> None:
        self.assertEqual(schema(), self.migrated)

    def test_only_an_entrys_service_and_place_keep_database_constraints(
        self,
    ) -> None:
        # What an entry copies (organization, location) or owns (terms, document, words)
        # has none: PostgreSQL checked each at the commit of a rebuild (migration 0012).
        keys = foreign_keys()
        self.assertEqual(
            keys["search_searchentry"],
            [("directory_service", "id"), ("directory_serviceatlocation", "id")],
        )
        self.assertEqual(keys["search_entryterm"], [])
        self.assertEqual(keys["search_searchdocument"], [])
        self.assertEqual(keys["search_searchtext"], [])

    def test_migration_0012_puts_the_words_constraint_back_and_takes_it_off_again(
        self,
    ) -> None:
        migration = importlib.import_module(
            "mend.search.migrations.0012_derived_without_constraints"
        )

        def execute(sql: str) -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql)

        editor: Any = SimpleNamespace(connection=connection, execute=execute)
        if connection.vendor == "postgresql":
            # The checks setUp's rebuild queued run now, as a migration's would have run
            # at the commit before it: PostgreSQL alters no table with checks pending.
            execute("SET CONSTRAINTS ALL IMMEDIATE")
        migration.add_words_constraint(None, editor)  # back: as before 0012
        back = [("search_searchentry", "id")] if connection.vendor == "postgresql" else []
        self.assertEqual(foreign_keys()["search_searchtext"], back)
        migration.drop_words_constraint(None, editor)
        self.assertEqual(foreign_keys()["search_searchtext"], [])

    def test_it_keeps_every_index_of_the_tables_it_fills(self) -> None:
        before = schema()
        self.assertEqual(index.rebuild_search_index(now=NOW), 2)
        self.assertEqual(schema(), before)
        self.assertIn("search_sear_latitud_217be8_idx", before["search_searchentry"])
        if connection.vendor == "postgresql":
            self.assertIn("search_searchtext_words_gin", before["search_searchtext"])
            self.assertIn("search_searchtext_pkey", before["search_searchtext"])

    def test_it_writes_the_same_rows_again_but_for_their_ids(self) -> None:
        before = [row[1:] for row in SearchEntry.objects.order_by("pk").values_list()]
        index.rebuild_search_index(now=NOW)
        after = [row[1:] for row in SearchEntry.objects.order_by("pk").values_list()]
        self.assertEqual(after, before)

    def test_a_rebuild_that_fails_leaves_the_rows_and_the_indexes_as_they_were(self) -> None:
        before_rows, before_schema = rows(), schema()
        f.place(f.make_service("New Clinic"))
        failing = mock.patch("mend.search.index.insert_rows", side_effect=RuntimeError)
        with failing, self.assertRaises(RuntimeError):
            index.rebuild_search_index(now=NOW)
        self.assertEqual(rows(), before_rows)
        self.assertEqual(schema(), before_schema)
        self.assertEqual(SearchEntry.objects.count(), 2)


class ReadingValuesTests(TestCase):
    """``gather.values`` gives what the queryset itself gives, value for value."""

    def assert_same(self, rows: Any) -> None:
        expected = [list(row) for row in rows]
        self.assertEqual(gather.values(rows), expected)
        self.assertEqual(
            [[type(value) for value in row] for row in gather.values(rows)],
            [[type(value) for value in row] for row in expected],
        )

    def test_it_reads_ids_flags_texts_and_translations_as_the_queryset_does(self) -> None:
        service = f.make_service("Harbor Legal Aid")
        service.translations = {"es": {"name": "Ayuda Legal Harbor"}}
        service.offered_remotely = True
        service.save()
        f.make_service("Plain One")
        self.assert_same(Service.objects.order_by("id").values_list())
        first = gather.values(Service.objects.filter(pk=service.pk).values_list("id"))
        self.assertEqual(first, [[service.pk]])
        self.assertIsInstance(first[0][0], UUID)

    def test_it_reads_prices_dates_and_times_as_the_queryset_does(self) -> None:
        service = f.make_service("Priced One", free=False)
        CostOption.objects.create(service=service, option="Sliding", amount=Decimal("12.50"))
        f.weekly_hours(service)
        f.closed_on(service, date(2026, 12, 25))
        self.assert_same(CostOption.objects.order_by("id").values_list())
        self.assert_same(Schedule.objects.order_by("id").values_list())

    def test_it_reads_a_joined_row_and_a_missing_one_as_the_queryset_does(self) -> None:
        f.place(f.make_service("Harbor Legal Aid"), f.make_location(city="Chicago"))
        sals = ServiceAtLocation.objects.order_by("id")
        self.assert_same(sals.values_list("id", "location__name", "location__latitude"))
        self.assertEqual(gather.values(Service.objects.none().values_list()), [])


class PlannerSettingTests(TestCase):
    """On PostgreSQL the rebuild prices a page read by key as a cached one, inside itself
    only: whatever its caller's transaction does after it is planned as before."""

    def setUp(self) -> None:
        service = f.make_service("Harbor Legal Aid")
        f.place(service, f.make_location(point=f.CHICAGO, city="Chicago"))

    def test_the_rebuild_prices_reads_by_key_as_cached_and_puts_the_price_back(self) -> None:
        before = self.random_page_cost()
        seen: list[str] = []
        real = gather.gather

        def watched(service_ids: Any) -> Any:
            seen.append(self.random_page_cost())
            return real(service_ids)

        with mock.patch.object(workers, "gather", watched):
            index.rebuild_search_index(now=NOW)
        expected = gather.RANDOM_PAGE_COST if connection.vendor == "postgresql" else before
        self.assertEqual(seen, [expected])
        self.assertEqual(self.random_page_cost(), before)

    def random_page_cost(self) -> str:
        if connection.vendor != "postgresql":
            return "not PostgreSQL"
        with connection.cursor() as cursor:
            cursor.execute("SHOW random_page_cost")
            return str(cursor.fetchone()[0])

    def test_a_rebuild_that_fails_leaves_the_price_as_it_was(self) -> None:
        before = self.random_page_cost()
        with (
            mock.patch.object(workers, "gather", side_effect=RuntimeError("disk full")),
            self.assertRaises(RuntimeError),
        ):
            index.rebuild_search_index(now=NOW)
        self.assertEqual(self.random_page_cost(), before)
