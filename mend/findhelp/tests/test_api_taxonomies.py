"""GET /api/v1/hsds/taxonomies and /taxonomy_terms (the Mend taxonomy)."""

from __future__ import annotations

from mend.directory import taxonomy
from mend.directory.models import Taxonomy
from mend.directory.tests.hsds_schema import PAGE_FIELDS, problems
from mend.search.tests import factories as f
from mend.test import BaseTestCase


class TaxonomiesTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for term in taxonomy.ALL_TERMS:
            f.term_row(term)

    def test_it_lists_the_taxonomies(self) -> None:
        r = self.client.get("/api/v1/hsds/taxonomies")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(set(r.json()), PAGE_FIELDS)
        names = [t["name"] for t in r.json()["contents"]]
        self.assertEqual(
            names, [taxonomy.ACCESSIBILITY, taxonomy.ELIGIBILITY, taxonomy.SERVICE_TYPE]
        )
        for item in r.json()["contents"]:
            self.assertEqual(problems("taxonomy", item), [])

    def test_it_lists_the_terms_of_one_taxonomy(self) -> None:
        detail = Taxonomy.objects.get(name=taxonomy.SERVICE_TYPE)
        r = self.client.get(
            "/api/v1/hsds/taxonomy_terms", {"taxonomy_id": str(detail.id), "per_page": "100"}
        )
        self.assertEqual(r.status_code, 200)
        codes = {t["code"] for t in r.json()["contents"]}
        self.assertEqual(codes, {t.code for t in taxonomy.SERVICE_TYPES})
        for item in r.json()["contents"]:
            self.assertEqual(problems("taxonomy_term", item), [])

    def test_it_gives_one_term_by_its_stable_id(self) -> None:
        term = taxonomy.BY_CODE[(taxonomy.SERVICE_TYPE, "crisis-line")]
        r = self.client.get(f"/api/v1/hsds/taxonomy_terms/{term.id}")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["code"], "crisis-line")

    def test_it_rejects_a_bad_taxonomy_id_with_400(self) -> None:
        r = self.client.get("/api/v1/hsds/taxonomy_terms", {"taxonomy_id": "nope"})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(r.json()["parameter"], "taxonomy_id")
