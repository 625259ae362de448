"""National help lines: a sourced data file, shown on the home page, beside empty results
and (the emergency number) in every page's footer."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import time_machine
from django.test import override_settings

from mend.checks import check_hotlines
from mend.directory import hotlines
from mend.search import index
from mend.search.tests import factories as f
from mend.test import NOW, BaseTestCase

RAINN = 'href="tel:+18006564673"'


class HotlineFileTests(BaseTestCase):
    def test_the_shipped_file_is_valid_and_every_line_is_sourced(self) -> None:
        data = json.loads(hotlines.SHIPPED.read_text(encoding="utf-8"))
        self.assertEqual(hotlines.validate(data), [])
        for line in data["US"]["lines"]:
            self.assertTrue(line["source"].startswith("https://"), line["id"])
            self.assertEqual(set(line["name"]), {"en", "es"}, line["id"])

    def test_it_names_each_problem_in_a_bad_file(self) -> None:
        data = {
            "usa": {},
            "GB": {
                "emergency": "999",
                "lines": [{"name": {"es": "x"}, "phone": "call us", "verified_on": "soon"}],
            },
        }
        self.assertEqual(
            hotlines.validate(data),
            [
                "usa: not an ISO 3166-1 alpha-2 country code",
                "GB line 1: name needs an English text",
                "GB line 1: about needs an English text",
                "GB line 1: phone must be digits (with + for an international number)",
                "GB line 1: source is missing: say where the number was checked",
                "GB line 1: verified_on must be a date (YYYY-MM-DD)",
            ],
        )

    def test_only_the_lines_marked_for_anyone_are_kept_for_anyone(self) -> None:
        country = hotlines.for_country("US", "en")
        assert country is not None
        self.assertEqual(
            [line.name for line in country.for_anyone.lines], ["988 Suicide & Crisis Lifeline"]
        )
        self.assertEqual(len(country.lines), 3)
        line = {"name": {"en": "x"}, "about": {"en": "x"}, "phone": "988", "phone_display": "988"}
        bad = {"US": {"emergency": "911", "lines": [{**line, "for_anyone": "yes"}]}}
        self.assertIn("US line 1: for_anyone must be true or false", hotlines.validate(bad))

    def test_a_broken_file_stops_the_server_at_start_not_at_the_first_page(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "lines.json"
            path.write_text(json.dumps({"US": {"emergency": "911", "lines": [{}]}}))
            with override_settings(HOTLINES_FILE=path):
                errors = check_hotlines(None)
            self.assertEqual([e.id for e in errors], ["mend.E060"])
            self.assertIn("US line 1: name needs an English text", errors[0].msg)
            with override_settings(HOTLINES_FILE=Path(folder) / "missing.json"):
                self.assertEqual([e.id for e in check_hotlines(None)], ["mend.E060"])
        self.assertEqual(check_hotlines(None), [])


@time_machine.travel(NOW, tick=False)
class HotlinePageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        f.place(f.make_service("Listening Counselling", types=("counselling",)))
        index.rebuild_search_index(now=NOW)

    def test_the_home_page_offers_the_national_lines_in_english_and_spanish(self) -> None:
        r = self.client.get("/")
        self.assertContains(r, "National Sexual Assault Hotline (RAINN)")
        self.assertContains(r, RAINN)
        self.assertContains(r, "Text START to 88788")
        self.assertContains(r, "If you are in danger right now, call 911.")
        r = self.client.get("/es/")
        self.assertContains(r, "Línea Nacional de Agresión Sexual (RAINN)")
        self.assertContains(r, RAINN)

    def test_an_empty_search_offers_them_and_blames_no_filter_nobody_chose(self) -> None:
        r = self.client.get("/help/", {"place": "96813"})  # Honolulu: nothing listed there
        self.assertContains(r, "0 results within 40 km of")
        self.assertContains(r, "We found no services listed this close.")
        self.assertNotContains(r, "filter you chose")
        self.assertContains(r, RAINN)
        r = self.client.get("/help/", {"place": "96813", "free": "on"})
        self.assertContains(r, "Nothing matches every filter you chose.")
        r = self.client.get("/help/", {"q": "zzzz"})
        self.assertContains(r, "We found no services with these words.")

    def test_results_do_not_repeat_the_lines(self) -> None:
        r = self.client.get("/help/", {"place": "62701"})
        self.assertContains(r, "Listening Counselling")
        self.assertNotContains(r, 'data-qa="hotlines"')

    def test_an_operator_can_list_other_lines_and_countries(self) -> None:
        own = {
            "GB": {
                "emergency": "999",
                "lines": [
                    {
                        "name": {"en": "Rape Crisis Helpline"},
                        "about": {"en": "Free, confidential."},
                        "phone": "+448088029999",
                        "phone_display": "0808 802 9999",
                        "source": "https://rapecrisis.org.uk/",
                        "verified_on": "2026-12-01",
                    }
                ],
            }
        }
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "lines.json"
            path.write_text(json.dumps(own), encoding="utf-8")
            with override_settings(HOTLINES_FILE=path, HOTLINE_COUNTRY="GB"):
                r = self.client.get("/")
            self.assertContains(r, 'href="tel:+448088029999"')
            self.assertContains(r, "call 999.")
            self.assertNotContains(r, RAINN)
            with override_settings(HOTLINES_FILE=path, HOTLINE_COUNTRY="FR"):
                r = self.client.get("/")
            self.assertContains(r, "call your local emergency number.")
            self.assertNotContains(r, 'data-qa="hotlines"')
