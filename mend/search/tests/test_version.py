"""A process trusts the index version it learned from the primary for half a second
(mend.search.version): its searches then ask the database nothing, a change another
process commits is searched after that moment, and this process's own at once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.db import connection, transaction
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext

from mend.directory.models import Service
from mend.search import index, nearby, version
from mend.search.documents import documents_for
from mend.search.models import SearchEntry
from mend.search.params import SearchParams
from mend.search.query import search_services
from mend.search.tests import factories as f
from mend.test import NOW

START = 1_000.0  # a monotonic clock reading: only differences count
TRUSTED = version.KNOWN_FOR_SECONDS


class KnownVersionTests(TransactionTestCase):
    def setUp(self) -> None:
        self.moment = START
        clock = mock.patch.object(version, "clock", side_effect=lambda: self.moment)
        clock.start()
        self.addCleanup(clock.stop)
        near = f.make_service("Near Counselling")
        f.place(near)
        index.rebuild_search_index(now=NOW)
        nearby.forget()  # and the version this process learned by writing
        nearby.warm()  # the file is written and mapped; no version learned yet

    def api_names(self) -> list[str]:
        r = self.client.get("/api/v1/hsds/service_at_locations?postcode=62701&proximity=20000")
        self.assertEqual(r.status_code, 200)
        return [item["service"]["name"] for item in r.json()["contents"]]

    def page_names(self) -> list[str]:
        params = SearchParams(postcode="62701", radius_km=20, include_remote=False, now=NOW)
        return [hit.entry.service.name for hit in search_services(params).hits]

    @contextmanager
    def as_another_process(self) -> Iterator[None]:
        """Writes here are not heard by this process, as another server's would not be."""
        with mock.patch.object(version, "learn"):
            yield

    def add_service(self) -> None:
        added = f.make_service("Also Near")
        f.place(added, f.make_location(point=(39.79, -89.64)))
        index.rebuild_search_index([added.id], now=NOW)

    def add_service_elsewhere(self) -> None:
        with self.as_another_process():
            self.add_service()

    def test_an_api_page_soon_after_the_last_check_asks_the_database_nothing(self) -> None:
        with CaptureQueriesContext(connection) as first:
            self.assertEqual(self.api_names(), ["Near Counselling"])
        checks = [q["sql"] for q in first if "search_indexversion" in q["sql"]]
        self.assertEqual(len(checks), 1, checks)  # learned, in the page's own query
        self.moment = START + TRUSTED * 0.9
        with CaptureQueriesContext(connection) as within:
            self.assertEqual(self.api_names(), ["Near Counselling"])
        self.assertEqual(len(within), 0, [q["sql"] for q in within])
        self.moment = START + TRUSTED * 2
        with CaptureQueriesContext(connection) as after:
            self.assertEqual(self.api_names(), ["Near Counselling"])
        self.assertEqual(len(after), 1, [q["sql"] for q in after])
        self.assertIn("search_indexversion", after[0]["sql"])

    def test_a_change_another_process_commits_is_searched_once_the_moment_is_over(self) -> None:
        self.assertEqual(self.api_names(), ["Near Counselling"])
        self.assertEqual(self.page_names(), ["Near Counselling"])
        self.add_service_elsewhere()
        self.moment = START + TRUSTED  # still trusted: what a search then would give
        self.assertEqual(self.api_names(), ["Near Counselling"])
        self.assertEqual(self.page_names(), ["Near Counselling"])
        self.moment = START + TRUSTED + 0.01
        self.assertEqual(self.api_names(), ["Also Near", "Near Counselling"])
        self.assertEqual(self.page_names(), ["Also Near", "Near Counselling"])

    def test_the_pages_learn_the_version_once_in_that_moment_too(self) -> None:
        with CaptureQueriesContext(connection) as first:
            self.assertEqual(self.page_names(), ["Near Counselling"])
        self.moment = START + TRUSTED * 0.5
        with CaptureQueriesContext(connection) as within:
            self.assertEqual(self.page_names(), ["Near Counselling"])
        versions = [q for q in first if "search_indexversion" in q["sql"]]
        self.assertEqual(len(versions), 1)
        self.assertEqual([q for q in within if "search_indexversion" in q["sql"]], [])

    def test_this_process_searches_its_own_change_at_once(self) -> None:
        self.assertEqual(self.api_names(), ["Near Counselling"])
        self.add_service()
        self.assertEqual(self.api_names(), ["Also Near", "Near Counselling"])
        self.assertEqual(self.page_names(), ["Also Near", "Near Counselling"])

    def test_a_page_within_the_moment_asks_only_for_a_changed_entrys_document(self) -> None:
        self.assertEqual(self.api_names(), ["Near Counselling"])
        self.add_service()  # this process: the new version is known at once
        self.assertEqual(self.page_names(), ["Also Near", "Near Counselling"])
        snapshot = nearby.latest()
        assert snapshot is not None
        self.assertEqual(len(snapshot.overlay), 1)  # the change is not in the file
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.api_names(), ["Also Near", "Near Counselling"])
        self.assertEqual(len(queries), 1, [q["sql"] for q in queries])
        self.assertIn("search_searchdocument", queries[0]["sql"])
        self.assertNotIn("search_indexversion", queries[0]["sql"])

    def test_an_entry_removed_since_the_file_is_never_sent_from_it(self) -> None:
        self.assertEqual(self.page_names(), ["Near Counselling"])
        (entry,) = SearchEntry.objects.all()
        Service.objects.update(name="Renamed Counselling")
        index.rebuild_search_index(list(Service.objects.values_list("id", flat=True)), now=NOW)
        self.assertEqual(self.page_names(), ["Renamed Counselling"])
        snapshot = nearby.latest()
        assert snapshot is not None
        self.assertEqual(snapshot.removed, {entry.pk})
        self.assertEqual(documents_for([entry.pk], version=snapshot.version), [])

    def test_a_search_inside_a_write_reads_the_version_the_write_made(self) -> None:
        self.assertEqual(self.page_names(), ["Near Counselling"])
        with transaction.atomic():
            self.add_service()
            self.assertEqual(self.page_names(), ["Also Near", "Near Counselling"])
            self.assertEqual(self.api_names(), ["Also Near", "Near Counselling"])

    def test_a_version_read_before_this_process_wrote_does_not_replace_the_write(self) -> None:
        # A page's query began at START, this process committed a write at START + 0.1,
        # and the query's answer (the version before the write) arrives after it.
        version.learn("written", START + 0.1)
        version.learn("read before", START)
        self.moment = START + 0.2
        self.assertEqual(version.trusted(), "written")

    def test_nothing_is_trusted_after_the_moment_or_before_anything_is_learned(self) -> None:
        self.assertIsNone(version.trusted())
        version.learn("learned", START)
        self.moment = START + TRUSTED
        self.assertEqual(version.trusted(), "learned")
        self.moment = START + TRUSTED + 0.01
        self.assertIsNone(version.trusted())
