"""manage.py load_demo: idempotent, clearly fictional, and covering every case."""

from __future__ import annotations

import re
from datetime import time

from django.core.management import CommandError
from django.db.models import Count, Q

from mend.directory import demo, taxonomy
from mend.directory.hsds import spec
from mend.directory.models import (
    Address,
    AddressVisibility,
    Attribute,
    CostOption,
    Language,
    Location,
    LocationType,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
)
from mend.directory.tests.hsds_support import run
from mend.findhelp import display
from mend.test import NOW, BaseTestCase


def counts() -> dict[str, int]:
    return {table.name: table.model._default_manager.count() for table in spec.TABLES}


class LoadDemoTests(BaseTestCase):
    def test_it_loads_about_forty_organisations_in_fifteen_cities(self) -> None:
        output = run("load_demo").strip()
        self.assertEqual(
            output, "Demo directory loaded: 39 organisations, 92 services, 41 locations."
        )
        cities = set(Address.objects.values_list("city", flat=True))
        self.assertEqual(len(cities), 15)
        self.assertTrue(all(o.name.startswith("Demo: ") for o in Organization.objects.all()))
        self.assertTrue(all(s.name.startswith("Demo: ") for s in Service.objects.all()))
        self.assertTrue(
            all(o.id.hex.startswith(demo.ID_PREFIX) for o in Organization.objects.all())
        )

    def test_it_leaves_a_directory_that_holds_services_alone(self) -> None:
        run("load_demo")
        first = counts()
        edited = Service.objects.order_by("id").first()
        assert edited is not None
        Service.objects.filter(id=edited.id).update(name="Demo: renamed by erin")
        Phone.objects.create(service=edited, number="+1-312-555-0199")  # an editor's addition
        output = run("load_demo")
        self.assertIn("already holds services, so the demo was not loaded", output)
        self.assertEqual(counts(), {**first, "phone": first["phone"] + 1})
        self.assertEqual(Service.objects.get(id=edited.id).name, "Demo: renamed by erin")
        self.assertTrue(Phone.objects.filter(number="+1-312-555-0199").exists())

    def test_it_does_not_add_the_demo_to_a_real_directory(self) -> None:
        real = Organization.objects.create(name="A real organisation", description="Not demo")
        Service.objects.create(organization=real, name="Real counselling", description="x")
        run("load_demo")
        self.assertEqual(list(Organization.objects.values_list("id", flat=True)), [real.id])
        self.assertEqual(Service.objects.count(), 1)

    def test_replace_reloads_the_demo_and_touches_no_other_record(self) -> None:
        run("load_demo")
        first = counts()
        real = Organization.objects.create(name="A real organisation", description="Not demo")
        edited = Service.objects.order_by("id").first()
        assert edited is not None
        Service.objects.filter(id=edited.id).update(name="Demo: renamed by erin")
        output = run("load_demo", "--replace")
        self.assertIn("Demo directory loaded", output)
        self.assertEqual(counts(), {**first, "organization": first["organization"] + 1})
        self.assertNotEqual(Service.objects.get(id=edited.id).name, "Demo: renamed by erin")
        self.assertTrue(Organization.objects.filter(id=real.id).exists())

    def test_replace_refuses_when_a_record_refers_to_the_demo(self) -> None:
        run("load_demo")
        first = counts()
        demo_org = Organization.objects.order_by("id").first()
        assert demo_org is not None
        added = Service.objects.create(organization=demo_org, name="Erin's service")
        with self.assertRaisesMessage(CommandError, f"service {added.id}"):
            run("load_demo", "--replace")
        self.assertTrue(Service.objects.filter(id=added.id).exists())
        self.assertEqual(counts(), {**first, "service": first["service"] + 1})

    def test_it_uses_real_zip_codes_and_fictional_phone_numbers(self) -> None:
        run("load_demo")
        self.assertIn("60601", set(Address.objects.values_list("postal_code", flat=True)))
        for number in Phone.objects.values_list("number", flat=True):
            self.assertRegex(number, r"^\+1-\d{3}-555-01\d\d$")
        self.assertEqual(
            Phone.objects.values("number").annotate(n=Count("id")).filter(n__gt=1).count(), 0
        )


class DemoCoverageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        run("load_demo")

    def test_it_covers_every_mend_service_type(self) -> None:
        linked = set(
            Attribute.objects.filter(link_entity="service").values_list(
                "taxonomy_term_id", flat=True
            )
        )
        for term in taxonomy.SERVICE_TYPES:
            self.assertIn(term.id, linked, term.code)

    def test_it_links_eligibility_and_accessibility_terms(self) -> None:
        terms = set(Attribute.objects.values_list("taxonomy_term__taxonomy", flat=True))
        self.assertEqual(
            terms, {taxonomy.SERVICE_TYPE, taxonomy.ELIGIBILITY, taxonomy.ACCESSIBILITY}
        )
        not_asked = taxonomy.BY_CODE[(taxonomy.ELIGIBILITY, "immigration-status-not-asked")]
        self.assertTrue(Attribute.objects.filter(taxonomy_term_id=not_asked.id).exists())

    def test_it_has_hidden_and_on_request_addresses(self) -> None:
        for visibility in (AddressVisibility.HIDDEN, AddressVisibility.ON_REQUEST):
            with self.subTest(visibility):
                places = Location.objects.filter(address_visibility=visibility)
                self.assertTrue(Address.objects.filter(location__in=places).exists())

    def test_it_has_phone_only_and_online_services(self) -> None:
        phone_only = Service.objects.filter(service_at_locations__isnull=True, phones__isnull=False)
        self.assertTrue(phone_only.exists())
        online = ServiceAtLocation.objects.filter(location__location_type=LocationType.VIRTUAL)
        self.assertTrue(online.exists())

    def test_it_speaks_many_languages(self) -> None:
        codes = set(Language.objects.values_list("code", flat=True))
        self.assertTrue(
            {"en", "es", "zh", "vi", "ar", "fr", "ht", "ko", "ru", "tl", "ase"} <= codes
        )

    def test_it_has_free_and_paid_services(self) -> None:
        paid = Service.objects.filter(cost_options__amount__gt=0).distinct()
        free = Service.objects.exclude(id__in=paid).filter(cost_options__amount=0)
        self.assertTrue(paid.exists())
        self.assertTrue(free.exists())
        self.assertFalse(Service.objects.filter(cost_options__isnull=True).exists())
        self.assertTrue(CostOption.objects.filter(currency="USD").exists())

    def test_every_service_has_a_last_checked_date_and_spanish_text(self) -> None:
        for service in Service.objects.all():
            self.assertIsNotNone(service.assured_date)
            self.assertTrue(service.translations["es"]["description"])

    def test_it_has_the_schedule_edge_cases(self) -> None:
        midnight = time(0)
        self.assertTrue(Schedule.objects.filter(opens_at=midnight, closes_at=midnight).exists())
        self.assertTrue(Schedule.objects.filter(freq="MONTHLY", byday="1TU").exists())
        overnight = Schedule.objects.filter(opens_at=time(18), closes_at=time(2))
        self.assertTrue(overnight.exists())
        closures = Schedule.objects.filter(opens_at=None, closes_at=None, valid_from__isnull=False)
        self.assertTrue(closures.filter(description__startswith="Closed for Thanksgiving").exists())
        split = (
            Schedule.objects.filter(service_at_location__isnull=False, opens_at__isnull=False)
            .values("service_at_location", "byday")
            .annotate(sessions=Count("id"))
            .filter(sessions=2)
        )
        self.assertTrue(split.exists())

    def test_it_spans_six_time_zones(self) -> None:
        zones = set(
            Location.objects.exclude(location_type=LocationType.VIRTUAL).values_list(
                "time_zone", flat=True
            )
        )
        self.assertEqual(
            zones,
            {
                "America/New_York",
                "America/Chicago",
                "America/Denver",
                "America/Phoenix",
                "America/Los_Angeles",
                "Pacific/Honolulu",
            },
        )

    def test_every_record_is_in_the_demo_id_range(self) -> None:
        for table in spec.TABLES:
            if table.name in ("taxonomy", "taxonomy_term"):
                continue  # the Mend taxonomy has its own stable ids
            outside = table.model._default_manager.filter(
                ~Q(pk__gte=demo.FIRST_ID) | ~Q(pk__lte=demo.LAST_ID)
            )
            self.assertFalse(outside.exists(), table.name)

    def test_every_service_page_says_how_to_reach_it(self) -> None:
        # A number to call wherever there is a place to go (a hidden one says "call
        # first"); an online-only service at least its website.
        for service in Service.objects.select_related("organization"):
            view = display.service_view(service, NOW)
            numbers = view.phones + [p for place in view.places for p in place.phones]
            online_only = all(place.remote and place.name for place in view.places)
            with self.subTest(service.name):
                self.assertTrue(numbers or (online_only and view.url))

    def test_names_say_it_is_demo_data(self) -> None:
        for description in Organization.objects.values_list("description", flat=True):
            self.assertRegex(description, re.compile("Demo data"))
