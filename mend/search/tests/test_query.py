"""The one search function behind the pages and the API."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from django.test import TestCase

from mend.directory import taxonomy
from mend.directory.models import AddressVisibility, ServiceAtLocation
from mend.search import codes, index, memory, nearby
from mend.search.params import InvalidParameter, SearchParams, resolve
from mend.search.query import search_services
from mend.search.results import SearchResult
from mend.search.tests import factories as f

NOW = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)  # Monday 10:00 in Chicago


def search(**kwargs: object) -> SearchResult:
    kwargs.setdefault("now", NOW)
    return search_services(SearchParams(**kwargs))  # type: ignore[arg-type]


def names(result: SearchResult) -> list[str]:
    return [hit.entry.service.name for hit in result.hits]


class PlaceTests(TestCase):
    shelter: ServiceAtLocation

    @classmethod
    def setUpTestData(cls) -> None:
        near = f.make_service("Near Counselling")
        f.place(near, f.make_location(point=(39.80, -89.65)))
        nearer = f.make_service("Nearer Advocacy", types=("advocacy",))
        f.place(nearer, f.make_location(point=(39.78, -89.65)))
        far = f.make_service("Chicago Counselling")
        f.place(far, f.make_location(point=f.CHICAGO, city="Chicago", postal_code="60601"))
        cls.shelter = f.shelter()
        f.hotline("Illinois Line", area="Illinois")
        f.hotline("Texas Line", area="Texas")
        f.hotline("Everywhere Line")
        index.rebuild_search_index(now=NOW)

    def test_it_finds_services_within_the_radius_nearest_first(self) -> None:
        result = search(place="Springfield, IL", radius_km=20, include_remote=False)
        self.assertEqual(names(result), ["Nearer Advocacy", "Near Counselling", "Harbour House"])
        self.assertEqual(result.place.label if result.place else "", "Springfield, IL")

    def test_it_finds_by_zip_code_and_by_coordinates(self) -> None:
        by_zip = search(postcode="62701", radius_km=20, include_remote=False)
        by_point = search(latitude=39.79, longitude=-89.65, radius_km=20, include_remote=False)
        self.assertEqual(len(by_zip.hits), 3)
        self.assertEqual(names(by_point), names(by_zip))

    def test_it_gives_a_distance_only_for_public_addresses(self) -> None:
        result = search(place="62701", radius_km=20, include_remote=False)
        for hit in result.hits:
            if hit.entry.address_public:
                self.assertIsNotNone(hit.distance_km)
            else:
                self.assertIsNone(hit.distance_km)
        self.assertIn(self.shelter.service.name, names(result))

    def test_a_wider_radius_reaches_further(self) -> None:
        result = search(place="Springfield, IL", radius_km=400, include_remote=False)
        self.assertIn("Chicago Counselling", names(result))

    def test_it_adds_remote_services_that_serve_the_state_last(self) -> None:
        result = search(place="Springfield, IL", radius_km=20, include_remote=True)
        self.assertEqual(
            names(result)[3:], ["Everywhere Line", "Illinois Line"]
        )  # no Texas Line: it serves Texas only
        self.assertTrue(all(hit.entry.remote for hit in result.hits[3:]))

    def test_it_filters_by_service_type(self) -> None:
        result = search(
            place="Springfield, IL", types=("advocacy", "safe-housing"), include_remote=False
        )
        self.assertEqual(names(result), ["Nearer Advocacy", "Harbour House"])

    def test_it_groups_by_service_for_the_services_list(self) -> None:
        result = search(types=("crisis-line",), by_service=True)
        self.assertEqual(result.total_items, 3)
        self.assertEqual(len(result.service_ids), 3)


class FilterTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        spanish = f.make_service(
            "Spanish Free", languages=("es",), eligibility=("women", "lgbtqia")
        )
        f.weekly_hours(spanish)
        f.closed_on(spanish, date(2026, 11, 26))
        f.place(spanish, f.make_location(accessibility=("wheelchair",)))
        paid = f.make_service("English Paid", languages=("en",), free=False, eligibility=("women",))
        f.weekly_hours(paid, time(18), time(22))
        f.place(paid)
        f.place(f.make_service("No Hours", languages=("en",)))
        index.rebuild_search_index(now=NOW)

    def test_it_filters_free_and_language_together(self) -> None:
        self.assertEqual(names(search(free=True, languages=("es",))), ["Spanish Free"])
        self.assertEqual(names(search(free=True, languages=("en",))), ["No Hours"])

    def test_it_requires_every_eligibility_and_accessibility_asked_for(self) -> None:
        self.assertEqual(names(search(eligibility=("women",))), ["English Paid", "Spanish Free"])
        self.assertEqual(names(search(eligibility=("women", "lgbtqia"))), ["Spanish Free"])
        self.assertEqual(names(search(accessibility=("wheelchair",))), ["Spanish Free"])

    def test_it_finds_what_is_open_now_in_local_time(self) -> None:
        result = search(open_now=True)
        self.assertEqual(names(result), ["Spanish Free"])
        self.assertTrue(result.hits[0].open_now)

    def test_it_says_whether_each_result_is_open(self) -> None:
        result = search()
        self.assertEqual(
            {hit.entry.service.name: hit.open_now for hit in result.hits},
            {"Spanish Free": True, "English Paid": False, "No Hours": None},
        )

    def test_it_finds_what_is_open_at_a_chosen_time(self) -> None:
        evening = datetime(2026, 11, 24, 19, 30)  # naive: the place's time (Chicago)
        result = search(place="Springfield, IL", open_at=evening, include_remote=False)
        self.assertEqual(names(result), ["English Paid"])

    def test_it_is_closed_on_a_holiday(self) -> None:
        thanksgiving = datetime(2026, 11, 26, 17, tzinfo=UTC)
        self.assertEqual(names(search(open_at=thanksgiving)), [])
        self.assertEqual(names(search(open_at=thanksgiving + timedelta(days=1))), ["Spanish Free"])


class TextTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        f.place(
            f.make_service(
                "Legal Help Desk", types=("legal-advice",), description="Advice on your rights."
            )
        )
        f.place(
            f.make_service(
                "Rights Clinic",
                types=("advocacy",),
                description="Legal and practical support.",
                translations={
                    "es": {"name": "Clínica de derechos", "description": "Asesoría jurídica."}
                },
            )
        )
        f.place(f.make_service("Quiet Room", types=("support-group",)))
        index.rebuild_search_index(now=NOW)

    def test_it_matches_word_prefixes_title_matches_first(self) -> None:
        self.assertEqual(names(search(text="leg")), ["Legal Help Desk", "Rights Clinic"])

    def test_it_requires_every_word(self) -> None:
        self.assertEqual(names(search(text="legal rights clinic")), ["Rights Clinic"])

    def test_it_ignores_accents_case_and_plurals(self) -> None:
        self.assertEqual(names(search(text="CLÍNICAS")), ["Rights Clinic"])
        self.assertEqual(names(search(text="asesoria juridica")), ["Rights Clinic"])

    def test_it_finds_service_types_by_their_name_in_either_language(self) -> None:
        self.assertEqual(names(search(text="grupo de apoyo")), ["Quiet Room"])
        self.assertEqual(names(search(text="support group")), ["Quiet Room"])

    def test_it_finds_nothing_for_an_unknown_word(self) -> None:
        result = search(text="zzzzq")
        self.assertTrue(result.empty)
        self.assertEqual(result.total_pages, 1)


class PaginationTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        organization = f.make_organization()
        for n in range(5):
            f.place(f.make_service(f"Service {n}", organization=organization))
        index.rebuild_search_index(now=NOW)

    def test_it_returns_the_hsds_page_envelope(self) -> None:
        result = search(page=2, per_page=2)
        self.assertEqual(names(result), ["Service 2", "Service 3"])
        self.assertEqual(
            result.envelope(),
            {
                "total_items": 5,
                "total_pages": 3,
                "page_number": 2,
                "size": 2,
                "first_page": False,
                "last_page": False,
                "empty": False,
            },
        )

    def test_a_page_past_the_end_is_empty_but_counts_everything(self) -> None:
        result = search(page=9, per_page=2)
        self.assertEqual(result.hits, [])
        self.assertEqual(result.total_items, 5)
        self.assertTrue(result.last_page)


class ValidationTests(TestCase):
    def assertRejects(self, parameter: str, **kwargs: object) -> None:
        with self.assertRaises(InvalidParameter) as caught:
            search(**kwargs)
        self.assertEqual(caught.exception.parameter, parameter)

    def test_it_names_the_parameter_that_is_wrong(self) -> None:
        self.assertRejects("place", place="Qwxyzville")
        self.assertRejects("postcode", postcode="00000")
        self.assertRejects("radius_km", place="62701", radius_km=0)
        self.assertRejects("radius_km", place="62701", radius_km=501)
        self.assertRejects("lng", latitude=39.0)
        self.assertRejects("lat", latitude=91.0, longitude=0.0)
        self.assertRejects("type", types=("astrology",))
        self.assertRejects("eligibility", eligibility=("everyone",))
        self.assertRejects("accessibility", accessibility=("lift",))
        self.assertRejects("language", languages=("Spanish",))
        self.assertRejects("open_at", open_at=NOW + timedelta(days=31))
        self.assertRejects("sort", sort="distance")
        self.assertRejects("sort", sort="random")
        self.assertRejects("page", page=0)
        self.assertRejects("per_page", per_page=101)
        self.assertRejects("text", text="x" * 201)

    def test_mend_terms_asked_by_id_require_each_of_their_bits_with_the_codes_asked(
        self,
    ) -> None:
        women, adults = taxonomy.ELIGIBILITIES[0], taxonomy.ELIGIBILITIES[4]
        wheelchair, counselling = taxonomy.ACCESSIBILITY_FEATURES[0], taxonomy.SERVICE_TYPES[1]
        r = resolve(
            SearchParams(
                place="62701",
                eligibility=("low-income",),
                taxonomy_term_ids=(women.id, adults.id, wheelchair.id, counselling.id),
                now=NOW,
            )
        )
        asked = ("women", "adults", "low-income")
        self.assertEqual(r.codes.eligibility, codes.mask(codes.ELIGIBILITY, asked))
        self.assertEqual(r.codes.accessibility, codes.mask(codes.ACCESSIBILITY, ["wheelchair"]))
        self.assertEqual(r.codes.all_types, codes.mask(codes.TYPE, ["counselling"]))
        self.assertEqual((r.codes.any_types, r.linked_terms), (0, ()))

    def test_shelters_are_never_sorted_closer_than_their_grid_cell(self) -> None:
        sal = f.shelter(visibility=AddressVisibility.HIDDEN)
        index.rebuild_search_index(now=NOW)
        # 1 km from the real address, but 5 km from the grid cell's centre.
        result = search(latitude=39.81, longitude=-89.6436, radius_km=1, include_remote=False)
        self.assertNotIn(sal.service.name, names(result))


class DistancePageTests(TestCase):
    """A page by distance from the search file names only the rows that can be on it
    (``memory.page``): it must be the same page as sorting every match, ties included."""

    @classmethod
    def setUpTestData(cls) -> None:
        # Pairs at the very same position: only the name, then the id, orders them.
        for n, point in enumerate(((39.80, -89.65), (39.78, -89.65), (39.79, -89.60)) * 2):
            service = f.make_service(f"{'BA'[n % 2]} Service {n}")
            f.place(service, f.make_location(point=point))
        f.hotline("Illinois Line", area="Illinois")
        f.hotline("Everywhere Line")
        index.rebuild_search_index(now=NOW)

    def test_every_page_is_the_page_of_every_match_in_order(self) -> None:
        snapshot = nearby.current()
        assert snapshot is not None
        counted = []
        for include_remote in (True, False):
            for per_page in (1, 2, 3, 5):
                params = SearchParams(
                    postcode="62701", include_remote=include_remote, per_page=per_page, now=NOW
                )
                r = resolve(params)
                ranked = memory.ranked(r, snapshot)
                counted.append(len(ranked))
                for page in range(1, len(ranked) // per_page + 3):
                    paged = resolve(replace(params, page=page))
                    with self.subTest(include_remote=include_remote, per_page=per_page, page=page):
                        fast = memory.page(paged, snapshot)
                        every = memory.page_of_rows(ranked, paged)
                        self.assertEqual(fast.total_items, len(ranked))
                        self.assertEqual(fast.entry_ids, every.entry_ids)
        self.assertEqual(set(counted), {8, 6})  # all six, and the two lines when asked
