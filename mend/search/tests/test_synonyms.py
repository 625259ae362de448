"""Words survivors use find the services that help (mend/search/data/synonyms.json)."""

from __future__ import annotations

import json

from django.test import TestCase

from mend.search import index, synonyms
from mend.search.params import SearchParams
from mend.search.query import search_services
from mend.search.tests import factories as f
from mend.test import NOW


class VocabularyTests(TestCase):
    def test_the_shipped_vocabulary_has_no_problems(self) -> None:
        data = json.loads(synonyms.FILE.read_text(encoding="utf-8"))
        self.assertEqual(synonyms.problems(data), [])

    def test_it_names_each_problem(self) -> None:
        data = {"therapy": {"en": ["x"]}, "counselling": {"en": ["the"], "es": []}}
        self.assertEqual(
            synonyms.problems(data),
            [
                "therapy: not a Mend taxonomy code",
                "counselling: 'the' has no word to search for",
                "counselling: no es words",
            ],
        )


class SurvivorsWordsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        f.place(f.make_service("Listening Counselling", types=("counselling",)))
        f.place(f.make_service("Exam Room", types=("forensic-medical-exam",)))
        f.place(f.make_service("Rights Desk", types=("legal-advice",)))
        index.rebuild_search_index(now=NOW)

    def names(self, words: str) -> list[str]:
        result = search_services(SearchParams(text=words, sort="name", now=NOW))
        return [hit.entry.service.name for hit in result.hits]

    def test_everyday_words_find_the_services_that_help(self) -> None:
        self.assertEqual(self.names("rape"), ["Exam Room", "Listening Counselling"])
        self.assertEqual(self.names("therapy"), ["Listening Counselling"])
        self.assertEqual(self.names("rape kit"), ["Exam Room"])
        self.assertEqual(self.names("lawyer"), ["Rights Desk"])

    def test_spanish_words_do_too(self) -> None:
        self.assertEqual(self.names("terapia"), ["Listening Counselling"])
        self.assertEqual(self.names("violación"), ["Exam Room", "Listening Counselling"])
        self.assertEqual(self.names("abogada"), ["Rights Desk"])
