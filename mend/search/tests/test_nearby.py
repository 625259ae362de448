"""Place searches answered from a process's copy of the index (mend.search.nearby) give
exactly what the database gives, and never an older answer than the database holds."""

from __future__ import annotations

import json
import random
from dataclasses import asdict, replace
from typing import Any
from unittest import mock
from uuid import UUID

from django.db import DatabaseError, connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from ninja.responses import NinjaJSONEncoder

from mend.directory import taxonomy
from mend.directory.actions import do_load_demo
from mend.directory.models import Address, ServiceAtLocation, Taxonomy
from mend.search import fulltext, gather, hsds, index, nearby, query, searchfile, version
from mend.search.models import SearchDocument, SearchEntry
from mend.search.params import SearchParams
from mend.search.query import search_in_database, search_services
from mend.search.results import SearchResult
from mend.search.tests import factories as f
from mend.test import NOW, BaseTestCase

WORDS = ("", "", "", "counseling", "legal", "crisis line", "abogado", "coun", "group", "ma")
TEXTS = tuple(word for word in WORDS if word)
LANGUAGES = ("en", "es", "fr", "zh", "vi", "ar")


def random_params(rng: random.Random, postcodes: list[str], taxonomies: list[UUID]) -> SearchParams:
    terms = sorted(gather.TERMS_BY_ID)

    def some(codes: list[str], most: int) -> tuple[str, ...]:
        return tuple(rng.sample(codes, rng.randint(0, most)))

    return SearchParams(
        postcode=rng.choice(postcodes),
        radius_km=rng.choice((10.0, 40.0, 100.0, 500.0)),
        text=rng.choice(WORDS),
        types=some([t.code for t in taxonomy.SERVICE_TYPES], 3) if rng.random() < 0.5 else (),
        free=rng.random() < 0.3,
        languages=some(list(LANGUAGES), 1) if rng.random() < 0.3 else (),
        eligibility=some([t.code for t in taxonomy.ELIGIBILITIES], 1) if rng.random() < 0.2 else (),
        accessibility=(
            some([t.code for t in taxonomy.ACCESSIBILITY_FEATURES], 1) if rng.random() < 0.2 else ()
        ),
        taxonomy_term_ids=tuple(rng.sample(terms, 1)) if rng.random() < 0.15 else (),
        # Handed to the database (the copy has no attached terms): the same answer.
        taxonomy_ids=tuple(rng.sample(taxonomies, 1)) if rng.random() < 0.1 else (),
        open_now=rng.random() < 0.3,
        include_remote=rng.random() < 0.5,
        sort=rng.choice(("", "distance", "relevance", "name")),
        page=rng.choice((1, 1, 2)),
        per_page=rng.choice((5, 20)),
        now=NOW,
    )


def summary(result: SearchResult) -> dict[str, Any]:
    return {
        "total": result.total_items,
        "entries": result.entry_ids,
        "hits": [
            (hit.entry.pk, hit.distance_km, hit.open_now, hit.types, hit.languages)
            for hit in result.hits
        ],
    }


class SameAnswerTests(TestCase):
    postcodes: list[str]
    taxonomies: list[UUID]

    @classmethod
    def setUpTestData(cls) -> None:
        do_load_demo(now=NOW)
        cls.postcodes = sorted(set(Address.objects.values_list("postal_code", flat=True)))
        cls.taxonomies = sorted(Taxonomy.objects.values_list("id", flat=True))

    def test_every_place_search_answers_as_the_database_does(self) -> None:
        rng = random.Random(20261123)
        found_something = 0
        for n in range(400):
            params = random_params(rng, self.postcodes, self.taxonomies)
            with self.subTest(n=n, params=asdict(params)):
                in_memory = summary(search_services(params))
                self.assertEqual(in_memory, summary(search_in_database(params)))
                found_something += in_memory["total"] > 0
        # The comparison means something only if many searches find services.
        self.assertGreater(found_something, 120, found_something)

    def test_a_place_search_without_words_costs_one_query(self) -> None:
        params = SearchParams(postcode=self.postcodes[0], radius_km=100, with_hits=False)
        search_services(params)  # this process copies the index once
        with CaptureQueriesContext(connection) as queries:
            result = search_services(params)
        self.assertGreater(result.total_items, 0)
        self.assertEqual(len(queries), 1, [q["sql"] for q in queries])

    def test_text_near_a_place_is_checked_in_the_files_word_lists_without_a_full_text_question(
        self,
    ) -> None:
        params = SearchParams(postcode=self.postcodes[0], radius_km=100, text="coun", now=NOW)
        search_services(params)  # this process maps the file once
        with (
            mock.patch.object(fulltext, "having_words") as each_entry,
            mock.patch.object(query, "_search_database", wraps=query._search_database) as spy,
            CaptureQueriesContext(connection) as queries,
        ):
            result = search_services(params)
        spy.assert_not_called()
        each_entry.assert_not_called()  # nothing changed since the file was written
        self.assertFalse([q for q in queries if "search_searchtext" in q["sql"]], queries)
        self.assertGreater(result.total_items, 1)
        self.assertEqual(summary(result), summary(search_in_database(params)))

    def test_every_place_search_with_words_answers_as_the_database(self) -> None:
        rng = random.Random(20261202)
        found_something = 0
        for n in range(300):
            params = replace(
                random_params(rng, self.postcodes, self.taxonomies), text=rng.choice(TEXTS)
            )
            with self.subTest(n=n):
                in_memory = summary(search_services(params))
                self.assertEqual(in_memory, summary(search_in_database(params)), asdict(params))
                found_something += in_memory["total"] > 0
        self.assertGreater(found_something, 50, found_something)


class FreshnessTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        f.place(f.make_service("Near Counselling"))
        index.rebuild_search_index(now=NOW)

    def names(self) -> list[str]:
        params = SearchParams(postcode="62701", radius_km=20, include_remote=False, now=NOW)
        return [hit.entry.service.name for hit in search_services(params).hits]

    def test_an_edit_shows_in_the_next_search(self) -> None:
        self.assertEqual(self.names(), ["Near Counselling"])
        added = f.make_service("Also Near")
        f.place(added, f.make_location(point=(39.79, -89.64)))
        self.assertEqual(self.names(), ["Near Counselling"])  # not indexed yet
        index.rebuild_search_index([added.id], now=NOW)
        self.assertEqual(self.names(), ["Also Near", "Near Counselling"])

    def api_names(self) -> list[str]:
        url = "/api/v1/hsds/service_at_locations?postcode=62701&proximity=20000"
        r = self.client.get(url)
        self.assertEqual(r.status_code, 200)
        return [item["service"]["name"] for item in r.json()["contents"]]

    def test_an_api_page_near_a_place_costs_one_query(self) -> None:
        self.assertEqual(self.api_names(), ["Near Counselling"])  # the copy is loaded
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.api_names(), ["Near Counselling"])
        self.assertEqual(len(queries), 1, [q["sql"] for q in queries])
        self.assertIn("search_indexversion", queries[0]["sql"])  # the check rides along

    def test_the_api_never_answers_from_a_copy_older_than_the_database(self) -> None:
        self.assertEqual(self.api_names(), ["Near Counselling"])
        added = f.make_service("Also Near")
        f.place(added, f.make_location(point=(39.79, -89.64)))
        index.rebuild_search_index(
            [added.id], now=NOW
        )  # as another process would: this copy is stale
        self.assertEqual(self.api_names(), ["Also Near", "Near Counselling"])

    def test_every_write_to_the_index_sets_a_new_version(self) -> None:
        before = version.read_version()
        index.rebuild_search_index(now=NOW)
        self.assertNotEqual(version.read_version(), before)
        self.assertEqual(len(version.read_version()), 32)

    def test_a_process_maps_the_search_file_when_it_starts(self) -> None:
        nearby.forget()
        nearby.warm()
        with (
            mock.patch.object(searchfile, "open_file", side_effect=AssertionError("mapped again")),
            mock.patch.object(searchfile, "write", side_effect=AssertionError("written again")),
        ):
            self.assertEqual(self.names(), ["Near Counselling"])

    def test_a_process_starts_even_if_the_index_cannot_be_read(self) -> None:
        nearby.forget()
        broken = mock.patch.object(version, "read_version", side_effect=DatabaseError("down"))
        with broken, self.assertLogs("mend.search.nearby", "WARNING"):
            nearby.warm()
        self.assertEqual(self.names(), ["Near Counselling"])

    def test_a_deleted_service_location_or_organisation_leaves_the_next_search(self) -> None:
        # Each delete cascades to the index; the in-memory copy must notice (it used to
        # count two results and show one).
        def searched() -> tuple[int, list[str]]:
            params = SearchParams(postcode="62701", radius_km=20, include_remote=False, now=NOW)
            result = search_services(params)
            return result.total_items, [hit.entry.service.name for hit in result.hits]

        services = []
        for name in ("Service Gone", "Location Gone", "Organisation Gone"):
            service = f.make_service(name, organization=f.make_organization(name))
            f.place(service, f.make_location(point=(39.79, -89.64)))
            index.rebuild_search_index([service.id], now=NOW)
            services.append(service)
        self.assertEqual(searched()[0], 4)
        first, second, third = services
        doomed = (first, second.service_at_locations.get().location, third.organization)
        for left, record in zip((3, 2, 1), doomed, strict=True):
            record.delete()
            total, names = searched()
            self.assertEqual((total, len(names)), (left, left), record)
        self.assertEqual(searched(), (1, ["Near Counselling"]))

    def test_an_entry_deleted_behind_the_copy_is_left_out_not_an_error(self) -> None:
        self.assertEqual(self.names(), ["Near Counselling"])
        SearchEntry.objects.all().delete()  # as a cascade would, without a new version
        self.assertEqual(self.names(), [])


class StoredDocumentTests(BaseTestCase):
    """/service_at_locations sends each item as the indexer stored it: exactly what the
    schema makes of the records now, hidden addresses withheld."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        do_load_demo(now=NOW)

    def rendered_now(self, sal_id: str) -> dict[str, Any]:
        sal = ServiceAtLocation.objects.select_related("location", "service__organization").get(
            id=sal_id
        )
        out = hsds.ServiceAtLocationListOut.model_validate(sal).model_dump(exclude_none=True)
        return json.loads(json.dumps(out, cls=NinjaJSONEncoder))  # type: ignore[no-any-return]

    def all_items(self) -> list[dict[str, Any]]:
        r = self.client.get("/api/v1/hsds/service_at_locations", {"per_page": 100})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "application/json; charset=utf-8")
        body = r.json()
        self.assertEqual(body["size"], len(body["contents"]))
        return body["contents"]  # type: ignore[no-any-return]

    def test_each_item_is_what_the_schema_gives_for_the_records(self) -> None:
        items = self.all_items()
        located = SearchEntry.objects.filter(remote=False, service_at_location__isnull=False)
        self.assertEqual(len(items), located.count())
        self.assertGreater(len(items), 50)
        for item in items:
            with self.subTest(name=item["service"]["name"]):
                self.assertEqual(item, self.rendered_now(item["id"]))

    def test_an_index_without_documents_still_gives_every_item(self) -> None:
        before = self.all_items()
        SearchDocument.objects.all().delete()  # an index built before documents existed
        self.assertEqual(self.all_items(), before)
