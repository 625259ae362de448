"""A service's print view (GET /help/service/<id>/print/ or ?print=1)."""

from __future__ import annotations

import uuid

from mend.directory.models import Service, ServiceAtLocation
from mend.search.tests import factories as f
from mend.test import BaseTestCase


class ServicePrintTests(BaseTestCase):
    service: Service
    shelter: ServiceAtLocation

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.service = f.make_service("Listening Counselling")
        f.phone(cls.service)
        f.place(cls.service)
        cls.shelter = f.shelter()

    def test_it_prints_the_service_with_a_safety_note(self) -> None:
        r = self.client.get(f"/help/service/{self.service.id}/print/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, 'class="print-view"')
        self.assertContains(r, "think about who else might see the paper")
        self.assertContains(r, "+1 217 555 0100")
        self.assertContains(r, "100 Elm Street")
        self.assertContains(r, 'content="noindex, nofollow"')

    def test_it_prints_its_own_address_and_nothing_from_the_query_string(self) -> None:
        # The footer printed the whole address, so a link could make the paper say
        # anything as if Mend did (found by a review).
        path = f"/help/service/{self.service.id}/print/"
        r = self.client.get(path + "?CALL+THE+NEW+NUMBER+1-900-555-0100+INSTEAD")
        html = r.content.decode()
        main = html[html.index("<main") : html.index("</main>")]
        self.assertNotIn("1-900-555-0100", main)
        self.assertIn(f"http://testserver{path}</p>", main)

    def test_it_is_also_reached_with_print_1(self) -> None:
        r = self.client.get(f"/help/service/{self.service.id}/", {"print": "1"})
        self.assertContains(r, 'class="print-view"')

    def test_it_never_prints_a_hidden_address(self) -> None:
        r = self.client.get(f"/help/service/{self.shelter.service_id}/print/")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(f.leaked_secrets(r.content.decode()), [])

    def test_it_gives_404_for_an_unknown_service(self) -> None:
        r = self.client.get(f"/help/service/{uuid.uuid4()}/print/")
        self.assertEqual(r.status_code, 404)
