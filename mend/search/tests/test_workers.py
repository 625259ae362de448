"""A full rebuild drafted in worker processes: the same index, or no change at all.

Workers read the directory through connections of their own, so these tests commit their
rows (``TransactionTestCase``) and need a database another process can open: PostgreSQL,
as ``make test``'s second run has it. SQLite's test database lives in this process's
memory, where no worker can reach it (a SQLite file can be: ``bench/directory_search.py``
rebuilds one in workers).
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any
from unittest import mock

from django.db import connection, transaction
from django.test import TransactionTestCase, override_settings

from mend.directory.models import Service
from mend.lib import processes
from mend.search import index, workers
from mend.search.models import (
    EntryTerm,
    HoursProfile,
    OpenInterval,
    SearchDocument,
    SearchEntry,
    SearchText,
)
from mend.search.tests import factories as f

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
WHY_SKIPPED = "an in-memory SQLite test database cannot be opened by a worker process"


def index_rows() -> list[tuple[Any, ...]]:
    """Every row the rebuild writes, by what it says: the ids (which differ between two
    rebuilds) replaced by what they stand for."""
    entries = {e.pk: (e.service_id, e.service_at_location_id) for e in SearchEntry.objects.all()}
    profiles = dict(HoursProfile.objects.values_list("pk", "key"))
    rows: list[tuple[Any, ...]] = []
    for entry in SearchEntry.objects.values():
        said = {name: value for name, value in entry.items() if name not in ("id", "hours_id")}
        rows.append(("entry", sorted(said.items()), profiles.get(entry["hours_id"])))
    for entry_id, term, taxonomy in EntryTerm.objects.values_list(
        "entry_id", "term_id", "taxonomy_id"
    ):
        rows.append(("term", entries[entry_id], term, taxonomy))
    for entry_id, body in SearchDocument.objects.values_list("entry_id", "body"):
        rows.append(("document", entries[entry_id], body))
    for entry_id, words in SearchText.objects.values_list("entry_id", "words"):
        rows.append(("words", entries[entry_id], words))
    for profile_id, opens, closes in OpenInterval.objects.values_list(
        "profile_id", "opens_at", "closes_at"
    ):
        rows.append(("open", profiles[profile_id], opens, closes))
    return sorted(rows, key=repr)


@mock.patch.object(workers, "FEWEST_CHUNKS", 1)
@mock.patch.object(index, "CHUNK", 2)
class WorkerDraftingTests(TransactionTestCase):
    def setUp(self) -> None:
        if not workers.shareable():  # known only once the test database is set up
            self.skipTest(WHY_SKIPPED)
        # Seven services in four chunks of two: hours in two zones, a hidden shelter,
        # a hotline with no location, a service at two places, one no longer offered.
        nora = f.make_service("Nora's Legal Clinic", types=("legal-advice",))
        f.place(nora, f.make_location(point=f.CHICAGO, city="Chicago"))
        f.place(nora)
        f.weekly_hours(nora)
        denver = f.make_service("Front Range Counselling", languages=("en", "fr"), free=False)
        f.weekly_hours(
            f.place(denver, f.make_location(time_zone="America/Denver")), time(8), time(12)
        )
        f.shelter()
        f.hotline(area="Illinois")
        f.place(f.make_service("Gone Away Clinic", status="inactive"))
        for name in ("Lakeside Advocacy", "Prairie Forensic Nurses"):
            f.place(f.make_service(name, types=("forensic-medical-exam",)))

    def chunk_list(self) -> list[list[Any]]:
        ids = list(Service.objects.order_by("id").values_list("id", flat=True))
        return [list(chunk) for chunk in index.chunks(ids)]

    def test_workers_draft_each_chunk_as_this_process_does_and_in_the_same_order(self) -> None:
        chunks = self.chunk_list()
        self.assertEqual(len(chunks), 4)
        here = [workers.draft_chunk(chunk) for chunk in chunks]
        self.assertEqual(list(workers.drafted(chunks, 2)), here)
        self.assertEqual(sum(len(drafts) for drafts in here), 7)

    def test_a_full_rebuild_drafted_in_workers_writes_the_index_drafted_here(self) -> None:
        with override_settings(SEARCH_INDEX_WORKERS=0):
            self.assertEqual(index.rebuild_search_index(now=NOW), 7)
        here = index_rows()
        with (
            override_settings(SEARCH_INDEX_WORKERS=1),
            mock.patch.object(workers, "draft_chunk", wraps=workers.draft_chunk) as in_here,
        ):
            self.assertEqual(index.rebuild_search_index(now=NOW), 7)
        self.assertEqual(in_here.call_count, 0)  # every chunk was drafted elsewhere
        self.assertEqual(index_rows(), here)
        self.assertEqual(SearchEntry.objects.filter(hours__isnull=False).count(), 4)

    def test_a_rebuild_in_a_transaction_that_wrote_services_drafts_them_here(self) -> None:
        # An import rebuilds in its own transaction: its rows are not committed yet, so
        # a worker would not see them. The rebuild drafts every chunk in this process.
        with (
            override_settings(SEARCH_INDEX_WORKERS=1),
            mock.patch.object(workers, "draft_chunk", wraps=workers.draft_chunk) as in_here,
            transaction.atomic(),
        ):
            f.place(f.make_service("Imported Clinic"))
            self.assertEqual(index.rebuild_search_index(now=NOW), 8)
        self.assertEqual(in_here.call_count, 4)
        self.assertTrue(SearchEntry.objects.filter(service__name="Imported Clinic").exists())

    def test_a_worker_that_cannot_read_fails_the_rebuild_and_changes_nothing(self) -> None:
        index.rebuild_search_index(now=NOW)
        before = index_rows()
        f.place(f.make_service("New Clinic"))
        alias, database = processes.same_django(connection.alias)
        started = (alias, {**database, "NAME": "no_such_database"})
        with (
            override_settings(SEARCH_INDEX_WORKERS=1),
            mock.patch("mend.search.workers.same_django", return_value=started),
            self.assertRaises(Exception) as failed,
        ):
            index.rebuild_search_index(now=NOW)
        self.assertIn("no_such_database", str(failed.exception))
        self.assertEqual(index_rows(), before)
        self.assertFalse(SearchEntry.objects.filter(service__name="New Clinic").exists())
