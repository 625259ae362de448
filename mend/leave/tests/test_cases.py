"""The worked cases (mend/leave/cases.json) rest on the rule data as it is.

The browser's engine is tested on them by node (tests/js/leave_eligibility.test.mjs);
this checks the data side, so a change to a rule file that breaks a case fails here too.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.test import SimpleTestCase

from mend.leave import rules

CASES = Path(rules.RULES_DIR).parent / "cases.json"


def cases() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = json.loads(CASES.read_text(encoding="utf-8"))["cases"]
    return loaded


class WorkedCasesTests(SimpleTestCase):
    def test_it_holds_the_two_cases_of_the_issue(self) -> None:
        by_code: dict[tuple[str, str], dict[str, Any]] = {}
        for case in cases():
            by_code.setdefault((case["input"]["code"], case["input"]["harm"]), case)
        ontario = by_code["CA-ON", "sexual_assault"]
        self.assertEqual(ontario["input"]["serviceMonths"], 6)
        self.assertEqual(
            ontario["expect"]["leave"], {"paid_days": 5, "unpaid_days": 5, "unpaid_weeks": 15}
        )
        self.assertEqual(by_code["NZ", "sexual_assault"]["expect"]["outcome"], "not_covered")

    def test_every_case_names_a_jurisdiction_with_a_version_that_day(self) -> None:
        for case in cases():
            jurisdiction = rules.get_jurisdiction(case["input"]["code"])
            self.assertIsNotNone(jurisdiction, case["name"])
            assert jurisdiction is not None
            day = date.fromisoformat(case["input"]["on"])
            self.assertIsNotNone(rules.version_on(jurisdiction, day), case["name"])

    def test_the_amounts_a_case_expects_are_the_data_of_its_version(self) -> None:
        for case in cases():
            expected = case["expect"].get("leave")
            if not expected or case["expect"]["outcome"] != "covered":
                continue
            if "paid_after_service" in case["expect"].get("reasons", []):
                continue
            jurisdiction = rules.get_jurisdiction(case["input"]["code"])
            assert jurisdiction is not None
            version = rules.version_on(jurisdiction, date.fromisoformat(case["input"]["on"]))
            assert version is not None
            amounts = dict(version["entitlement"])
            for tier in amounts["tiers"]:
                if tier["min_employees"] <= case["input"]["employees"]["min"]:
                    amounts.update(tier)
            with self.subTest(case["name"]):
                for key, value in expected.items():
                    self.assertEqual(amounts[key], value, key)

    def test_a_domestic_only_law_does_not_cover_a_colleague(self) -> None:
        for code in ("NZ", "AU", "IE", "PH", "CA", "CA-AB", "CA-NS", "CA-NL", "CA-NT"):
            jurisdiction = rules.get_jurisdiction(code)
            assert jurisdiction is not None
            harms = jurisdiction["versions"][-1]["scope"]["harms"]
            self.assertEqual(harms["sexual_violence"], "no", code)
            self.assertEqual(harms["domestic_violence"], "yes", code)
