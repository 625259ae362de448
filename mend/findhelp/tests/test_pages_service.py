"""A service's page (GET /help/service/<id>/)."""

from __future__ import annotations

import uuid
from datetime import date, time

import time_machine
from django.urls import reverse
from django.utils import translation

from mend.directory.models import (
    Accessibility,
    AddressVisibility,
    Language,
    Phone,
    Service,
    ServiceAtLocation,
    ServiceStatus,
)
from mend.search.tests import factories as f
from mend.test import NOW, BaseTestCase


@time_machine.travel(NOW, tick=False)
class ServicePageTests(BaseTestCase):
    service: Service
    shelter: ServiceAtLocation
    safe_haven: ServiceAtLocation

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.service = f.make_service(
            "Listening Counselling",
            assured_date=date(2026, 10, 1),
            application_process="Call us and ask for a first appointment.",
            translations={
                "es": {"name": "Escucha y apoyo", "description": "Habla con una consejera."}
            },
        )
        f.phone(cls.service, "+1 (217) 555-0100")
        location = f.make_location(accessibility=("wheelchair",), transportation="Bus 3 to Elm St")
        f.place(cls.service, location)
        f.weekly_hours(cls.service)
        f.weekly_hours(cls.service, time(18), time(20), byday="TU")
        f.closed_on(cls.service, date(2026, 11, 26), "Closed for Thanksgiving")
        cls.shelter = f.shelter()
        cls.safe_haven = f.shelter("Safe Haven", visibility=AddressVisibility.ON_REQUEST)

    def url(self, service_id: uuid.UUID) -> str:
        # English: reverse() would otherwise follow whichever language a test left active.
        with translation.override("en"):
            return reverse("findhelp:service", args=[service_id])

    def test_it_shows_what_to_expect_how_to_get_there_and_when(self) -> None:
        r = self.client.get(self.url(self.service.id))
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "<h1>Listening Counselling</h1>", html=True)
        self.assertContains(r, "Call us and ask for a first appointment.")
        self.assertContains(r, "100 Elm Street")
        self.assertContains(r, "Bus 3 to Elm St")
        self.assertContains(r, "Wheelchair accessible")
        self.assertContains(r, "9 a.m.\u20135 p.m.")  # as people in the US write it
        self.assertContains(r, "Times are local (America/Chicago).")
        self.assertContains(r, "English, Spanish")
        self.assertContains(r, "Free of charge")
        self.assertContains(r, '<time datetime="2026-10-01">Oct. 1, 2026</time>', html=True)

    def test_it_offers_tap_to_call(self) -> None:
        r = self.client.get(self.url(self.service.id))
        self.assertContains(r, 'href="tel:+12175550100"')

    def test_a_vanity_number_dials_its_letters_keys(self) -> None:
        # 1-800-656-HOPE linked to tel:1800656, an incomplete number (found by a review).
        line = f.make_service("Night Line")
        f.place(line)
        f.phone(line, "1-800-656-HOPE")
        r = self.client.get(self.url(line.id))
        self.assertContains(r, 'href="tel:18006564673"')
        self.assertContains(r, "Call 1-800-656-HOPE")

    def test_it_offers_the_organisations_number_and_website_when_the_service_has_none(
        self,
    ) -> None:
        org = f.make_organization("Prairie Legal", website="https://prairie.example.org")
        Phone.objects.create(organization=org, number="+1 217 555 0177", type="voice")
        Phone.objects.create(organization=org, number="+1 217 555 0178", type="fax")
        quiet = f.make_service("Rights Desk", organization=org)
        f.place(quiet)
        r = self.client.get(self.url(quiet.id))
        self.assertContains(r, 'href="tel:+12175550177"')
        self.assertNotContains(r, "555 0178")  # a fax is not a way to reach help
        self.assertContains(r, 'href="https://prairie.example.org"')

    def test_a_places_own_number_comes_before_the_organisations(self) -> None:
        org = f.make_organization("Prairie Legal")
        Phone.objects.create(organization=org, number="+1 217 555 0177", type="voice")
        quiet = f.make_service("Rights Desk", organization=org)
        location = f.make_location()
        Phone.objects.create(location=location, number="+1 217 555 0166", type="voice")
        f.place(quiet, location)
        r = self.client.get(self.url(quiet.id))
        self.assertContains(r, 'href="tel:+12175550166"')
        self.assertNotContains(r, "tel:+12175550177")

    def test_it_names_languages_in_the_pages_language(self) -> None:
        spoken = f.make_service("Many Voices", languages=())
        f.place(spoken)
        for code, name in (("zh", ""), ("ase", "American Sign Language"), ("ht", "")):
            Language.objects.create(service=spoken, code=code, name=name)
        r = self.client.get(self.url(spoken.id))
        self.assertContains(r, "American Sign Language, Chinese, Haitian Creole")
        r = self.client.get("/es" + self.url(spoken.id))
        # CLDR has no Spanish name for ASL: the data's own name stands in.
        self.assertContains(r, "American Sign Language, chino, criollo haitiano")
        self.assertNotContains(r, ">zh<")

    def test_it_lists_each_accessibility_feature_once(self) -> None:
        location = f.make_location(accessibility=("wheelchair", "quiet-space"))
        Accessibility.objects.create(
            location=location,
            description="Wheelchair accessible, quiet waiting space.",
            details="Ask us about anything else you need.",
        )
        f.place(f.make_service("Step Free"), location)
        r = self.client.get(self.url(location.service_at_locations.get().service_id))
        self.assertContains(r, "Wheelchair accessible", count=1)
        self.assertContains(r, "Ask us about anything else you need.", count=1)

    def test_it_keeps_a_hidden_address_private(self) -> None:
        r = self.client.get(self.url(self.shelter.service_id))
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "The address is kept private to keep people safe.")
        self.assertContains(r, "Sangamon County")
        self.assertContains(r, 'href="tel:+12175550142"')
        self.assertEqual(f.leaked_secrets(r.content.decode()), [])

    def test_it_says_an_on_request_address_is_given_on_request(self) -> None:
        r = self.client.get(self.url(self.safe_haven.service_id))
        self.assertContains(r, "Address given on request: call first.")
        self.assertEqual(f.leaked_secrets(r.content.decode()), [])

    def test_it_shows_translated_text_in_spanish(self) -> None:
        r = self.client.get("/es" + self.url(self.service.id))
        self.assertContains(r, '<time datetime="2026-10-01">1 de octubre de 2026</time>', html=True)
        self.assertContains(r, "9:00\u201317:00")
        self.assertContains(r, "martes 24 de noviembre")
        self.assertContains(r, "<h1>Escucha y apoyo</h1>", html=True)
        self.assertContains(r, "Habla con una consejera.")

    def test_it_gives_404_for_unknown_and_closed_services(self) -> None:
        self.assertEqual(self.client.get(self.url(uuid.uuid4())).status_code, 404)
        self.service.status = ServiceStatus.DEFUNCT
        self.service.save(update_fields=["status"])
        self.assertEqual(self.client.get(self.url(self.service.id)).status_code, 404)

    def test_it_says_that_a_temporarily_closed_service_is_closed(self) -> None:
        self.service.status = ServiceStatus.TEMPORARILY_CLOSED
        self.service.save(update_fields=["status"])
        r = self.client.get(self.url(self.service.id))
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, 'data-qa="temporarily-closed"')
        self.assertContains(r, "This service is temporarily closed")
        with translation.override("es"):
            spanish = self.client.get(reverse("findhelp:service", args=[self.service.id]))
        self.assertContains(spanish, "Este servicio está cerrado temporalmente")

    def test_it_says_nothing_of_closing_for_an_active_service(self) -> None:
        r = self.client.get(self.url(self.service.id))
        self.assertNotContains(r, 'data-qa="temporarily-closed"')

    def test_it_is_the_same_for_signed_in_people_but_not_cached(self) -> None:
        self.client.force_login(self.mallory)
        r = self.client.get(self.url(self.service.id))
        self.assertEqual(r.status_code, 200)
        self.assertNoStore(r)
