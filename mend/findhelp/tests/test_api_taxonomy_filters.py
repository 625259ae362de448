"""taxonomy_term_id and taxonomy_id on /services, /service_at_locations and
/organizations, for terms of an imported taxonomy as well as Mend's own (HSDS:
"records with this taxonomy term", "records with any term of this taxonomy")."""

from __future__ import annotations

import uuid
from typing import Any

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mend.directory import taxonomy
from mend.directory.models import (
    Attribute,
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from mend.search import index
from mend.search.models import EntryTerm
from mend.search.params import SearchParams
from mend.search.query import search_in_database, search_services
from mend.search.tests import factories as f
from mend.test import NOW, BaseTestCase

API = "/api/v1/hsds"


def imported_term(detail: Taxonomy, code: str) -> TaxonomyTerm:
    return TaxonomyTerm.objects.create(
        code=code,
        name=code.replace("-", " "),
        description=code,
        taxonomy="open-eligibility",
        taxonomy_detail=detail,
    )


def attach(term: TaxonomyTerm, owner: Service | ServiceAtLocation | Any, entity: str) -> None:
    Attribute.objects.create(
        link_id=owner.id, link_entity=entity, link_type="oe", taxonomy_term=term
    )


@time_machine.travel(NOW, tick=False)
class TaxonomyFilterTests(BaseTestCase):
    detail: Taxonomy
    peer: TaxonomyTerm
    evening: TaxonomyTerm
    walk_in: TaxonomyTerm
    circle: Service
    clinic: Service
    drop_in: ServiceAtLocation
    circle_organization: Organization

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.detail = Taxonomy.objects.create(name="Open Eligibility", description="Imported.")
        cls.peer = imported_term(cls.detail, "peer-support")
        cls.evening = imported_term(cls.detail, "evening-hours")
        cls.walk_in = imported_term(cls.detail, "walk-in")
        # A term on the service, one on a location, one on a service at a location.
        cls.circle_organization = f.make_organization("Circle Trust")
        cls.circle = f.make_service("Peer Circle", organization=cls.circle_organization)
        f.place(cls.circle)
        attach(cls.peer, cls.circle, "service")
        cls.clinic = f.make_service("Night Clinic", types=("forensic-medical-exam",))
        clinic_location = f.make_location(point=f.CHICAGO, city="Chicago", postal_code="60601")
        f.place(cls.clinic, clinic_location)
        attach(cls.evening, clinic_location, "location")
        cls.drop_in = f.place(f.make_service("Drop-in Desk", types=("legal-advice",)))
        attach(cls.walk_in, cls.drop_in, "service_at_location")
        f.make_service("Rights Line", types=("legal-advice",))  # no place, no imported term
        index.rebuild_search_index(now=NOW)

    def names(self, path: str, **params: Any) -> list[str]:
        r = self.client.get(f"{API}{path}", params)
        self.assertEqual(r.status_code, 200, r.content)
        contents = r.json()["contents"]
        if path == "/service_at_locations":
            return [item["service"]["name"] for item in contents]
        return [item["name"] for item in contents]

    def test_it_finds_services_by_a_term_of_an_imported_taxonomy(self) -> None:
        self.assertEqual(self.names("/services", taxonomy_term_id=self.peer.id), ["Peer Circle"])

    def test_it_finds_a_term_attached_to_a_location_or_a_service_at_a_location(self) -> None:
        self.assertEqual(
            self.names("/service_at_locations", taxonomy_term_id=self.evening.id),
            ["Night Clinic"],
        )
        self.assertEqual(
            self.names("/services", taxonomy_term_id=self.walk_in.id), ["Drop-in Desk"]
        )

    def test_it_finds_records_with_any_term_of_a_taxonomy(self) -> None:
        self.assertEqual(
            self.names("/services", taxonomy_id=self.detail.id),
            ["Drop-in Desk", "Night Clinic", "Peer Circle"],
        )
        mend_types = Taxonomy.objects.get(name=taxonomy.SERVICE_TYPE)
        self.assertEqual(
            self.names("/services", taxonomy_id=mend_types.id),
            ["Drop-in Desk", "Night Clinic", "Peer Circle", "Rights Line"],
        )

    def test_a_term_and_a_taxonomy_combine_with_the_other_filters(self) -> None:
        self.assertEqual(
            self.names(
                "/service_at_locations",
                taxonomy_id=self.detail.id,
                postcode="62701",
                proximity=20000,
            ),
            ["Drop-in Desk", "Peer Circle"],
        )
        self.assertEqual(
            self.names("/services", taxonomy_id=self.detail.id, search="circle"), ["Peer Circle"]
        )
        legal = taxonomy.BY_CODE[(taxonomy.SERVICE_TYPE, "legal-advice")].id
        self.assertEqual(
            self.names("/services", taxonomy_term_id=legal, taxonomy_id=self.detail.id),
            ["Drop-in Desk"],
        )

    def test_a_place_search_with_a_term_answers_as_the_database_does(self) -> None:
        for params in (
            SearchParams(postcode="62701", radius_km=500, taxonomy_term_ids=(self.evening.id,)),
            SearchParams(postcode="62701", radius_km=20, taxonomy_ids=(self.detail.id,)),
        ):
            found, expected = search_services(params), search_in_database(params)
            self.assertEqual(found.entry_ids, expected.entry_ids)
            self.assertEqual(found.total_items, expected.total_items)
            self.assertGreater(found.total_items, 0)

    def test_an_unknown_term_or_taxonomy_finds_nothing(self) -> None:
        self.assertEqual(self.names("/services", taxonomy_term_id=uuid.uuid4()), [])
        self.assertEqual(self.names("/services", taxonomy_id=uuid.uuid4()), [])

    def test_no_text_search_ever_matches_a_term_id(self) -> None:
        for text in (self.peer.id.hex, self.peer.id.hex[:6], f"t{self.peer.id.hex}"):
            self.assertEqual(self.names("/services", search=text), [])

    def test_it_finds_organizations_by_a_term_of_theirs_or_of_their_services(self) -> None:
        self.assertEqual(
            self.names("/organizations", taxonomy_term_id=self.peer.id), ["Circle Trust"]
        )
        own = f.make_organization("Evening Network")
        attach(self.evening, own, "organization")
        found = self.names("/organizations", taxonomy_id=self.detail.id)
        self.assertIn("Evening Network", found)
        self.assertIn("Circle Trust", found)
        self.assertEqual(len(found), 4)  # and the two organisations of the other services

    def test_the_index_keeps_every_attached_term_with_its_taxonomy(self) -> None:
        rows = set(
            EntryTerm.objects.filter(entry__service=self.clinic).values_list(
                "term_id", "taxonomy_id"
            )
        )
        forensic = taxonomy.BY_CODE[(taxonomy.SERVICE_TYPE, "forensic-medical-exam")].id
        mend_types = Taxonomy.objects.get(name=taxonomy.SERVICE_TYPE).id
        self.assertEqual(rows, {(self.evening.id, self.detail.id), (forensic, mend_types)})

    def test_a_term_named_by_id_alone_is_found_by_that_id(self) -> None:
        # HSDS attributes are soft references: the term's row may be missing.
        missing = uuid.uuid4()
        Attribute.objects.create(
            link_id=self.clinic.id, link_entity="service", taxonomy_term_id=missing
        )
        index.rebuild_search_index([self.clinic.id], now=NOW)
        self.assertEqual(self.names("/services", taxonomy_term_id=missing), ["Night Clinic"])

    def test_a_service_rebuilt_keeps_no_old_term_rows(self) -> None:
        Attribute.objects.filter(taxonomy_term=self.peer).delete()
        index.rebuild_search_index([self.circle.id], now=NOW)
        self.assertFalse(EntryTerm.objects.filter(term_id=self.peer.id).exists())
        self.assertEqual(self.names("/services", taxonomy_term_id=self.peer.id), [])

    def test_a_term_filter_costs_a_fixed_number_of_queries(self) -> None:
        def cost(**params: Any) -> int:
            with CaptureQueriesContext(connection) as queries:
                self.names("/service_at_locations", **params)
            return len(queries)

        one = cost(taxonomy_term_id=self.evening.id)
        self.assertEqual(cost(taxonomy_id=self.detail.id), one)
        self.assertLessEqual(one, 3)
