"""The search file every web process maps (mend.search.searchfile) and the overlay of
changes merged with it (mend.search.changes): what they hold, what they refuse, and that
searches answered from them are the database's answers, at once after a change."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path
from unittest import mock
from uuid import UUID

from django.conf import settings
from django.test import TestCase

from mend.directory.actions import do_load_demo
from mend.directory.models import Address, Service, ServiceStatus, Taxonomy
from mend.search import changes, documents, index, nearby, searchfile, tiers, version
from mend.search.codes import Codes
from mend.search.gazetteer import Circle
from mend.search.models import IndexChange, SearchDocument, SearchEntry
from mend.search.params import SearchParams
from mend.search.query import search_in_database, search_services
from mend.search.tests import factories as f
from mend.search.tests.test_nearby import TEXTS, random_params, summary
from mend.test import NOW

ROOT = Path(__file__).resolve().parents[3]


def near_springfield(**fields: object) -> SearchParams:
    base: dict[str, object] = {"postcode": "62701", "radius_km": 50, "now": NOW}
    return SearchParams(**{**base, **fields})  # type: ignore[arg-type]


def names(params: SearchParams) -> list[str]:
    return sorted(hit.entry.service.name for hit in search_services(params).hits)


class FileTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        do_load_demo(now=NOW)

    def setUp(self) -> None:
        nearby.forget()

    def test_the_file_holds_every_entry_as_the_index_does(self) -> None:
        written = searchfile.write()
        mapped = searchfile.open_file()
        self.assertEqual((mapped.version, written), (version.read_version(),) * 2)
        rows = list(SearchEntry.objects.order_by("pk").values_list(*searchfile.COLUMNS))
        self.assertEqual(mapped.size, len(rows))
        self.assertGreater(len(rows), 50)
        for i, (pk, lat, lng, remote, free, hours, *bits, langs, areas, name) in enumerate(rows):
            placed = not remote and lat is not None
            with self.subTest(pk=pk):
                self.assertEqual(mapped.pk[i], pk)
                self.assertEqual(
                    (mapped.latitude[i], mapped.longitude[i]),
                    (lat, lng) if placed else (0.0, 0.0),
                )
                flags = mapped.flags[i]
                self.assertEqual(
                    (bool(flags & searchfile.FLAG_REMOTE), bool(flags & searchfile.FLAG_FREE)),
                    (remote, free),
                )
                self.assertEqual(mapped.hours[i], -1 if hours is None else hours)
                self.assertEqual(
                    [mapped.types[i], mapped.eligibility[i], mapped.accessibility[i]], bits
                )
                self.assertEqual(mapped.string(mapped.languages[i]), langs)
                self.assertEqual(mapped.string(mapped.areas[i]), areas)
                self.assertEqual(mapped.string(mapped.sort_name[i]), name)
        # Every placed row is listed once in its cell's list of all rows, and the remote
        # rows once among the remote ones.
        everything = [
            n
            for k, key in enumerate(mapped.keys)
            if key % searchfile.TYPE_SLOTS == searchfile.ALL_TYPES
            for n in mapped.members[mapped.starts[k] : mapped.starts[k + 1]]
        ]
        located = [
            i for i, (_, lat, _, remote, *_) in enumerate(rows) if not remote and lat is not None
        ]
        self.assertEqual(sorted(everything), located)
        remote = [i for i, (_, _, _, remote, *_) in enumerate(rows) if remote]
        self.assertEqual(sorted(mapped.remote), remote)

    def test_the_file_holds_each_entrys_api_document_as_the_index_stores_it(self) -> None:
        SearchDocument.objects.filter(pk=SearchDocument.objects.order_by("pk")[1].pk).delete()
        searchfile.write()
        mapped = searchfile.open_file()
        stored = dict(SearchDocument.objects.values_list("entry_id", "body"))
        kept = [mapped.document(i) for i in range(mapped.size)]
        self.assertEqual(kept, [stored.get(pk) for pk in mapped.pk])
        self.assertGreater(sum(body is not None for body in kept), 50)
        self.assertIn(None, kept)  # the deleted one, and remote entries: none stored
        asked = [*mapped.pk, 0, -1, max(mapped.pk) + 1, *reversed(mapped.pk)]
        self.assertEqual(mapped.documents_of(asked), [stored.get(pk) for pk in asked])
        self.assertEqual(mapped.documents_of(asked), mapped.documents_in_python(asked))

    def test_a_write_that_meets_an_index_change_while_reading_documents_starts_again(
        self,
    ) -> None:
        # Read before the rows, then after the documents (another): the second attempt
        # sees one version throughout.
        versions = iter(["before", "after", "after", "after"])
        read = version.read_version
        with mock.patch.object(searchfile, "documents", wraps=searchfile.documents) as docs:
            with mock.patch.object(version, "read_version", side_effect=lambda a: next(versions)):
                self.assertEqual(searchfile.write(), "after")
            self.assertEqual(docs.call_count, 2)
        self.assertEqual(searchfile.open_file().version, "after")
        self.assertEqual(list(Path(settings.SEARCH_FILE_DIR).glob(".writing-*")), [])
        self.assertNotEqual(read("default"), "after")  # only the test's versions changed

    def test_an_index_that_keeps_changing_is_not_written_after_three_tries(self) -> None:
        searchfile.write()
        before = searchfile.open_file().version
        versions = (f"v{n}" for n in range(100))
        with mock.patch.object(searchfile, "documents", wraps=searchfile.documents) as docs:
            changing = mock.patch.object(
                version, "read_version", side_effect=lambda a: next(versions)
            )
            with changing, self.assertRaisesMessage(RuntimeError, "the index kept changing"):
                searchfile.write()
            self.assertEqual(docs.call_count, 3)
        self.assertEqual(searchfile.open_file().version, before)  # the old file stands
        self.assertEqual(list(Path(settings.SEARCH_FILE_DIR).glob(".writing-*")), [])

    def corrupt(self, how: str) -> None:
        path = searchfile.path()
        data = bytearray(path.read_bytes())
        if how == "torn":
            data = data[: len(data) // 2]
        elif how == "a flipped byte":
            data[len(data) // 2] ^= 0xFF
        elif how == "another format":
            data[8] += 1  # the format number, after the magic
        elif how == "no trailer":
            data[-40:] = bytes(40)
        elif how == "foreign":
            data = bytearray(random.Random(1).randbytes(len(data)))
        elif how == "empty":
            data = bytearray()
        path.write_bytes(bytes(data))

    def test_a_torn_old_or_foreign_file_is_refused_and_written_again(self) -> None:
        params = near_springfield(radius_km=500)
        expected = summary(search_in_database(params))
        self.assertGreater(expected["total"], 3)
        for how in ("torn", "a flipped byte", "another format", "no trailer", "foreign", "empty"):
            with self.subTest(how=how):
                searchfile.write()
                self.corrupt(how)
                with self.assertRaises(searchfile.Refused):
                    searchfile.open_file()
                nearby.forget()
                with self.assertLogs("mend.search.nearby", "WARNING"):
                    self.assertEqual(summary(search_services(params)), expected)
                self.assertEqual(searchfile.open_file().version, version.read_version())

    def test_a_file_of_an_index_the_log_cannot_reach_is_not_used(self) -> None:
        search_services(near_springfield())  # maps a file of this version
        old = searchfile.open_file().identity
        Service.objects.filter(name__icontains="a").update(name="Renamed Everywhere")
        index.rebuild_search_index(now=NOW)  # a full rebuild: no chain from the old file
        with mock.patch.object(searchfile, "write", wraps=searchfile.write) as write:
            self.assertIn("Renamed Everywhere", names(near_springfield(radius_km=500)))
        write.assert_called_once()
        self.assertNotEqual(searchfile.open_file().identity, old)

    def test_a_process_maps_the_newer_file_another_process_wrote(self) -> None:
        search_services(near_springfield())
        first = nearby.current()
        assert first is not None
        searchfile.write()  # as another process on the machine would, after changes
        service = f.make_service("Written Later")
        f.place(service)
        index.rebuild_search_index([service.id], now=NOW)
        self.assertIn("Written Later", names(near_springfield()))
        now = nearby.current()
        assert now is not None
        self.assertNotEqual(now.file.identity, first.file.identity)
        self.assertEqual(len(now.overlay), 1)


class OverlayTests(TestCase):
    """A change to one service is searchable at the next search, from the log, without
    writing the file again."""

    near: Service

    @classmethod
    def setUpTestData(cls) -> None:
        cls.near = f.make_service("Near Counselling")
        f.place(cls.near)
        index.rebuild_search_index(now=NOW)

    def setUp(self) -> None:
        nearby.forget()
        self.assertEqual(names(near_springfield()), ["Near Counselling"])  # the file is written
        self.write = mock.patch.object(searchfile, "write", wraps=searchfile.write).start()
        self.addCleanup(mock.patch.stopall)

    def test_a_new_service_is_found_through_the_overlay(self) -> None:
        added = f.make_service("Also Near", types=("legal-advice",), free=False)
        f.place(added, f.make_location(point=(39.79, -89.64)))
        index.rebuild_search_index([added.id], now=NOW)
        self.assertEqual(names(near_springfield()), ["Also Near", "Near Counselling"])
        self.assertEqual(names(near_springfield(types=("legal-advice",))), ["Also Near"])
        self.assertEqual(names(near_springfield(free=True)), ["Near Counselling"])
        snapshot = nearby.current()
        assert snapshot is not None
        self.assertEqual([row[nearby.PK] for row in snapshot.overlay], self.entries(added))
        self.write.assert_not_called()

    def test_an_edited_service_is_found_as_it_is_now(self) -> None:
        Service.objects.filter(pk=self.near.pk).update(name="Renamed Counselling")
        before = self.entries(self.near)
        index.rebuild_search_index([self.near.id], now=NOW)
        self.assertEqual(names(near_springfield()), ["Renamed Counselling"])
        snapshot = nearby.current()
        assert snapshot is not None
        self.assertEqual(snapshot.removed, frozenset(before))
        self.write.assert_not_called()

    def api_page(self) -> list[dict[str, object]]:
        r = self.client.get("/api/v1/hsds/service_at_locations?postcode=62701&proximity=50000")
        self.assertEqual(r.status_code, 200)
        contents: list[dict[str, object]] = r.json()["contents"]
        return contents

    def test_an_api_page_reads_unchanged_documents_from_the_file_and_changed_ones_fresh(
        self,
    ) -> None:
        self.assertEqual(self.api_names(), ["Near Counselling"])  # maps the file
        read = mock.patch.object(documents, "_documents_sql", wraps=documents._documents_sql)
        with read as from_database:

            def read_from_database() -> int:  # the last page's documents (the version rides along)
                count: int = from_database.call_args_list[-1].args[1]
                return count

            self.assertEqual(self.api_names(), ["Near Counselling"])
            self.assertEqual(read_from_database(), 0)
            added = f.make_service("Also Near")
            f.place(added, f.make_location(point=(39.79, -89.64)))
            index.rebuild_search_index([added.id], now=NOW)
            self.api_names()  # meets the change (searched again, every document fresh)
            self.assertEqual(self.api_names(), ["Also Near", "Near Counselling"])
            self.assertEqual(read_from_database(), 1)  # the added entry's
            Service.objects.filter(pk=self.near.pk).update(name="Renamed Counselling")
            index.rebuild_search_index([self.near.id], now=NOW)
            self.api_names()
            self.assertEqual(self.api_names(), ["Also Near", "Renamed Counselling"])
            self.assertEqual(read_from_database(), 2)  # the renamed one's is new too
        self.write.assert_not_called()

    def api_names(self) -> list[str]:
        page = self.api_page()
        self.assertEqual(page, [json.loads(body) for body in self.stored(page)])
        return [item["service"]["name"] for item in page]  # type: ignore[index]

    def stored(self, page: list[dict[str, object]]) -> list[str]:
        """The index's stored documents of the page's items, in its order."""
        ids = [UUID(str(item["id"])) for item in page]
        bodies = SearchDocument.objects.filter(entry__service_at_location_id__in=ids)
        by_id = {
            str(pk): body
            for pk, body in bodies.values_list("entry__service_at_location_id", "body")
        }
        return [by_id[str(i)] for i in ids]

    def test_a_service_no_longer_active_disappears_at_once(self) -> None:
        Service.objects.filter(pk=self.near.pk).update(status=ServiceStatus.INACTIVE)
        index.rebuild_search_index([self.near.id], now=NOW)
        self.assertEqual(names(near_springfield()), [])
        self.assertEqual(search_services(near_springfield()).total_items, 0)
        self.write.assert_not_called()

    def test_a_deleted_service_disappears_at_once(self) -> None:
        # A cascade renews the version without a log entry: the file is written again.
        Service.objects.get(pk=self.near.pk).delete()
        self.assertEqual(search_services(near_springfield()).total_items, 0)
        self.write.assert_called_once()

    def test_a_change_logs_what_it_removed_and_added(self) -> None:
        previous = version.read_version()
        before = self.entries(self.near)
        index.rebuild_search_index([self.near.id], now=NOW)
        current = version.read_version()
        self.assertEqual(changes.chain(previous, current), [current])
        found = changes.since(previous, current)
        self.assertEqual(
            found, changes.Changes(frozenset(before), frozenset(self.entries(self.near)))
        )
        self.assertIsNone(changes.since("not a version of this index", current))

    def test_a_full_rebuild_empties_the_log(self) -> None:
        index.rebuild_search_index([self.near.id], now=NOW)
        self.assertTrue(IndexChange.objects.exists())
        index.rebuild_search_index(now=NOW)
        self.assertFalse(IndexChange.objects.exists())

    def test_too_many_changes_write_the_file_again(self) -> None:
        index.rebuild_search_index([self.near.id], now=NOW)
        with mock.patch.object(changes, "MAX_OVERLAY", 1):
            self.assertEqual(names(near_springfield()), ["Near Counselling"])
        self.write.assert_called_once()

    def entries(self, service: Service) -> list[int]:
        return list(
            SearchEntry.objects.filter(service=service).order_by("pk").values_list("pk", flat=True)
        )


class SameAnswerWithChangesTests(TestCase):
    """The equivalence test of test_nearby, with an overlay of several logged changes of
    every kind under the file."""

    postcodes: list[str]
    taxonomies: list[UUID]

    @classmethod
    def setUpTestData(cls) -> None:
        do_load_demo(now=NOW)
        cls.postcodes = sorted(set(Address.objects.values_list("postal_code", flat=True)))
        cls.taxonomies = sorted(Taxonomy.objects.values_list("id", flat=True))

    def change_some_services(self, rng: random.Random) -> None:
        services = list(Service.objects.order_by("id"))
        for service in rng.sample(services, 12):
            roll = rng.random()
            if roll < 0.25:
                Service.objects.filter(pk=service.pk).update(name=f"Zz {service.name}")
            elif roll < 0.5:
                Service.objects.filter(pk=service.pk).update(status=ServiceStatus.INACTIVE)
            elif roll < 0.75:
                service.cost_options.all().delete()
            else:
                for sal in service.service_at_locations.select_related("location"):
                    location = sal.location
                    location.latitude = (location.latitude or 40.0) + rng.uniform(-1, 1)
                    location.save(update_fields=["latitude"])
            index.rebuild_search_index([service.id], now=NOW)
        added = f.make_service("Added Nearby", types=("legal-advice", "counselling"))
        f.place(added, f.make_location(point=(39.79, -89.64)))
        index.rebuild_search_index([added.id], now=NOW)

    def test_every_place_search_answers_as_the_database_does(self) -> None:
        rng = random.Random(20261202)
        nearby.forget()
        search_services(SearchParams(postcode=self.postcodes[0], now=NOW))  # the file
        with mock.patch.object(searchfile, "write", wraps=searchfile.write) as write:
            self.change_some_services(rng)
            found_something = 0
            for n in range(300):
                params = random_params(rng, self.postcodes, self.taxonomies)
                with self.subTest(n=n, params=asdict(params)):
                    in_memory = summary(search_services(params))
                    self.assertEqual(in_memory, summary(search_in_database(params)))
                    found_something += in_memory["total"] > 0
        write.assert_not_called()  # every answer came through the overlay
        snapshot = nearby.current()
        assert snapshot is not None
        self.assertGreater(len(snapshot.overlay), 5)
        self.assertGreater(len(snapshot.removed), 5)
        self.assertGreater(found_something, 90, found_something)

    def test_every_nationwide_text_search_counts_in_the_file_as_the_database_does(self) -> None:
        rng = random.Random(20261203)
        nearby.forget()
        search_services(SearchParams(postcode=self.postcodes[0], now=NOW))  # the file
        self.change_some_services(rng)
        texts = [*TEXTS, "legal advice", "coun group", "ma legal", "zz coun", "added nearby"]
        full_text = mock.patch.object(tiers.Counts, "every", wraps=tiers.Counts().every)
        found_something = 0
        for text in texts:
            for sort, page in (("relevance", 1), ("relevance", 2), ("name", 1)):
                params = SearchParams(text=text, sort=sort, page=page, per_page=3, now=NOW)
                with self.subTest(text=text, sort=sort, page=page), full_text as counted:
                    from_file = summary(search_services(params))
                    counted.assert_not_called()  # the file's word lists counted
                    self.assertEqual(from_file, summary(search_in_database(params)))
                    found_something += from_file["total"] > 0
        snapshot = nearby.current()
        assert snapshot is not None
        self.assertGreater(len(snapshot.overlay), 5)
        self.assertGreater(found_something, 20, found_something)


CHILD = """
import json, sys
import django
django.setup()
from mend.search import nearby, searchfile
from mend.search.codes import Codes
from mend.search.gazetteer import Circle
mapped = searchfile.open_file()
wanted = nearby.Wanted(Circle(float(sys.argv[1]), float(sys.argv[2]), 500.0), "IL", True,
                       Codes(), False, None)
found = sorted(m[0] for m in nearby.matches(nearby.Snapshot(mapped.version, mapped), wanted))
with open("/proc/self/maps") as maps:
    mapped_here = str(searchfile.path()) in maps.read()
print(json.dumps({"identity": list(mapped.identity), "version": mapped.version,
                  "found": found, "mapped": mapped_here}))
"""


class TwoProcessTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        do_load_demo(now=NOW)

    def test_two_processes_map_the_same_file_and_find_the_same_entries(self) -> None:
        nearby.forget()
        search_services(near_springfield())
        snapshot = nearby.current()
        assert snapshot is not None
        latitude, longitude = 39.78, -89.65
        wanted = nearby.Wanted(Circle(latitude, longitude, 500.0), "IL", True, Codes(), False, None)
        here = sorted(m[0] for m in nearby.matches(snapshot, wanted))
        self.assertGreater(len(here), 5)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "mend.settings_test",
            "MEND_ENV": "test",
            "SEARCH_FILE_DIR": str(settings.SEARCH_FILE_DIR),
        }
        child = subprocess.run(
            [sys.executable, "-c", CHILD, str(latitude), str(longitude)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        there = json.loads(child.stdout.strip().splitlines()[-1])
        self.assertEqual(tuple(there["identity"]), snapshot.file.identity)  # the same inode
        self.assertEqual(there["version"], snapshot.version)
        self.assertEqual(there["found"], here)
        self.assertTrue(there["mapped"])
        with open("/proc/self/maps") as maps:
            self.assertIn(str(searchfile.path()), maps.read())
        self.assertIsInstance(UUID(snapshot.version), UUID)
