"""The index follows the directory's announcements (mend.directory.signals), in the
transaction of the change that it hears of."""

from __future__ import annotations

from datetime import UTC, datetime
from unittest import mock

from django.test import TestCase

from mend.directory.actions import do_import_hsds, do_refresh_search_index
from mend.directory.models import Service
from mend.directory.signals import announce_directory_changed
from mend.directory.tests.hsds_support import EXAMPLES
from mend.search.models import SearchEntry
from mend.search.tests import factories as f

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


class FollowDirectoryTests(TestCase):
    def test_it_indexes_what_an_import_writes_before_the_import_returns(self) -> None:
        report = do_import_hsds(EXAMPLES / "service_full.json", now=NOW)
        self.assertFalse(report.problems.has_errors)
        service = Service.objects.get()
        self.assertTrue(SearchEntry.objects.filter(service=service).exists())

    def test_it_writes_nothing_when_the_index_cannot_follow_an_import(self) -> None:
        failing = mock.patch("mend.search.index.rebuild_search_index", side_effect=RuntimeError)
        with failing, self.assertRaises(RuntimeError):
            do_import_hsds(EXAMPLES / "service_full.json", now=NOW)
        self.assertEqual(Service.objects.count(), 0)
        self.assertEqual(SearchEntry.objects.count(), 0)

    def test_it_rebuilds_only_the_services_an_edit_announces(self) -> None:
        edited, other = f.make_service(name="Edited"), f.make_service(name="Other")
        f.place(edited)
        f.place(other)
        do_refresh_search_index([edited.id], now=NOW)
        indexed = SearchEntry.objects.values_list("service__name", flat=True)
        self.assertEqual(list(indexed), ["Edited"])

    def test_it_drops_the_rows_of_a_deleted_service_when_all_are_announced(self) -> None:
        gone = f.make_service(name="Gone")
        f.place(gone)
        announce_directory_changed(None, now=NOW)
        self.assertEqual(SearchEntry.objects.count(), 1)
        Service.objects.filter(pk=gone.pk).delete()
        announce_directory_changed(None, now=NOW)
        self.assertEqual(SearchEntry.objects.count(), 0)
