"""GET /api/v1/hsds/organizations and /organizations/{id}."""

from __future__ import annotations

import uuid

from mend.directory.models import Organization, Service, ServiceStatus
from mend.directory.tests.hsds_schema import PAGE_FIELDS, problems
from mend.findhelp.tests.statuses import ANSWER_BY_STATUS
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

    def test_it_hides_an_organization_whose_services_have_all_closed(self) -> None:
        self.client.force_login(self.erin)  # an editor too: the public door, staff included
        listening = self.network.services.get()
        for status, expected in ANSWER_BY_STATUS:
            with self.subTest(status=status):
                Service.objects.filter(pk=listening.pk).update(status=status)
                r = self.client.get(f"{self.url}/{self.network.id}")
                self.assertEqual(r.status_code, expected)
                listed = [o["id"] for o in self.client.get(self.url).json()["contents"]]
                self.assertEqual(str(self.network.id) in listed, expected == 200)
        self.assertEqual(Service.objects.get(pk=listening.pk).status, ServiceStatus.DEFUNCT)

    def test_it_nests_only_the_services_the_public_may_see(self) -> None:
        closed = f.make_service(
            "Closed Desk", organization=self.network, status=ServiceStatus.DEFUNCT
        )
        r = self.client.get(f"{self.url}/{self.network.id}")
        self.assertEqual([s["name"] for s in r.json()["services"]], ["Listening"])
        self.assertTrue(Service.objects.filter(pk=closed.pk).exists())

    def test_it_keeps_an_organization_that_lists_no_service_yet(self) -> None:
        new = f.make_organization("Dawn Collective")
        self.assertEqual(self.client.get(f"{self.url}/{new.id}").status_code, 200)
        self.assertFalse(Service.objects.filter(organization=new).exists())

    def test_it_gives_404_for_an_unknown_organization(self) -> None:
        self.assertEqual(self.client.get(f"{self.url}/{uuid.uuid4()}").status_code, 404)

    def test_it_rejects_a_bad_page_with_400(self) -> None:
        r = self.client.get(self.url, {"page": 0})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(r.json()["parameter"], "page")
