"""GET /api/v1/hsds/services and /services/{id}."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import time_machine
from django.urls import reverse
from django.utils import translation

from mend.directory import taxonomy
from mend.directory.models import Service, ServiceAtLocation, ServiceStatus
from mend.directory.tests.hsds_schema import PAGE_FIELDS, declared_problems, problems
from mend.findhelp.tests.statuses import ANSWER_BY_STATUS
from mend.search import index
from mend.search.models import SearchEntry
from mend.search.tests import factories as f
from mend.test import NOW, BaseTestCase


@time_machine.travel(NOW, tick=False)
class ServicesTests(BaseTestCase):
    url = "/api/v1/hsds/services"
    counselling: Service
    legal: Service
    shelter: ServiceAtLocation
    line: Service

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.counselling = f.make_service(
            "Listening Counselling",
            url="https://example.org/listen",
            assured_date=datetime(2026, 10, 1, tzinfo=UTC).date(),
            last_modified=datetime(2026, 10, 1, 9, 30, 15, 123000, tzinfo=UTC),
        )
        f.place(cls.counselling)
        f.weekly_hours(
            cls.counselling,
            dtstart=date(2026, 1, 5),
            valid_from=date(2026, 1, 1),
            valid_to=date(2027, 12, 31),
            until=date(2027, 12, 31),
        )
        f.closed_on(cls.counselling, date(2026, 12, 25))
        f.phone(cls.counselling)
        cls.legal = f.make_service(
            "Rights Desk", types=("legal-advice",), languages=("en",), free=False
        )
        f.place(cls.legal, f.make_location(point=f.CHICAGO, city="Chicago", postal_code="60601"))
        cls.shelter = f.shelter()
        cls.line = f.hotline(area="Illinois")
        index.rebuild_search_index(now=NOW)

    def get(self, **params: Any) -> Any:
        r = self.client.get(self.url, params)
        self.assertEqual(r.status_code, 200, r.content)
        return r.json()

    def test_it_lists_services_in_an_hsds_page(self) -> None:
        body = self.get()
        self.assertEqual(set(body), PAGE_FIELDS)
        self.assertEqual(body["total_items"], 4)
        for service in body["contents"]:
            self.assertEqual(problems("service_list", service), [])

    def test_it_filters_with_the_extension_parameters(self) -> None:
        body = self.get(
            lat=39.78, lng=-89.65, radius_km=30, type="counselling", free="true", language="es"
        )
        self.assertEqual([s["name"] for s in body["contents"]], ["Listening Counselling"])

    def test_it_finds_by_text_and_by_taxonomy_term(self) -> None:
        self.assertEqual(
            [s["name"] for s in self.get(search="rights")["contents"]], ["Rights Desk"]
        )
        term = taxonomy.BY_CODE[(taxonomy.SERVICE_TYPE, "legal-advice")].id
        self.assertEqual(
            [s["name"] for s in self.get(taxonomy_term_id=str(term))["contents"]], ["Rights Desk"]
        )

    def test_it_includes_remote_services_that_serve_the_place(self) -> None:
        names = [s["name"] for s in self.get(postcode="62701", proximity=30000)["contents"]]
        self.assertEqual(names, ["Listening Counselling", "Harbour House", "Night Line"])

    def test_it_paginates(self) -> None:
        body = self.get(per_page=3, page=2)
        self.assertEqual((body["size"], body["page_number"], body["last_page"]), (1, 2, True))

    def test_it_rejects_a_bad_parameter_with_400_naming_it(self) -> None:
        cases: list[tuple[dict[str, Any], str]] = [
            ({"radius_km": "far"}, "radius_km"),
            ({"lat": 200, "lng": 0}, "lat"),
            ({"proximity": -5, "postcode": "62701"}, "proximity"),
            ({"postcode": "00000"}, "postcode"),
            ({"type": "astrology"}, "type"),
            ({"language": "Spanish"}, "language"),
            ({"open_at": "2099-01-01T00:00:00Z"}, "open_at"),
            # The ends of the calendar with an offset: converting them to UTC overflows.
            ({"open_at": "9999-12-31T23:59:59-05:00"}, "open_at"),
            ({"open_at": "0001-01-01T00:00:00+05:00"}, "open_at"),
            ({"open_at": "9999-12-31T23:59:59", "lat": 39.8, "lng": -89.6}, "open_at"),
            # The same for modified_after: 500 on SQLite before (found by a review).
            ({"modified_after": "0001-01-01T00:00:00+14:00"}, "modified_after"),
            ({"modified_after": "9999-12-31T23:59:59-14:00"}, "modified_after"),
            ({"per_page": 1000}, "per_page"),
            ({"search": "a\x00b"}, "search"),
        ]
        for params, name in cases:
            r = self.client.get(self.url, params)
            self.assertEqual(r.status_code, 400, params)
            self.assertEqual(r.json()["parameter"], name)
            self.assertTrue(r.json()["detail"].startswith(f"{name}: "))

    def test_it_gives_one_fully_nested_service_valid_against_hsds(self) -> None:
        r = self.client.get(f"{self.url}/{self.counselling.id}")
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(problems("service", body), [])
        self.assertEqual(body["phones"][0]["number"], "+1 217 555 0100")
        opening = next(row for row in body["schedules"] if "opens_at" in row)
        self.assertEqual(opening["byday"], "MO,TU,WE,TH,FR")
        location = body["service_at_locations"][0]["location"]
        self.assertEqual(location["addresses"][0]["address_1"], "100 Elm Street")
        self.assertEqual((location["latitude"], location["longitude"]), f.SPRINGFIELD)
        self.assertEqual({a["taxonomy_term"]["code"] for a in body["attributes"]}, {"counselling"})

    def test_its_output_has_the_formats_its_openapi_document_declares(self) -> None:
        openapi = self.client.get("/api/v1/openapi.json").json()
        for service in (self.counselling, self.line):
            body = self.client.get(f"{self.url}/{service.id}").json()
            self.assertEqual(declared_problems(openapi, "ServiceOut", body), [])
        body = self.client.get(f"{self.url}/{self.counselling.id}").json()
        opening = next(row for row in body["schedules"] if "opens_at" in row)
        self.assertEqual((opening["opens_at"], opening["closes_at"]), ("09:00:00", "17:00:00"))
        self.assertEqual(declared_problems(openapi, "ServicePage", self.get()), [])

    def test_it_never_shows_a_hidden_address_position_or_directions(self) -> None:
        r = self.client.get(f"{self.url}/{self.shelter.service_id}")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(f.leaked_secrets(r.content.decode()), [])
        location = r.json()["service_at_locations"][0]["location"]
        self.assertEqual(location["addresses"], [])
        for absent in ("latitude", "longitude", "transportation"):
            self.assertNotIn(absent, location)
        self.assertEqual(location["address_visibility"], "hidden")
        self.assertEqual(
            f.leaked_secrets(self.client.get(self.url, {"postcode": "62701"}).content.decode()), []
        )

    def test_it_gives_404_for_an_unknown_service_and_400_for_a_bad_id(self) -> None:
        self.assertEqual(self.client.get(f"{self.url}/{uuid.uuid4()}").status_code, 404)
        r = self.client.get(f"{self.url}/not-an-id")
        self.assertEqual(r.status_code, 400)
        self.assertEqual(r.json()["parameter"], "id")

    def test_it_gives_404_for_exactly_the_services_whose_page_is_404(self) -> None:
        self.client.force_login(self.erin)  # an editor too: the public door, staff included
        for status, expected in ANSWER_BY_STATUS:
            with self.subTest(status=status):
                Service.objects.filter(pk=self.legal.pk).update(status=status)
                api = self.client.get(f"{self.url}/{self.legal.id}")
                with translation.override("en"):
                    page = self.client.get(reverse("findhelp:service", args=[self.legal.id]))
                self.assertEqual((api.status_code, page.status_code), (expected, expected))
        self.assertEqual(Service.objects.get(pk=self.legal.pk).status, ServiceStatus.DEFUNCT)

    def test_a_temporarily_closed_service_leaves_the_list_but_answers_by_id(self) -> None:
        self.legal.status = ServiceStatus.TEMPORARILY_CLOSED
        self.legal.save(update_fields=["status"])
        index.rebuild_search_index([self.legal.id], now=NOW)
        self.assertNotIn("Rights Desk", [s["name"] for s in self.get()["contents"]])
        self.assertFalse(SearchEntry.objects.filter(service=self.legal).exists())
        r = self.client.get(f"{self.url}/{self.legal.id}")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["status"], "temporarily closed")

    def test_a_service_that_closed_leaves_the_list(self) -> None:
        self.legal.status = ServiceStatus.DEFUNCT
        self.legal.save(update_fields=["status"])
        index.rebuild_search_index([self.legal.id], now=NOW)
        self.assertNotIn("Rights Desk", [s["name"] for s in self.get()["contents"]])
