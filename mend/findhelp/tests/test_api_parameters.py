"""Every endpoint of the HSDS API refuses, with a 400 that names it, a query parameter it
does not know (never answering as if it were absent) and an HSDS option Mend does not
offer; the HSDS parameters it does offer work on every endpoint that HSDS gives them."""

from __future__ import annotations

import uuid
from typing import Any

import time_machine

from mend.directory import taxonomy
from mend.directory.models import Service, Taxonomy
from mend.search import index
from mend.search.tests import factories as f
from mend.test import NOW, BaseTestCase

API = "/api/v1/hsds"


@time_machine.travel(NOW, tick=False)
class ParameterTests(BaseTestCase):
    service: Service

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.service = f.make_service(last_modified=NOW)
        f.place(cls.service)
        index.rebuild_search_index(now=NOW)

    def refused(self, path: str, params: dict[str, Any], name: str) -> None:
        r = self.client.get(f"{API}{path}", params)
        self.assertEqual(r.status_code, 400, (path, params, r.content))
        self.assertEqual(r.json()["parameter"], name, (path, params))
        self.assertTrue(r.json()["detail"].startswith(f"{name}: "), r.json())

    def answered(self, path: str, params: dict[str, Any]) -> Any:
        r = self.client.get(f"{API}{path}", params)
        self.assertEqual(r.status_code, 200, (path, params, r.content))
        return r.json()

    def paths(self) -> dict[str, str]:
        service_type = Taxonomy.objects.get(name=taxonomy.SERVICE_TYPE)
        sal = self.service.service_at_locations.get()
        term = taxonomy.BY_CODE[(taxonomy.SERVICE_TYPE, "counselling")]
        return {
            "/services": "",
            f"/services/{self.service.id}": "",
            "/service_at_locations": "",
            f"/service_at_locations/{sal.id}": "",
            "/organizations": "",
            f"/organizations/{self.service.organization_id}": "",
            "/taxonomies": "",
            f"/taxonomies/{service_type.id}": "",
            "/taxonomy_terms": "",
            f"/taxonomy_terms/{term.id}": "",
        }

    def test_it_refuses_an_unknown_parameter_on_every_endpoint(self) -> None:
        for path in self.paths():
            with self.subTest(path=path):
                self.refused(path, {"taxonomy_term": "x"}, "taxonomy_term")

    def test_it_refuses_a_misspelt_filter_instead_of_listing_everything(self) -> None:
        self.refused(
            "/services", {"organisation_id": self.service.organization_id}, "organisation_id"
        )
        self.refused("/service_at_locations", {"postalcode": "62701"}, "postalcode")

    def test_it_refuses_a_parameter_of_another_endpoint(self) -> None:
        self.refused("/taxonomies", {"taxonomy_id": Taxonomy.objects.get().id}, "taxonomy_id")
        self.refused(
            "/taxonomy_terms", {"organization_id": self.service.organization_id}, "organization_id"
        )
        self.refused("/organizations", {"postcode": "62701"}, "postcode")
        self.refused(f"/services/{self.service.id}", {"page": 2}, "page")
        # Remote services have no location: /service_at_locations never lists them.
        self.refused("/service_at_locations", {"include_remote": "true"}, "include_remote")

    def test_it_refuses_a_single_valued_parameter_given_twice(self) -> None:
        term = taxonomy.BY_CODE[(taxonomy.SERVICE_TYPE, "counselling")].id
        self.refused("/services", {"taxonomy_term_id": [term, uuid.uuid4()]}, "taxonomy_term_id")
        self.refused("/organizations", {"page": [1, 2]}, "page")
        body = self.answered("/services", {"type": ["counselling", "legal-advice"]})
        self.assertEqual(body["total_items"], 1)  # repeatable: any of these types

    def test_it_echoes_no_more_than_a_hundred_characters_of_an_unknown_name(self) -> None:
        r = self.client.get(f"{API}/services", {"x" * 5000: "1"})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(r.json()["parameter"], "x" * 100)

    def test_it_refuses_the_hsds_options_it_does_not_offer(self) -> None:
        organization = f"/organizations/{self.service.organization_id}"
        for path, name in (
            ("/services", "full"),
            ("/services", "minimal"),
            ("/service_at_locations", "full"),
            ("/organizations", "full"),
            ("/organizations", "full_service"),
            (organization, "full_service"),
        ):
            with self.subTest(path=path, name=name):
                self.refused(path, {name: "true"}, name)
                self.answered(path, {name: "false"})
        for path in ("/services", "/service_at_locations", "/organizations", "/taxonomies"):
            with self.subTest(path=path):
                self.refused(path, {"format": "ndjson"}, "format")
                self.assertEqual(self.answered(path, {"format": "json"})["page_number"], 1)

    def test_it_takes_every_parameter_hsds_gives_each_list(self) -> None:
        taxonomy_id = Taxonomy.objects.get().id
        term_id = taxonomy.BY_CODE[(taxonomy.SERVICE_TYPE, "counselling")].id
        common = {"search": "counselling", "page": 1, "per_page": 5, "format": "json"}
        terms = {"taxonomy_term_id": term_id, "taxonomy_id": taxonomy_id}
        services = {
            **common,
            **terms,
            "organization_id": self.service.organization_id,
            "modified_after": "2000-01-01T00:00:00Z",
        }
        self.assertEqual(
            self.answered("/services", {**services, "minimal": "false", "full": "false"})[
                "total_items"
            ],
            1,
        )
        places = {**services, "full": "false", "postcode": "62701", "proximity": 10000}
        self.assertEqual(self.answered("/service_at_locations", places)["total_items"], 1)
        organizations = {**common, **terms, "full": "false", "full_service": "false"}
        organizations["search"] = "prairie"
        self.assertEqual(self.answered("/organizations", organizations)["total_items"], 1)
        self.assertEqual(
            self.answered("/taxonomies", {**common, "search": "type"})["total_items"], 1
        )
        term_params = {**common, "search": "counsel", "taxonomy_id": taxonomy_id}
        term_params |= {"top_only": "true"}
        self.assertEqual(self.answered("/taxonomy_terms", term_params)["total_items"], 1)
