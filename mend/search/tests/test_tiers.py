"""A nationwide text search by relevance, paged tier by tier from the full-text index
(mend.search.tiers, ADR 0017), gives the same entries in the same order with the same
total as scoring and sorting every match did."""

from __future__ import annotations

import random
from dataclasses import replace
from unittest import mock

from django.test import TestCase

from mend.directory.actions import do_load_demo
from mend.search import database, fulltext, index, tiers
from mend.search.models import SearchEntry
from mend.search.params import Resolved, SearchParams, resolve
from mend.search.query import search_in_database
from mend.search.tests import factories as f
from mend.test import NOW


def old_order(r: Resolved) -> list[int]:
    """Every match, scored and sorted by the database as before the tiers."""
    qs = database.filtered(r).annotate(score=database.relevance(r.words))
    return list(qs.order_by(*database.ordering(r)).values_list("pk", flat=True))


def random_words(
    rng: random.Random, entry: tuple[list[str], list[str]], vocabulary: list[str]
) -> str:
    """One to four words, most of one entry's (so that searches find something and
    several tiers fill): its title words, its other words, their prefixes (one- and
    two-letter ones too), now and then any stored word or a word found nowhere."""
    title, others = entry
    parts = []
    for _ in range(rng.choice((1, 2, 2, 3, 3, 4))):
        roll = rng.random()
        word = rng.choice(title if roll < 0.5 else others if roll < 0.9 else vocabulary)
        roll = rng.random()
        if roll < 0.35:
            word = word[: rng.randint(1, len(word))]
        elif roll < 0.4:
            word = rng.choice(("zzq", "qx", "9"))
        parts.append(word)
    return " ".join(parts)


WAYS: tuple[tuple[tiers.How | None, int], ...] = (
    ("scan", 0),
    ("walk", 0),
    ("sort", 0),
    (None, 3),
    (None, 4000),
)


class SameOrderTests(TestCase):
    entries: list[tuple[list[str], list[str]]]
    vocabulary: list[str]

    @classmethod
    def setUpTestData(cls) -> None:
        do_load_demo(now=NOW)
        pks = sorted(SearchEntry.objects.values_list("pk", flat=True))
        cls.entries = [
            (sorted(fulltext.stored_title_words(pk)), sorted(fulltext.stored_words(pk)))
            for pk in pks
        ]
        cls.vocabulary = sorted(set().union(*(set(words) for _, words in cls.entries)))

    def random_text(self, rng: random.Random) -> str:
        return random_words(rng, rng.choice(self.entries), self.vocabulary)

    def test_every_title_word_is_stored_marked_beside_the_words(self) -> None:
        for entry in SearchEntry.objects.all():
            title = set(entry.title_words.split())
            self.assertEqual(fulltext.stored_title_words(entry.pk), title)
            self.assertLessEqual(title, fulltext.stored_words(entry.pk))

    def test_the_first_second_and_last_pages_come_in_the_old_order_every_way(self) -> None:
        rng = random.Random(20261202)
        found_several_tiers = 0
        for n in range(120):
            text = self.random_text(rng)
            r = resolve(SearchParams(text=text, now=NOW))
            if not r.words:  # stopwords only: no text search, no tiers
                continue
            expected = old_order(r)
            per_page = rng.choice((1, 2, 3, 5))
            last = max(len(expected) - 1, 0) // per_page * per_page
            scores = set(
                database.filtered(r)
                .annotate(score=database.relevance(r.words))
                .values_list("score", flat=True)
            )
            found_several_tiers += len(scores) > 1
            # Small chunks and budgets, so that the demo's few entries take the scan
            # through several chunks, and the default way past its budget too.
            for how, budget in WAYS:
                for offset in (0, per_page, last):
                    with (
                        self.subTest(n=n, text=text, how=how, budget=budget, offset=offset),
                        mock.patch.object(tiers, "CHUNK", 2),
                        mock.patch.object(tiers, "SCAN_ROWS", budget),
                    ):
                        rows = tiers.page(r.words, offset, per_page, len(expected), how)
                        self.assertEqual(rows, expected[offset : offset + per_page])
        self.assertGreater(found_several_tiers, 8, found_several_tiers)

    def test_every_page_through_the_search_is_the_old_page_with_the_old_total(self) -> None:
        rng = random.Random(15)
        for n in range(100):
            r = resolve(SearchParams(text=self.random_text(rng), now=NOW))
            expected = old_order(r)
            pages = max(len(expected) - 1, 0) // 4 + 1
            for number in range(1, pages + 1):
                params = replace(r.params, page=number, per_page=4)
                with self.subTest(n=n, text=r.params.text, page=number):
                    result = database.search(resolve(params))
                    self.assertEqual(result.total_items, len(expected))
                    page = expected[(number - 1) * 4 : number * 4]
                    self.assertEqual(result.entry_ids, page)

    def test_five_words_or_more_go_the_old_way(self) -> None:
        self.assertTrue(tiers.can_answer(("a1", "b2", "c3", "d4")))
        self.assertFalse(tiers.can_answer(("a1", "b2", "c3", "d4", "e5")))

    def test_a_search_of_text_alone_by_relevance_pages_by_tiers_on_either_database(self) -> None:
        with mock.patch.object(database, "by_tiers", wraps=database.by_tiers) as by_tiers:
            database.search(resolve(SearchParams(text="legal", now=NOW)))
        by_tiers.assert_called_once()


class TitleWordTests(TestCase):
    def test_a_short_word_earns_title_points_for_a_title_word_it_starts_as_before(self) -> None:
        # "ab" matches only the stored word "ab" (in both descriptions), but earns title
        # points for "abogado" in one name: the relevance rule reads titles by prefix.
        # No service types: their words (and synonyms, "abuse") are title words too.
        titled = f.make_service("Zeta Abogado", types=(), description="An ab clinic.")
        plain = f.make_service("Clinic", types=(), description="An ab clinic.")
        f.place(titled)
        f.place(plain)
        index.rebuild_search_index(now=NOW)
        result = search_in_database(SearchParams(text="ab", now=NOW))
        self.assertEqual(result.total_items, 2)
        self.assertEqual([hit.entry.sort_name for hit in result.hits], ["zeta abogado", "clinic"])
