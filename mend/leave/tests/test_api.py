"""GET /api/v1/leave/...: the rules, read-only; `on=` picks the version in force that day;
refusals through mend.lib.refusal, declared in the OpenAPI document."""

from __future__ import annotations

import time_machine

from mend.leave import rules
from mend.test import NOW, BaseTestCase


@time_machine.travel(NOW, tick=False)
class LeaveApiTests(BaseTestCase):
    def test_it_lists_every_jurisdiction_with_the_version_in_force_today(self) -> None:
        r = self.client.get("/api/v1/leave/jurisdictions")
        self.assertEqual(r.status_code, 200)
        by_code = {j["code"]: j for j in r.json()}
        self.assertEqual(set(by_code), set(rules.all_rules()))
        self.assertEqual(by_code["CA-ON"]["section"], "s. 49.7")
        self.assertEqual(by_code["GB-NIR"]["status"], "not_in_force")
        self.assertEqual(by_code["GB-GBN"]["status"], "no_law")

    def test_on_picks_the_versions_in_force_that_day(self) -> None:
        r = self.client.get("/api/v1/leave/jurisdictions", {"on": "2019-01-01"})
        by_code = {j["code"]: j for j in r.json()}
        self.assertEqual(by_code["CA-BC"]["status"], "no_version")
        self.assertEqual(by_code["CA-ON"]["status"], "in_force")

    def test_it_gives_one_jurisdiction_with_its_history(self) -> None:
        r = self.client.get("/api/v1/leave/jurisdictions/CA-BC")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(len(r.json()["versions"]), 2)
        self.assertEqual(r.json()["in_force"]["entitlement"]["paid_days"], 5)
        r = self.client.get("/api/v1/leave/jurisdictions/CA-BC", {"on": "2019-06-01"})
        self.assertEqual(r.json()["in_force"]["entitlement"]["paid_days"], 0)
        self.assertEqual(r.json()["in_force"]["from"], "2019-05-30")
        r = self.client.get("/api/v1/leave/jurisdictions/CA-BC", {"on": "2019-01-01"})
        self.assertIsNone(r.json()["in_force"])

    def test_an_unknown_jurisdiction_is_404(self) -> None:
        r = self.client.get("/api/v1/leave/jurisdictions/FR")
        self.assertEqual(r.status_code, 404)
        self.assertEqual(r.json()["code"], "unknown_jurisdiction")

    def test_a_malformed_day_is_400(self) -> None:
        for path in ("/api/v1/leave/jurisdictions", "/api/v1/leave/jurisdictions/NZ"):
            r = self.client.get(path, {"on": "1 April 2019"})
            self.assertEqual(r.status_code, 400)
            self.assertEqual(
                r.json(),
                {
                    "code": "bad_date",
                    "detail": "on must be a date written YYYY-MM-DD",
                    "retry_after": None,
                },
            )

    def test_the_whole_data_set_is_served_once_for_the_checker(self) -> None:
        r = self.client.get("/api/v1/leave/rules")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["licence"]["name"], "CC BY 4.0")
        self.assertEqual(len(r.json()["jurisdictions"]), len(rules.all_rules()))

    def test_the_openapi_document_declares_the_routes_and_their_refusals(self) -> None:
        paths = self.client.get("/api/v1/openapi.json").json()["paths"]
        one = paths["/api/v1/leave/jurisdictions/{code}"]["get"]
        self.assertEqual(set(one["responses"]), {"200", "400", "404"})
        self.assertIn("400", paths["/api/v1/leave/jurisdictions"]["get"]["responses"])
        self.assertIn("/api/v1/leave/rules", paths)
