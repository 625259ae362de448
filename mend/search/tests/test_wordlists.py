"""The search file's word lists (mend.search.wordlists): each word's rows, as a bitmap or
a list, read back with the full-text index's meaning of a search's words."""

from __future__ import annotations

import random
from itertools import combinations
from types import SimpleNamespace
from typing import Any

from django.test import SimpleTestCase

from mend.search import fulltext, wordlists

VOCABULARY = ("legal", "legality", "leg", "le", "advice", "advocate", "ma", "map", "group")


def mapped(documents: list[list[str]]) -> Any:
    """What a SearchFile offers wordlists, made from these rows' words as the writer
    encodes them (entry ids 10, 20, 30, ...)."""
    builder = wordlists.Builder()
    for row, words in enumerate(documents):
        builder.add(row, words)
    encoded = builder.encoded(len(documents))
    return SimpleNamespace(
        size=len(documents),
        pk=[10 * (row + 1) for row in range(len(documents))],
        word_starts=memoryview(encoded.starts),
        word_postings=memoryview(encoded.postings_at),
        postings=memoryview(encoded.postings),
        word_blob=memoryview(encoded.blob),
        word_bits={},
    )


def rows(bits: int) -> set[int]:
    return {n for n in range(bits.bit_length()) if bits >> n & 1}


def has(words: list[str], query_word: str) -> bool:
    """The full-text index's meaning: a prefix from three letters, else the word."""
    if len(query_word) >= 3:
        return any(word.startswith(query_word) for word in words)
    return query_word in words


def random_documents(rng: random.Random, count: int) -> list[list[str]]:
    documents = []
    for _ in range(count):
        words = rng.sample(VOCABULARY, rng.randint(0, 4))
        title = rng.sample(words, rng.randint(0, len(words)))
        documents.append(sorted({*words, *(fulltext.TITLE_MARK + word for word in title)}))
    return documents


class WordListTests(SimpleTestCase):
    def test_a_word_in_one_row_in_32_is_a_bitmap_and_a_rarer_one_a_list(self) -> None:
        documents = [["common"] if row % 32 == 0 else [] for row in range(320)]
        documents[5].append("rare")
        documents[7].append("rare")
        f = mapped(documents)
        width = wordlists.bitmap_items(320)
        self.assertEqual(width, 10)
        self.assertEqual(list(f.postings[: width + 2]), [*f.postings[:width], 5, 7])
        self.assertEqual(
            rows(wordlists.rows_with(f, "common", prefix=False)), set(range(0, 320, 32))
        )
        self.assertEqual(rows(wordlists.rows_with(f, "rare", prefix=False)), {5, 7})
        self.assertEqual(wordlists.rows_with(f, "missing", prefix=True), 0)

    def test_a_prefix_joins_the_rows_of_its_common_and_rare_words(self) -> None:
        documents = [["legal"] if row % 4 == 0 else [] for row in range(320)]
        documents[1].append("legality")
        documents[3].append("legalese")
        documents[4].append("legalese")
        f = mapped(documents)
        self.assertEqual(f.word_postings[2] - f.word_postings[1], 2)  # "legalese": a list
        prefixed = rows(wordlists.rows_with(f, "legal", prefix=True))
        self.assertEqual(prefixed, set(range(0, 320, 4)) | {1, 3})
        self.assertEqual(rows(wordlists.rows_with(f, "legali", prefix=True)), {1})
        self.assertEqual(rows(wordlists.rows_with(f, "legal", prefix=False)), set(range(0, 320, 4)))

    def test_every_query_answers_as_the_full_text_index_would(self) -> None:
        rng = random.Random(20261203)
        documents = random_documents(rng, 400)
        f = mapped(documents)
        queries: list[tuple[str, ...]] = [(w,) for w in (*VOCABULARY, "adv", "gro", "m", "x")]
        queries += combinations(("leg", "adv", "ma", "group", "le"), 2)
        for words in queries:
            with self.subTest(words=words):
                expected = {n for n, doc in enumerate(documents) if all(has(doc, w) for w in words)}
                self.assertEqual(rows(wordlists.every_word(f, words)), expected)

    def test_each_tier_holds_the_rows_with_exactly_that_many_words_in_the_title(self) -> None:
        rng = random.Random(20261204)
        documents = random_documents(rng, 400)
        f = mapped(documents)
        for words in [("leg",), ("le", "advice"), ("ma", "adv", "group")]:
            matching = [n for n, doc in enumerate(documents) if all(has(doc, w) for w in words)]
            for titled in range(len(words) + 1):
                with self.subTest(words=words, titled=titled):
                    expected = {
                        n
                        for n in matching
                        if sum(
                            any(
                                word.startswith(fulltext.TITLE_MARK + query_word)
                                for word in documents[n]
                            )
                            for query_word in words
                        )
                        == titled
                    }
                    self.assertEqual(rows(wordlists.in_tier(f, words, titled)), expected)
            tiers = [rows(wordlists.in_tier(f, words, k)) for k in range(len(words) + 1)]
            self.assertEqual(set().union(*tiers), set(matching))
            self.assertGreater(len(matching), 3, words)

    def test_rows_of_removed_entries_are_taken_out_and_others_ignored(self) -> None:
        f = mapped([["legal"]] * 40)
        every = wordlists.every_word(f, ("legal",))
        self.assertEqual(every.bit_count(), 40)
        left = wordlists.without(every, f, [10, 30, 35, 4000])  # 35, 4000: no such entries
        self.assertEqual(rows(left), set(range(40)) - {0, 2})

    def test_a_row_is_tested_against_a_set_of_rows_by_its_bit(self) -> None:
        f = mapped([["a"]] * 70)
        test = wordlists.tester((1 << 3) | (1 << 69), f)
        self.assertEqual([n for n in range(70) if test(n)], [3, 69])

    def test_the_memo_keeps_at_most_its_size_of_words(self) -> None:
        f = mapped([[f"w{n:03d}"] for n in range(100)])
        for n in range(100):
            self.assertEqual(rows(wordlists.rows_with(f, f"w{n:03d}", prefix=False)), {n})
        self.assertEqual(len(f.word_bits), 100 % wordlists.MEMO_SIZE)  # emptied when full
