"""GET /api/v1/hsds/: what this API is and which HSDS profile it follows."""

from __future__ import annotations

from mend.directory import taxonomy
from mend.test import BaseTestCase


class ApiRootTests(BaseTestCase):
    url = "/api/v1/hsds/"

    def test_it_names_the_version_profile_and_schema(self) -> None:
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(
            r.json(),
            {
                "version": "3.1",
                "profile": taxonomy.PROFILE_URI,
                "openapi_url": "http://testserver/api/v1/openapi.json",
            },
        )

    def test_the_schema_it_points_to_documents_the_extensions(self) -> None:
        r = self.client.get("/api/v1/openapi.json")
        self.assertEqual(r.status_code, 200)
        parameters = {
            p["name"] for p in r.json()["paths"]["/api/v1/hsds/services"]["get"]["parameters"]
        }
        for name in (
            "lat",
            "lng",
            "radius_km",
            "free",
            "language",
            "open_now",
            "eligibility",
            "type",
        ):
            self.assertIn(name, parameters)

    def test_it_answers_signed_in_people_the_same_and_uncached(self) -> None:
        self.client.force_login(self.mallory)
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 200)
        self.assertNoStore(r)
