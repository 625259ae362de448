"""The "Find help" search page: form, results, errors (GET /help/)."""

from __future__ import annotations

import json
import re
from typing import Any

import time_machine

from mend.directory.models import AddressVisibility, Location, ServiceAtLocation
from mend.search import index
from mend.search.models import SearchEntry
from mend.search.tests import factories as f
from mend.test import NOW, BaseTestCase


@time_machine.travel(NOW, tick=False)
class SearchPageTests(BaseTestCase):
    url: str
    shelter: ServiceAtLocation

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.url = "/help/"  # a literal: reverse() would follow whichever language is active
        counselling = f.make_service(
            "Listening Counselling", translations={"es": {"name": "Escucha y apoyo"}}
        )
        f.weekly_hours(counselling)
        f.place(counselling)
        f.place(
            f.make_service("Rights Desk", types=("legal-advice",), free=False, languages=("en",))
        )
        cls.shelter = f.shelter()
        f.hotline("Night Line", area="Illinois")
        index.rebuild_search_index(now=NOW)

    def test_it_shows_the_form_before_any_search(self) -> None:
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, 'data-qa="search-form"')
        self.assertNotContains(r, 'data-qa="results"')
        self.assertContains(r, 'data-qa="quick-exit"')

    def test_it_lists_results_near_a_place_with_distance_tags_and_languages(self) -> None:
        r = self.client.get(self.url, {"place": "Springfield, IL", "radius_km": "25"})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "4 results within 25 km of Springfield, IL")
        self.assertContains(r, "Listening Counselling")
        self.assertContains(r, "km away (")
        self.assertContains(r, '<li class="tag tag--free">Free</li>', html=True)
        self.assertContains(r, "Languages: English, Spanish")
        self.assertContains(r, "By phone or online")

    def test_the_form_shows_and_resubmits_the_distance_in_effect(self) -> None:
        for query in ({"place": "62701"}, {"place": "62701", "free": "on", "radius_km": ""}):
            with self.subTest(query):
                r = self.client.get(self.url, query)
                self.assertContains(r, "within 40 km of")
                self.assertContains(r, '<option value="40" selected>', html=False)
                self.assertNotContains(r, '<option value="5" selected>', html=False)
        r = self.client.get(self.url, {"place": "62701", "radius_km": "10"})
        self.assertContains(r, '<option value="10" selected>', html=False)

    def test_it_tells_which_place_it_used_for_a_shared_name(self) -> None:
        r = self.client.get(self.url, {"place": "Springfield"})
        self.assertContains(r, "We understood “Springfield” as Springfield, IL.")
        self.assertContains(r, "Other places with this name:")
        self.assertContains(r, "place=Springfield%2C+MA")

    def test_it_reads_full_state_names_and_says_which_place_it_understood(self) -> None:
        for typed in ("Springfield, Illinois", "springfield illinois"):
            with self.subTest(typed):
                r = self.client.get(self.url, {"place": typed})
                self.assertContains(r, "results within 40 km of Springfield, IL")
                self.assertContains(r, f"We understood “{typed}” as Springfield, IL.")
                self.assertNotContains(r, "Other places with this name:")
        r = self.client.get(self.url, {"place": "Springfield, IL"})
        self.assertNotContains(r, 'data-qa="place-understood"')
        r = self.client.get(self.url, {"place": "62701"})
        self.assertNotContains(r, 'data-qa="place-understood"')

    def test_it_never_shows_a_hidden_address_or_its_distance(self) -> None:
        r = self.client.get(self.url, {"place": "62701", "type": "safe-housing"})
        self.assertContains(r, "Harbour House")
        self.assertContains(r, "Address kept private for safety: call first")
        self.assertNotContains(r, "km away")
        self.assertEqual(f.leaked_secrets(r.content.decode()), [])

    def test_it_combines_filters(self) -> None:
        r = self.client.get(self.url, {"q": "rights", "in_person": "on"})
        self.assertContains(r, "1 result")
        self.assertContains(r, "Rights Desk")
        r = self.client.get(self.url, {"free": "on", "type": "legal-advice"})
        self.assertContains(r, "0 results")

    def test_it_folds_the_filters_over_results_and_says_how_many_are_chosen(self) -> None:
        """On a phone the results follow the search box, not forty choices; the filters
        open again where they are what needs changing: no result, or a refused choice."""
        folded = '<details class="filters" data-qa="filters">'
        query = {"place": "62701", "type": ["counselling", "legal-advice"], "free": "on"}
        r = self.client.get(self.url, query)
        self.assertContains(r, folded)
        self.assertContains(r, '<span data-qa="filters-chosen">(3 chosen)</span>', html=True)
        self.assertLess(
            r.content.index(b'data-qa="filters"'), r.content.index(b'data-qa="results"')
        )
        r = self.client.get("/es" + self.url, {"place": "62701", "free": "on"})
        self.assertContains(r, '<span data-qa="filters-chosen">(1 elegido)</span>', html=True)
        r = self.client.get(self.url, {"place": "62701"})
        self.assertContains(r, folded)
        self.assertNotContains(r, 'data-qa="filters-chosen"')
        for open_again, status in (
            ({"free": "on", "type": "legal-advice"}, 200),  # nothing matches both
            ({"type": "astrology"}, 400),
        ):
            with self.subTest(open_again):
                r = self.client.get(self.url, open_again)
                self.assertEqual(r.status_code, status)
                self.assertContains(
                    r, '<details class="filters" data-qa="filters" open>', status_code=status
                )

    def test_it_shows_spanish_text_on_the_spanish_page(self) -> None:
        r = self.client.get("/es" + self.url, {"q": "escucha"})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Escucha y apoyo")
        self.assertContains(r, "Gratis")

    def test_it_explains_a_place_it_cannot_find_with_400(self) -> None:
        r = self.client.get(self.url, {"place": "Qwxyzville"})
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, 'data-qa="error-summary"', status_code=400)
        self.assertContains(r, "We could not find that place.", status_code=400)
        self.assertContains(r, 'aria-invalid="true"', status_code=400)

    def test_it_explains_a_time_at_the_end_of_the_calendar_with_400(self) -> None:
        # Year 9999 in a place west of UTC overflows when converted: a refusal, not a 500.
        r = self.client.get(self.url, {"place": "Springfield, IL", "open_at": "9999-12-31T23:59"})
        self.assertContains(r, "Choose a time within the next 30 days.", status_code=400)

    def test_it_rejects_a_value_the_form_does_not_offer(self) -> None:
        r = self.client.get(self.url, {"type": "astrology"})
        self.assertEqual(r.status_code, 400)

    def test_it_pages_through_results(self) -> None:
        organization = f.make_organization()
        for n in range(25):
            f.place(
                f.make_service(f"Group {n:02}", organization=organization, types=("support-group",))
            )
        index.rebuild_search_index(now=NOW)
        r = self.client.get(self.url, {"type": "support-group"})
        self.assertContains(r, "Page 1 of 2")
        self.assertContains(r, "page=2")
        r = self.client.get(self.url, {"type": "support-group", "page": "2"})
        self.assertContains(r, "Group 24")

    def test_it_is_the_same_for_signed_in_people_but_not_cached(self) -> None:
        self.client.force_login(self.mallory)
        r = self.client.get(self.url, {"q": "rights"})
        self.assertEqual(r.status_code, 200)
        self.assertNoStore(r)

    def test_it_only_answers_get(self) -> None:
        self.assertEqual(self.client.post(self.url).status_code, 405)


# What the results map receives (directory/_map.html), and any load from another origin.
CHAMPAIGN = (40.1164, -88.2434)  # 124 km from Springfield, IL
MAP_DATA = re.compile(r'<script id="results-map-data" type="application/json">(.*?)</script>', re.S)
ELSEWHERE = re.compile(r"<(script|link|img|iframe)\b[^>]*\b(src|href)=[\"']?(https?:)?//", re.I)


def map_data(page: bytes) -> dict[str, Any]:
    found = MAP_DATA.search(page.decode())
    assert found is not None, "the page has no map data"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


@time_machine.travel(NOW, tick=False)
class ResultsMapTests(BaseTestCase):
    """The map beside the results draws public addresses only (issue 11)."""

    url = "/help/"
    on_request: ServiceAtLocation
    shelter: ServiceAtLocation

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        f.place(f.make_service("Listening Counselling"))
        f.place(
            f.make_service("Rights Desk", types=("legal-advice",)), f.make_location(point=CHAMPAIGN)
        )
        cls.shelter = f.shelter()  # hidden, 2 km from the searched place
        cls.on_request = f.shelter("Quiet Harbour", visibility=AddressVisibility.ON_REQUEST)
        f.hotline("Night Line", area="Illinois")
        index.rebuild_search_index(now=NOW)

    def test_it_sends_the_map_public_addresses_only_numbered_as_in_the_list(self) -> None:
        r = self.client.get(self.url, {"place": "62701", "radius_km": "160"})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Harbour House")  # the shelters are in the list...
        self.assertContains(r, "Quiet Harbour")
        data = map_data(r.content)
        names = [p["name"] for p in data["points"]]
        self.assertEqual(names, ["Listening Counselling", "Rights Desk"])  # ...not on the map
        self.assertEqual(data["points"][0]["number"], 1)
        self.assertEqual((data["points"][1]["lat"], data["points"][1]["lng"]), CHAMPAIGN)
        self.assertRegex(data["points"][0]["url"], r"^/help/service/[0-9a-f-]{36}/#at-")
        self.assertEqual(data["place"]["label"], "62701 (Springfield, IL)")
        self.assertEqual(data["place"]["radius_km"], 160)
        for number in (p["number"] for p in data["points"]):
            self.assertContains(r, f'data-map-number="{number}"')
        self.assertEqual(f.leaked_secrets(r.content.decode()), [])

    def test_it_sends_not_even_the_grid_cell_of_a_private_address(self) -> None:
        r = self.client.get(self.url, {"place": "62701", "radius_km": "160"})
        data = map_data(r.content)
        numbers = {p[key] for p in [*data["points"], data["place"]] for key in ("lat", "lng")}
        private = SearchEntry.objects.filter(address_public=False, remote=False)
        self.assertEqual(private.count(), 2)
        for entry in private:
            self.assertIsNotNone(entry.latitude)
            self.assertNotIn(entry.latitude, numbers)
            self.assertNotIn(entry.longitude, numbers)
        self.assertNotIn("Harbour", json.dumps(data))

    def test_it_leaves_off_an_address_made_private_since_the_index_was_built(self) -> None:
        Location.objects.filter(latitude=CHAMPAIGN[0]).update(
            address_visibility=AddressVisibility.HIDDEN
        )
        r = self.client.get(self.url, {"place": "62701", "radius_km": "160"})
        points = map_data(r.content)["points"]
        self.assertEqual([p["name"] for p in points], ["Listening Counselling"])

    def test_it_has_no_map_when_no_result_has_a_public_address(self) -> None:
        r = self.client.get(self.url, {"place": "62701", "type": "safe-housing"})
        self.assertContains(r, "Harbour House")
        self.assertNotContains(r, 'data-qa="map"')
        self.assertNotContains(r, "results-map-data")
        self.assertNotContains(r, "js/directory/map.js")

    def test_it_keeps_the_list_first_and_loads_nothing_from_another_origin(self) -> None:
        for path in (self.url, "/es" + self.url):
            r = self.client.get(path, {"place": "62701"})
            body = r.content.decode()
            self.assertLess(body.index('data-qa="result-list"'), body.index('data-qa="map"'))
            self.assertRegex(body, r'data-qa="map"[^>]*\bhidden\b')  # drawn by script only
            self.assertIsNone(ELSEWHERE.search(body), ELSEWHERE.search(body))

    def test_it_words_the_map_in_spanish_on_the_spanish_page(self) -> None:
        r = self.client.get("/es" + self.url, {"place": "62701"})
        for words in (
            "Mapa de estos resultados",
            "Mostrar el mapa",
            'data-hide="Ocultar el mapa"',
            'data-marker="Punto del mapa"',
            "Cada número corresponde a un resultado de la lista.",
            "El círculo muestra 40 km alrededor de 62701 (Springfield, IL).",
            "Límites de los estados: Oficina del Censo de EE. UU.",
            "Punto del mapa",
        ):
            self.assertContains(r, words)
