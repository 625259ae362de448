"""Building the search index from the HSDS tables."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from mend.directory.models import (
    AddressVisibility,
    LocationType,
    Schedule,
    ServiceArea,
    ServiceStatus,
)
from mend.search import codes, fulltext, hours_profiles, index
from mend.search.models import (
    EntryTerm,
    HoursProfile,
    OpenInterval,
    SearchDocument,
    SearchEntry,
    SearchText,
)
from mend.search.params import SearchParams
from mend.search.query import search_services
from mend.search.results import SearchResult
from mend.search.tests import factories as f


def names(result: SearchResult) -> list[str]:
    return [hit.entry.service.name for hit in result.hits]


NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # a Monday, 09:00 in Chicago


def tags_of(entry: SearchEntry) -> set[tuple[str, str]]:
    """What the entry's filter columns say, as (kind, code) pairs."""
    bits = {
        codes.TYPE: entry.type_bits,
        codes.ELIGIBILITY: entry.eligibility_bits,
        codes.ACCESSIBILITY: entry.accessibility_bits,
    }
    found = {(kind, code) for kind, value in bits.items() for code in codes.decode(kind, value)}
    found |= {("language", code) for code in entry.languages.split()}
    return found | {("area", code) for code in entry.areas.split()}


def tokens_of(entry: SearchEntry) -> set[str]:
    return fulltext.stored_words(entry.pk)


class RebuildTests(TestCase):
    def test_it_writes_one_entry_per_service_at_location(self) -> None:
        service = f.make_service()
        f.place(service)
        f.place(service, f.make_location(point=f.CHICAGO, city="Chicago"))
        self.assertEqual(index.rebuild_search_index(now=NOW), 2)
        self.assertEqual(SearchEntry.objects.filter(service=service, remote=False).count(), 2)

    def test_it_writes_one_remote_entry_for_a_service_without_location(self) -> None:
        line = f.hotline()
        index.rebuild_search_index(now=NOW)
        entry = SearchEntry.objects.get(service=line)
        self.assertTrue(entry.remote)
        self.assertIsNone(entry.location_id)
        self.assertIsNone(entry.latitude)

    def test_it_treats_a_virtual_location_as_remote(self) -> None:
        service = f.make_service("Online Chat")
        f.place(service, f.make_location(point=None, location_type=LocationType.VIRTUAL))
        index.rebuild_search_index(now=NOW)
        self.assertTrue(SearchEntry.objects.get(service=service).remote)

    def test_it_keeps_the_exact_position_of_a_public_address(self) -> None:
        f.place(f.make_service())
        index.rebuild_search_index(now=NOW)
        entry = SearchEntry.objects.get()
        self.assertTrue(entry.address_public)
        self.assertEqual((entry.latitude, entry.longitude), f.SPRINGFIELD)

    def test_it_snaps_hidden_and_on_request_positions_to_the_grid(self) -> None:
        hidden = f.shelter()
        on_request = f.shelter("Safe Haven", visibility=AddressVisibility.ON_REQUEST)
        index.rebuild_search_index(now=NOW)
        for sal in (hidden, on_request):
            entry = SearchEntry.objects.get(service_at_location=sal)
            self.assertFalse(entry.address_public)
            self.assertEqual((entry.latitude, entry.longitude), (39.85, -89.65))

    def test_it_never_indexes_the_words_of_a_hidden_address(self) -> None:
        sal = f.shelter()
        index.rebuild_search_index(now=NOW)
        words = tokens_of(SearchEntry.objects.get(service_at_location=sal))
        self.assertNotIn("secret", words)
        self.assertNotIn("62702", words)
        self.assertNotIn("springfield", words)
        self.assertIn("sangamon", words)  # the service area is what is public

    def test_it_indexes_the_words_of_a_public_address(self) -> None:
        f.place(f.make_service())
        index.rebuild_search_index(now=NOW)
        self.assertTrue(
            {"springfield", "62701", "listening", "counseling"}
            <= tokens_of(SearchEntry.objects.get())
        )

    def test_it_tags_types_eligibility_accessibility_and_languages(self) -> None:
        service = f.make_service(
            types=("counselling", "advocacy"), eligibility=("women",), languages=("es", "en-US")
        )
        f.place(service, f.make_location(accessibility=("wheelchair",)))
        index.rebuild_search_index(now=NOW)
        self.assertEqual(
            tags_of(SearchEntry.objects.get()),
            {
                ("type", "counselling"),
                ("type", "advocacy"),
                ("eligibility", "women"),
                ("accessibility", "wheelchair"),
                ("language", "es"),
                ("language", "en"),
            },
        )

    def test_it_tags_the_states_a_remote_service_serves(self) -> None:
        texas = f.hotline("Texas Line", area="Texas")
        national = f.hotline("National Line", area="Nationwide")
        index.rebuild_search_index(now=NOW)
        self.assertIn(("area", "TX"), tags_of(SearchEntry.objects.get(service=texas)))
        self.assertIn(("area", "US"), tags_of(SearchEntry.objects.get(service=national)))

    def test_it_marks_free_services_only_when_nothing_has_a_price(self) -> None:
        free = f.make_service("Free One")
        paid = f.make_service("Paid One", free=False)
        described = f.make_service("Described One", free=False)
        described.cost_options.all().delete()
        described.fees_description = "Always free of charge."
        described.save()
        for service in (free, paid, described):
            f.place(service)
        index.rebuild_search_index(now=NOW)
        self.assertEqual(
            dict(SearchEntry.objects.values_list("service__name", "free")),
            {"Free One": True, "Paid One": False, "Described One": True},
        )

    def test_it_leaves_out_services_that_are_not_active(self) -> None:
        f.place(f.make_service(status=ServiceStatus.DEFUNCT))
        self.assertEqual(index.rebuild_search_index(now=NOW), 0)


class HoursIndexTests(TestCase):
    def test_it_shares_one_profile_between_identical_hours(self) -> None:
        for name in ("One", "Two"):
            service = f.make_service(name)
            f.weekly_hours(service)
            f.place(service)
        index.rebuild_search_index(now=NOW)
        self.assertEqual(HoursProfile.objects.count(), 1)
        self.assertEqual(SearchEntry.objects.filter(hours__isnull=False).count(), 2)

    def test_it_stores_intervals_of_at_most_a_day_over_the_horizon(self) -> None:
        line = f.hotline()
        index.rebuild_search_index(now=NOW)
        intervals = OpenInterval.objects.filter(profile__entries__service=line)
        self.assertTrue(all(i.closes_at - i.opens_at <= timedelta(days=1) for i in intervals))
        last = max(i.closes_at for i in intervals)
        self.assertEqual(last, NOW + timedelta(days=hours_profiles.HORIZON_DAYS))

    def test_it_prefers_service_at_location_hours_then_service_then_location(self) -> None:
        service = f.make_service()
        location = f.make_location()
        sal = f.place(service, location)
        f.weekly_hours(location, time(8), time(20))
        f.weekly_hours(service, time(9), time(17))
        index.rebuild_search_index(now=NOW)
        rules = SearchEntry.objects.get(service_at_location=sal).hours.rules  # type: ignore[union-attr]
        self.assertEqual([r["opens_at"] for r in rules], ["09:00:00"])
        f.weekly_hours(sal, time(10), time(12))
        index.rebuild_search_index([service.id], now=NOW)
        rules = SearchEntry.objects.get(service_at_location=sal).hours.rules  # type: ignore[union-attr]
        self.assertEqual([r["opens_at"] for r in rules], ["10:00:00"])

    def test_it_applies_a_holiday_closure_at_any_level(self) -> None:
        service = f.make_service()
        location = f.make_location()
        f.place(service, location)
        f.weekly_hours(service)
        Schedule.objects.create(
            location=location, valid_from=date(2026, 11, 26), description="Thanksgiving"
        )
        index.rebuild_search_index(now=NOW)
        thanksgiving_noon = datetime(2026, 11, 26, 18, tzinfo=UTC)
        open_then = OpenInterval.objects.filter(
            opens_at__lte=thanksgiving_noon, closes_at__gt=thanksgiving_noon
        )
        self.assertFalse(open_then.exists())

    def test_it_treats_an_unreadable_schedule_as_unknown_hours(self) -> None:
        service = f.make_service()
        f.place(service)
        f.weekly_hours(service, byday="XX")
        with self.assertLogs("mend.search.index", "WARNING"):
            index.rebuild_search_index(now=NOW)
        self.assertFalse(OpenInterval.objects.exists())

    def test_it_moves_the_window_forward_daily(self) -> None:
        f.place(f.hotline())
        index.rebuild_search_index(now=NOW)
        later = NOW + timedelta(days=10)
        self.assertEqual(index.refresh_hours(now=later), 1)
        self.assertEqual(
            max(OpenInterval.objects.values_list("closes_at", flat=True)),
            later + timedelta(days=hours_profiles.HORIZON_DAYS),
        )

    def test_it_removes_profiles_nobody_uses_on_a_full_rebuild(self) -> None:
        service = f.make_service()
        f.place(service)
        schedule = f.weekly_hours(service)
        index.rebuild_search_index(now=NOW)
        schedule.delete()
        index.rebuild_search_index(now=NOW)
        self.assertFalse(HoursProfile.objects.exists())


class RefreshTests(TestCase):
    def test_it_refreshes_one_service_and_leaves_the_others(self) -> None:
        kept, changed = f.make_service("Kept"), f.make_service("Changed")
        f.place(kept)
        f.place(changed)
        index.rebuild_search_index(now=NOW)
        kept_ids = set(SearchEntry.objects.filter(service=kept).values_list("pk", flat=True))
        changed.name = "Renamed"
        changed.save()
        self.assertEqual(index.rebuild_search_index([changed.id], now=NOW), 1)
        self.assertEqual(
            set(SearchEntry.objects.filter(service=kept).values_list("pk", flat=True)), kept_ids
        )
        self.assertEqual(SearchEntry.objects.get(service=changed).sort_name, "renamed")

    def test_it_drops_a_service_that_is_no_longer_active(self) -> None:
        service = f.make_service()
        f.place(service)
        index.rebuild_search_index(now=NOW)
        service.status = ServiceStatus.INACTIVE
        service.save()
        index.rebuild_search_index([service.id], now=NOW)
        self.assertFalse(SearchEntry.objects.exists())

    def test_deleting_a_service_deletes_its_rows(self) -> None:
        service = f.make_service()
        f.place(service)
        index.rebuild_search_index(now=NOW)
        self.assertEqual(owned_rows(), {"terms": 1, "documents": 1, "texts": 1})
        service.delete()
        self.assertFalse(SearchEntry.objects.exists())
        self.assertEqual(owned_rows(), {"terms": 0, "documents": 0, "texts": 0})

    def test_deleting_an_organization_or_a_location_deletes_the_entries_they_are_in(
        self,
    ) -> None:
        # The entries' copies of these have no database constraint: Django deletes them.
        by_organization, by_location = f.make_service("Harbor"), f.make_service("Prairie")
        f.place(by_organization)
        place = f.place(by_location).location
        index.rebuild_search_index(now=NOW)
        self.assertEqual(SearchEntry.objects.count(), 2)

        by_organization.organization.delete()
        place.delete()

        self.assertFalse(SearchEntry.objects.exists())
        self.assertEqual(owned_rows(), {"terms": 0, "documents": 0, "texts": 0})

    def test_a_refresh_leaves_no_terms_or_documents_of_the_entries_it_replaced(self) -> None:
        service = f.make_service()
        f.place(service)
        f.place(service, f.make_location(point=f.CHICAGO, city="Chicago"))
        index.rebuild_search_index(now=NOW)
        before = set(SearchEntry.objects.values_list("pk", flat=True))

        index.rebuild_search_index([service.id], now=NOW)

        after = set(SearchEntry.objects.values_list("pk", flat=True))
        self.assertTrue(after.isdisjoint(before))
        self.assertEqual(set(EntryTerm.objects.values_list("entry_id", flat=True)), after)
        self.assertEqual(set(SearchDocument.objects.values_list("entry_id", flat=True)), after)


def owned_rows() -> dict[str, int]:
    """How many rows an entry owns in the index's other tables, all entries together."""
    return {
        "terms": EntryTerm.objects.count(),
        "documents": SearchDocument.objects.count(),
        "texts": SearchText.objects.count(),
    }


class CommandTests(TestCase):
    def test_a_service_without_a_location_is_remote_only_when_an_editor_says_so(self) -> None:
        unplaced = f.make_service("Not Yet Placed")
        line = f.hotline("Night Line")
        index.rebuild_search_index(now=NOW)
        entries = {e.service_id: e for e in SearchEntry.objects.all()}
        self.assertFalse(entries[unplaced.id].remote)
        self.assertTrue(entries[line.id].remote)
        near = SearchParams(postcode="62701", radius_km=20, now=NOW)
        self.assertEqual(names(search_services(near)), ["Night Line"])
        words = SearchParams(text="placed", now=NOW)
        self.assertEqual(names(search_services(words)), ["Not Yet Placed"])

    def test_it_rebuilds_from_the_command_line(self) -> None:
        f.place(f.make_service())
        ServiceArea.objects.create(name="Illinois")
        out = StringIO()
        call_command("rebuild_search_index", stdout=out)
        self.assertIn("Indexed 1 search entries", out.getvalue())
        self.assertEqual(SearchEntry.objects.count(), 1)

    def test_it_refreshes_only_the_hours_when_asked(self) -> None:
        f.hotline()
        index.rebuild_search_index(now=NOW)
        out = StringIO()
        call_command("rebuild_search_index", "--hours-only", stdout=out)
        self.assertIn("Indexed 1 opening-hours profiles", out.getvalue())
