"""GET /api/v1/hsds/organizations and /organizations/{id}."""

from __future__ import annotations

import uuid

from mend.directory.models import Organization
from mend.directory.tests.hsds_schema import PAGE_FIELDS, problems
from mend.search.tests import factories as f
from mend.test import BaseTestCase


class OrganizationsTests(BaseTestCase):
    url = "/api/v1/hsds/organizations"
    network: Organization
    refuge: Organization

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.network = f.make_organization("Prairie Support Network", website="https://example.org")
        f.place(f.make_service("Listening", organization=cls.network))
        cls.refuge = f.make_organization("Harbour Trust")
        sal = f.shelter()
        sal.service.organization = cls.refuge
        sal.service.save(update_fields=["organization"])
        sal.location.organization = cls.refuge
        sal.location.save(update_fields=["organization"])

    def test_it_lists_organizations_in_an_hsds_page(self) -> None:
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(set(body), PAGE_FIELDS)
        self.assertEqual(body["total_items"], 3)  # the shelter factory made one more
        for organization in body["contents"]:
            self.assertEqual(problems("organization_list", organization), [])

    def test_it_searches_by_name(self) -> None:
        r = self.client.get(self.url, {"search": "harbour"})
        self.assertEqual([o["name"] for o in r.json()["contents"]], ["Harbour Trust"])

    def test_it_gives_one_nested_organization_without_hidden_addresses(self) -> None:
        r = self.client.get(f"{self.url}/{self.refuge.id}")
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(problems("organization", body), [])
        self.assertEqual([s["name"] for s in body["services"]], ["Harbour House"])
        self.assertEqual(body["locations"][0]["addresses"], [])
        self.assertEqual(f.leaked_secrets(r.content.decode()), [])

    def test_it_gives_404_for_an_unknown_organization(self) -> None:
        self.assertEqual(self.client.get(f"{self.url}/{uuid.uuid4()}").status_code, 404)

    def test_it_rejects_a_bad_page_with_400(self) -> None:
        r = self.client.get(self.url, {"page": 0})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(r.json()["parameter"], "page")
