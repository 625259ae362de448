"""GET /api/v1/hsds/service_at_locations (with postcode and proximity) and /{id}."""

from __future__ import annotations

import uuid
from typing import Any

import time_machine
from django.urls import reverse
from django.utils import translation

from mend.directory.models import AddressVisibility, Service, ServiceAtLocation, ServiceStatus
from mend.directory.tests.hsds_schema import PAGE_FIELDS, declared_problems, problems
from mend.findhelp.tests.statuses import ANSWER_BY_STATUS
from mend.search import index
from mend.search.tests import factories as f
from mend.test import NOW, BaseTestCase


def body_times(body: dict[str, Any]) -> list[str]:
    return [row[key] for row in body["schedules"] for key in ("opens_at", "closes_at")]


@time_machine.travel(NOW, tick=False)
class ServiceAtLocationsTests(BaseTestCase):
    url = "/api/v1/hsds/service_at_locations"
    near: ServiceAtLocation
    far: ServiceAtLocation
    hidden: ServiceAtLocation
    on_request: ServiceAtLocation

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.near = f.place(f.make_service("Near"))
        cls.far = f.place(f.make_service("Far"), f.make_location(point=f.CHICAGO, city="Chicago"))
        cls.hidden = f.shelter()
        cls.on_request = f.shelter("Safe Haven", visibility=AddressVisibility.ON_REQUEST)
        f.hotline()
        index.rebuild_search_index(now=NOW)

    def get(self, **params: Any) -> Any:
        r = self.client.get(self.url, params)
        self.assertEqual(r.status_code, 200, r.content)
        return r.json()

    def test_it_lists_places_within_proximity_metres_of_a_postcode(self) -> None:
        body = self.get(postcode="62701", proximity=20000)
        self.assertEqual(set(body), PAGE_FIELDS)
        self.assertEqual(
            [sal["service"]["name"] for sal in body["contents"]],
            ["Near", "Harbour House", "Safe Haven"],
        )
        for sal in body["contents"]:
            self.assertEqual(problems("service_at_location_list", sal), [])

    def test_a_larger_proximity_reaches_further(self) -> None:
        names = [
            sal["service"]["name"]
            for sal in self.get(postcode="62701", proximity=400000)["contents"]
        ]
        self.assertIn("Far", names)

    def test_it_lists_no_remote_service_here(self) -> None:
        self.assertEqual(self.get()["total_items"], 4)

    def test_it_hides_addresses_and_positions_unless_public(self) -> None:
        body = self.get(postcode="62701", proximity=20000)
        by_name = {sal["service"]["name"]: sal["location"] for sal in body["contents"]}
        self.assertEqual(by_name["Near"]["latitude"], f.SPRINGFIELD[0])
        for name in ("Harbour House", "Safe Haven"):
            self.assertNotIn("latitude", by_name[name])
            self.assertNotIn("transportation", by_name[name])
        self.assertEqual(f.leaked_secrets(str(body)), [])

    def test_it_gives_one_nested_service_at_location(self) -> None:
        r = self.client.get(f"{self.url}/{self.hidden.id}")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(problems("service_at_location", r.json()), [])
        self.assertEqual(r.json()["location"]["addresses"], [])
        self.assertEqual(f.leaked_secrets(r.content.decode()), [])
        self.assertEqual(self.client.get(f"{self.url}/{uuid.uuid4()}").status_code, 404)

    def test_it_answers_by_id_for_exactly_the_services_whose_page_answers(self) -> None:
        self.client.force_login(self.erin)  # an editor too: the public door, staff included
        service = self.near.service
        for status, expected in ANSWER_BY_STATUS:
            with self.subTest(status=status):
                Service.objects.filter(pk=service.pk).update(status=status)
                api = self.client.get(f"{self.url}/{self.near.id}")
                with translation.override("en"):
                    page = self.client.get(reverse("findhelp:service", args=[service.id]))
                self.assertEqual((api.status_code, page.status_code), (expected, expected))
        self.assertEqual(Service.objects.get(pk=service.pk).status, ServiceStatus.DEFUNCT)

    def test_its_output_has_the_formats_its_openapi_document_declares(self) -> None:
        f.weekly_hours(self.near)
        openapi = self.client.get("/api/v1/openapi.json").json()
        page = self.get(postcode="62701", proximity=20000)  # the stored documents
        self.assertEqual(declared_problems(openapi, "ServiceAtLocationPage", page), [])
        for sal in (self.near, self.hidden):
            body = self.client.get(f"{self.url}/{sal.id}").json()
            self.assertEqual(declared_problems(openapi, "ServiceAtLocationFullOut", body), [])
        self.assertEqual(
            body_times(self.client.get(f"{self.url}/{self.near.id}").json()),
            ["09:00:00", "17:00:00"],
        )

    def test_it_sorts_by_name_when_asked_for_relevance_without_words(self) -> None:
        # Found by schemathesis on PostgreSQL: a constant score became "ORDER BY 0".
        for path in (self.url, "/api/v1/hsds/services"):
            with self.subTest(path=path):
                r = self.client.get(path, {"sort": "relevance", "free": "true"})
                self.assertEqual(r.status_code, 200, r.content)
                names = [row.get("name") or row["service"]["name"] for row in r.json()["contents"]]
                self.assertEqual(names, sorted(names))

    def test_it_rejects_a_proximity_without_sense(self) -> None:
        r = self.client.get(self.url, {"postcode": "62701", "proximity": "0"})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(r.json()["parameter"], "proximity")
