"""The rule files: valid against the schema, every fact sourced, versions in order."""

from __future__ import annotations

import copy
import json
from datetime import date
from itertools import pairwise
from typing import Any

import jsonschema
from babel import Locale
from django.test import SimpleTestCase

from mend.leave import rules
from mend.leave.tests.iso3166 import CITIES, SUBDIVISIONS

GROUPS = ("scope", "entitlement", "eligibility", "notice", "documentation", "protection")
# Every jurisdiction in part B of the research (shared/reference/restorative-leave-training.md).
REFERENCE = {
    "CA-ON", "CA-MB", "CA-BC", "CA-AB", "CA-SK", "CA-QC", "CA-NB", "CA-NS", "CA-PE", "CA-NL",
    "CA-YT", "CA-NT", "CA-NU", "CA", "NZ", "AU", "PH", "GB-NIR", "GB-GBN", "IE",
    "US-CA", "US-NY", "US-NY-NYC", "US-OR", "US-IL", "US-WA", "US-NJ", "US-MA", "US-CO",
}  # fmt: skip


def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(rules.SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def schema_errors(data: dict[str, Any]) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in validator().iter_errors(data)]


class RuleFilesTests(SimpleTestCase):
    def test_it_holds_every_jurisdiction_of_the_research(self) -> None:
        self.assertEqual(set(rules.all_rules()) - REFERENCE, set())
        self.assertEqual(REFERENCE - set(rules.all_rules()), set())

    def test_every_file_is_valid_against_the_schema(self) -> None:
        for code, data in rules.all_rules().items():
            with self.subTest(code):
                self.assertEqual(schema_errors(data), [])

    def test_every_file_is_named_after_its_code(self) -> None:
        for path in rules.RULES_DIR.glob("*.json"):
            self.assertEqual(json.loads(path.read_text())["code"], path.stem)

    def test_the_schema_refuses_a_fact_without_a_source(self) -> None:
        data = copy.deepcopy(rules.all_rules()["CA-ON"])
        del data["versions"][0]["entitlement"]["source_ids"]
        self.assertIn("'source_ids' is a required property", " ".join(schema_errors(data)))

    def test_the_schema_refuses_an_unknown_field(self) -> None:
        data = copy.deepcopy(rules.all_rules()["CA-ON"])
        data["versions"][0]["entitlement"]["paid_weeks"] = 3
        self.assertNotEqual(schema_errors(data), [])

    def test_the_schema_refuses_a_law_without_a_statute(self) -> None:
        data = copy.deepcopy(rules.all_rules()["NZ"])
        data["versions"][0]["statute"] = None
        self.assertNotEqual(schema_errors(data), [])

    def test_every_field_group_cites_sources_its_version_lists(self) -> None:
        for code, data in rules.all_rules().items():
            for version in data["versions"]:
                ids = {source["id"] for source in version["sources"]}
                self.assertEqual(len(ids), len(version["sources"]), f"{code}: duplicate id")
                for name in GROUPS:
                    group = version[name]
                    if group is None:
                        self.assertNotEqual(version["status"], "in_force", f"{code} {name}")
                        continue
                    with self.subTest(code=code, group=name):
                        self.assertTrue(group["source_ids"])
                        self.assertLessEqual(set(group["source_ids"]), ids)

    def test_a_missing_section_is_never_marked_confirmed(self) -> None:
        for code, data in rules.all_rules().items():
            for version in data["versions"]:
                if version["status"] != "no_law" and version["section"] is None:
                    self.assertFalse(version["section_confirmed"], code)

    def test_versions_are_ordered_and_do_not_overlap(self) -> None:
        for code, data in rules.all_rules().items():
            versions = data["versions"]
            for earlier, later in pairwise(versions):
                with self.subTest(code):
                    self.assertIsNotNone(earlier["until"], "only the last version is open-ended")
                    self.assertLess(
                        date.fromisoformat(earlier["until"]), date.fromisoformat(later["from"])
                    )
            for version in versions:
                if version["from"] and version["until"]:
                    self.assertLessEqual(version["from"], version["until"], code)

    def test_codes_are_iso_3166(self) -> None:
        countries = {
            str(c) for c in Locale("en").territories if len(str(c)) == 2 and str(c).isalpha()
        }
        for code in rules.all_rules():
            with self.subTest(code):
                country = code.split("-")[0]
                self.assertIn(country, countries)
                if code.count("-") == 1:
                    self.assertIn(code, SUBDIVISIONS)
                if code.count("-") == 2:
                    self.assertIn(code, CITIES)
                    self.assertIn(code.rsplit("-", 1)[0], SUBDIVISIONS)

    def test_every_source_is_a_web_address(self) -> None:
        for data in rules.all_rules().values():
            for version in data["versions"]:
                for source in version["sources"]:
                    self.assertRegex(source["url"], r"^https?://[^\s]+$")
