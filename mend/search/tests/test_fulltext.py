"""Text search by the databases' own full-text indexes (mend.search.fulltext, ADR 0017):
the same words rule as before, the same answer from the in-memory path, and rows that
follow every rebuild and delete."""

from __future__ import annotations

import importlib
import random
from dataclasses import asdict, replace
from types import SimpleNamespace
from typing import Any
from unittest import mock
from uuid import UUID

from django.db import connection
from django.test import TestCase

from mend.directory.actions import do_load_demo
from mend.directory.models import Address, Taxonomy
from mend.search import database, fulltext, index
from mend.search.models import SearchEntry, SearchText
from mend.search.params import Resolved, SearchParams, resolve
from mend.search.query import search_in_database, search_services
from mend.search.tests import factories as f
from mend.search.tests.test_nearby import random_params, summary
from mend.test import NOW


def matches(word: str, token: str) -> bool:
    """The rule the token table kept (ADR 0003): three letters or more match as a prefix,
    a shorter word only itself."""
    return token.startswith(word) if len(word) >= 3 else token == word


def stored_words() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term FROM {fulltext.WORDS}")  # noqa: S608
        return {row[0] for row in cursor.fetchall()}


def vocabulary() -> set[str]:
    """Every word the full-text table holds, from FTS5 itself."""
    with connection.cursor() as cursor:
        cursor.execute(fulltext.VOCABULARY)
        cursor.execute("SELECT term FROM temp.search_vocabulary")
        words = {row[0] for row in cursor.fetchall()}
        cursor.execute("DROP TABLE temp.search_vocabulary")
    return words


def ids(r: Resolved) -> set[int]:
    return set(database.filtered(r).values_list("pk", flat=True))


def random_text(rng: random.Random, vocabulary: list[str]) -> str:
    """One to three words: whole stored words, their prefixes (short ones too), and
    words found nowhere."""
    parts = []
    for _ in range(rng.choice((1, 1, 2, 3))):
        word = rng.choice(vocabulary)
        roll = rng.random()
        if roll < 0.4:
            word = word[: rng.randint(1, len(word))]
        elif roll < 0.5:
            word = rng.choice(("zzq", "qx", "a1", "9"))
        parts.append(word)
    return " ".join(parts)


class WordRuleTests(TestCase):
    """Every text search finds exactly the entries whose stored words satisfy the rule,
    whether the full-text index drives (nationwide) or each row checks itself (near a
    place)."""

    postcodes: list[str]
    taxonomies: list[UUID]
    stored: dict[int, set[str]]

    @classmethod
    def setUpTestData(cls) -> None:
        do_load_demo(now=NOW)
        cls.postcodes = sorted(set(Address.objects.values_list("postal_code", flat=True)))
        cls.taxonomies = sorted(Taxonomy.objects.values_list("id", flat=True))
        cls.stored = {
            pk: fulltext.stored_words(pk) for pk in SearchEntry.objects.values_list("pk", flat=True)
        }

    def having(self, r: Resolved, among: set[int]) -> set[int]:
        return {
            pk for pk in among if all(any(matches(w, t) for t in self.stored[pk]) for w in r.words)
        }

    def test_every_entry_has_its_words_stored(self) -> None:
        self.assertEqual(SearchText.objects.count(), SearchEntry.objects.count())
        self.assertTrue(all(self.stored.values()))

    def test_every_text_search_finds_what_the_word_rule_finds(self) -> None:
        rng = random.Random(17)
        vocabulary = sorted(set().union(*self.stored.values()))
        everything = set(self.stored)
        for n in range(150):
            text = random_text(rng, vocabulary)
            nationwide = resolve(SearchParams(text=text, now=NOW))
            near = resolve(
                SearchParams(text=text, postcode=rng.choice(self.postcodes), radius_km=100, now=NOW)
            )
            around = ids(replace(near, words=()))
            with self.subTest(n=n, text=text):
                expected = self.having(nationwide, everything)
                self.assertEqual(ids(nationwide), expected)
                self.assertEqual(database.search(nationwide).total_items, len(expected))
                self.assertEqual(ids(near), self.having(near, around))

    def test_every_text_search_near_a_place_answers_as_the_database_does(self) -> None:
        rng = random.Random(20261202)
        vocabulary = sorted(set().union(*self.stored.values()))
        found_something = 0
        for n in range(300):
            params = random_params(rng, self.postcodes, self.taxonomies)
            params = replace(params, text=random_text(rng, vocabulary))
            if rng.random() < 0.6:  # words alone near a place: more searches find something
                params = replace(params, radius_km=500.0, **UNFILTERED)
            with self.subTest(n=n, params=asdict(params)):
                in_memory = summary(search_services(params))
                self.assertEqual(in_memory, summary(search_in_database(params)))
                found_something += in_memory["total"] > 0
        self.assertGreater(found_something, 60, found_something)


UNFILTERED: dict[str, Any] = {
    "types": (),
    "eligibility": (),
    "accessibility": (),
    "languages": (),
    "taxonomy_term_ids": (),
    "taxonomy_ids": (),
    "free": False,
    "open_now": False,
}


def names(text: str) -> list[str]:
    result = search_in_database(SearchParams(text=text, now=NOW, sort="name"))
    return [hit.entry.service.name for hit in result.hits]


class UpkeepTests(TestCase):
    """The full-text rows follow the entries: written with them, renewed by a partial
    rebuild, deleted with them (ADR 0010's cascades)."""

    def test_the_words_live_in_the_databases_own_full_text_index(self) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [fulltext.TABLE])
                self.assertIn("USING fts5(", cursor.fetchone()[0])
            else:
                cursor.execute(
                    "SELECT indexdef FROM pg_indexes WHERE tablename = %s", [fulltext.TABLE]
                )
                definitions = " ".join(row[0] for row in cursor.fetchall())
                self.assertIn("USING gin (words)", definitions)

    def test_a_short_word_finds_only_itself_and_a_longer_one_every_word_it_starts(self) -> None:
        f.place(f.make_service("Abogados Unidos", description="Legal help."))
        f.place(f.make_service("Ab Clinic", description="Named for its founder."))
        index.rebuild_search_index(now=NOW)
        self.assertEqual(names("ab"), ["Ab Clinic"])
        self.assertEqual(names("abo"), ["Abogados Unidos"])
        self.assertEqual(names("abogados legal"), ["Abogados Unidos"])
        self.assertEqual(names("abogados founder"), [])

    def test_a_prefix_of_a_few_stored_words_is_asked_as_those_words_and_finds_the_same(
        self,
    ) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("FTS5 only: PostgreSQL asks a tsquery prefix as it is")
        for name in ("Harbor House", "Harborview Clinic", "Hartford Line"):
            f.place(f.make_service(name))
        index.rebuild_search_index(now=NOW)
        self.assertEqual(fulltext.fts5_prefix("harbor"), '("harbor" OR "harborview")')
        self.assertEqual(fulltext.fts5_prefix("harborv"), '"harborview"')
        self.assertEqual(fulltext.fts5_prefix("_harborv"), '"_harborview"')
        self.assertEqual(fulltext.fts5_prefix("zzq"), '"zzq"')  # no stored word: none found
        with mock.patch.object(fulltext, "PREFIX_WORDS", 1):
            self.assertEqual(fulltext.fts5_prefix("harbor"), '"harbor"*')
            self.assertEqual(names("harbor"), ["Harbor House", "Harborview Clinic"])
        self.assertEqual(names("harbor"), ["Harbor House", "Harborview Clinic"])
        self.assertEqual(names("har"), ["Harbor House", "Harborview Clinic", "Hartford Line"])
        self.assertEqual(names("zzq"), [])

    def test_a_word_an_edit_stores_is_found_by_its_prefix_and_a_full_rebuild_forgets_gone_words(
        self,
    ) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("FTS5 only: the stored words are SQLite's")
        harbor = f.make_service("Harbor House")
        f.place(harbor)
        index.rebuild_search_index(now=NOW)
        self.assertEqual(fulltext.fts5_prefix("harb"), '"harbor"')
        harbor.name = "Harborview House"
        harbor.save(update_fields=["name"])
        index.rebuild_search_index([harbor.id], now=NOW)
        # The edit's new word is found at once; the old one stays until a full rebuild.
        self.assertEqual(fulltext.fts5_prefix("harb"), '("harbor" OR "harborview")')
        self.assertEqual(names("harb"), ["Harborview House"])
        index.rebuild_search_index(now=NOW)
        self.assertEqual(fulltext.fts5_prefix("harb"), '"harborview"')
        self.assertEqual(stored_words(), vocabulary())

    def test_missing_stored_words_are_made_from_the_full_text_table(self) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("FTS5 only: the stored words are SQLite's")
        for name in ("Harbor House", "Willow Clinic"):
            f.place(f.make_service(name))
        index.rebuild_search_index(now=NOW)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {fulltext.WORDS}")
        fulltext.ensure_words(connection)
        self.assertIn("_willow", stored_words())
        self.assertEqual(stored_words(), vocabulary())
        fulltext.ensure_words(connection)  # already made: left as it is
        self.assertEqual(names("wil"), ["Willow Clinic"])

    def test_a_partial_rebuild_renews_the_words_of_its_services_only(self) -> None:
        harbor = f.make_service("Harbor House")
        f.place(harbor)
        f.place(f.make_service("Harbor Line"))
        index.rebuild_search_index(now=NOW)
        harbor.name = "Lighthouse"
        harbor.save(update_fields=["name"])
        index.rebuild_search_index([harbor.id], now=NOW)
        self.assertEqual(names("harbor"), ["Harbor Line"])
        self.assertEqual(names("lighthouse"), ["Lighthouse"])
        self.assertEqual(SearchText.objects.count(), SearchEntry.objects.count())

    def test_a_full_rebuild_leaves_one_row_per_entry(self) -> None:
        f.place(f.make_service("Harbor House"))
        index.rebuild_search_index(now=NOW)
        index.rebuild_search_index(now=NOW)
        self.assertEqual(SearchText.objects.count(), 1)
        self.assertEqual(names("harbor"), ["Harbor House"])

    def test_a_deleted_service_location_or_organisation_leaves_no_words(self) -> None:
        gone_service = f.make_service("Ferry Service")
        f.place(gone_service)
        gone_location = f.make_location(city="Decatur")
        f.place(f.make_service("Willow Place"), gone_location)
        gone_organisation = f.make_organization("Cedar Trust")
        f.place(f.make_service("Cedar Room", organization=gone_organisation))
        f.place(f.make_service("Stays Here"))
        index.rebuild_search_index(now=NOW)
        self.assertEqual(SearchText.objects.count(), 4)
        gone_service.delete()
        gone_location.delete()
        gone_organisation.delete()
        self.assertEqual(SearchText.objects.count(), 1)
        self.assertEqual(SearchText.objects.get().pk, SearchEntry.objects.get().pk)
        for word in ("ferry", "willow", "cedar"):
            self.assertEqual(fulltext.count_matching((word,)), 0, word)
        self.assertEqual(names("stays"), ["Stays Here"])


def entry_of(service_name: str) -> SearchEntry:
    return SearchEntry.objects.get(service__name=service_name)


def cell_word(y: int, x: int) -> str:
    return f"__{(y + 2048) * 4096 + (x + 2048)}"


def place_words(pk: int) -> list[str]:
    """The place words (migration 0009's) stored for entry ``pk``."""
    return [word for word in fulltext._stored(pk) if word.startswith("__")]


class PlaceWordMigrationTests(TestCase):
    """Migration 0009 stored each entry's place as one more word; 0011 takes it out (the
    search file's word lists answer text near a place, ADR 0018 addendum 2)."""

    def setUp(self) -> None:
        f.place(f.make_service("Corner Clinic"), f.make_location(point=(39.75, -89.5)))
        f.place(f.make_service("Edge Clinic"), f.make_location(point=(39.7499, -89.5001)))
        f.hotline("Night Line")
        index.rebuild_search_index(now=NOW)

    def test_a_rebuild_stores_no_place_word(self) -> None:
        for entry in SearchEntry.objects.all():
            self.assertEqual(place_words(entry.pk), [], entry.service.name)
        self.assertGreater(len(fulltext.stored_words(entry_of("Night Line").pk)), 0)

    def test_the_migration_takes_out_the_place_words_an_older_index_holds_and_back_puts_them_in(
        self,
    ) -> None:
        older = importlib.import_module("mend.search.migrations.0009_place_words")
        migration = importlib.import_module("mend.search.migrations.0011_no_place_words")
        editor: Any = SimpleNamespace(connection=connection)
        built = dict(SearchText.objects.values_list("pk", "words"))
        older.add_places(None, editor)  # an index made before 0011
        self.assertEqual(place_words(entry_of("Night Line").pk), ["__remote"])
        self.assertEqual(place_words(entry_of("Corner Clinic").pk), [cell_word(159, -358)])
        migration.remove_places(None, editor)
        self.assertEqual(dict(SearchText.objects.values_list("pk", "words")), built)
        if connection.vendor == "sqlite":
            self.assertEqual(stored_words(), vocabulary())
        self.assertEqual(names("clinic"), ["Corner Clinic", "Edge Clinic"])
        migration.add_places(None, editor)
        self.assertEqual(place_words(entry_of("Edge Clinic").pk), [cell_word(158, -359)])
