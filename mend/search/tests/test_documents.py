"""The stored API documents are, byte for byte, what the API's schema gives."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from django.test import TestCase
from ninja.responses import NinjaJSONEncoder
from pydantic import BaseModel

from mend.directory.models import AddressVisibility, ServiceAtLocation
from mend.search import documents, hsds
from mend.search.tests import factories as f


def by_schema(sal: ServiceAtLocation) -> str:
    """The slow, obviously right rendering: validate, dump without None, encode."""
    out = hsds.ServiceAtLocationListOut.model_validate(sal).model_dump(exclude_none=True)
    return json.dumps(out, cls=NinjaJSONEncoder)


def loaded(sal: ServiceAtLocation) -> ServiceAtLocation:
    """As the indexer loads it: location, service and organisation in one query."""
    related = ("location", "service__organization")
    return ServiceAtLocation.objects.select_related(*related).get(pk=sal.pk)


class DocumentTests(TestCase):
    def test_it_renders_exactly_what_the_schema_renders(self) -> None:
        organization = f.make_organization(
            "Lakeside Trust", alternate_name="", email="help@example.org", year_incorporated=1999
        )
        plain = f.place(f.make_service(organization=organization))
        detailed = f.place(
            f.make_service(
                "Evening Group",
                organization=organization,
                alternate_name="Group",
                url="",
                minimum_age=16,
                assured_date=date(2026, 10, 1),
                last_modified=datetime(2026, 11, 2, 8, 30, 15, 123456, tzinfo=UTC),
            ),
            f.make_location(point=(41.5, -87), description="", transportation="Bus 4"),
            description="Tuesdays",
        )
        for sal in (plain, detailed, f.shelter(), f.shelter(visibility="on_request")):
            with self.subTest(name=sal.service.name, visibility=sal.location.address_visibility):
                sal = loaded(sal)
                self.assertEqual(documents.document(sal.service, sal), by_schema(sal))

    def test_it_withholds_a_hidden_location_position_and_directions(self) -> None:
        sal = loaded(f.shelter())
        self.assertEqual(sal.location.address_visibility, AddressVisibility.HIDDEN)
        body = documents.document(sal.service, sal)
        self.assertEqual(f.leaked_secrets(body), [])
        self.assertNotIn("latitude", json.loads(body)["location"])

    def test_it_refuses_a_schema_field_it_cannot_copy_as_it_is(self) -> None:
        class Listed(hsds.Out):
            names: list[str] = []

        class Nested(BaseModel):
            value: int = 0

        class Other(hsds.Out):
            nested: Nested | None = None

        for schema in (Listed, Other, hsds.ScheduleOut):
            with self.subTest(schema=schema.__name__), self.assertRaises(TypeError):
                documents.plan(schema)
