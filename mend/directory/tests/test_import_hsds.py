"""manage.py import_hsds: the official HSDS 3.1 examples, JSON and CSV."""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import time
from decimal import Decimal
from pathlib import Path
from uuid import UUID

from django.core.management import CommandError

from mend.directory.models import (
    Attribute,
    Contact,
    CostOption,
    Funding,
    Language,
    Location,
    Metadata,
    MetaTableDescription,
    Organization,
    Phone,
    Program,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    TaxonomyTerm,
    Unit,
    Url,
)
from mend.directory.tests.hsds_support import EXAMPLES, ORGANIZATION, csv_example_copy, import_hsds
from mend.test import BaseTestCase

SERVICE = UUID("ac148810-d857-441c-9679-408f346de14b")
LOCATION = UUID("3a19ff88-4620-4d17-9830-ac1d859eb5d5")
CONTACT = UUID("1e7efce3-639b-4880-940c-b95cd30cdb50")
SERVICE_AT_LOCATION = UUID("e94c9f38-1e8f-4564-91d4-d53501ab1765")
CAPACITY_AND_UNIT = UUID("8896b788-7b3e-11ef-8db9-7f3d040352b3")
JSON_EXAMPLES = (
    "service_full.json",
    "service_list.json",
    "organization_full.json",
    "organization_list.json",
    "service_at_location_full.json",
    "service_at_location_list.json",
    "location.json",
    "taxonomy.json",
    "taxonomy_list.json",
    "taxonomy_term.json",
    "taxonomy_term_list.json",
    "tabular.json",
)


class ImportJsonExamplesTests(BaseTestCase):
    def test_it_imports_the_full_service_example(self) -> None:
        output = import_hsds(str(EXAMPLES / "service_full.json"))
        service = Service.objects.get()
        self.assertEqual(service.id, SERVICE)
        self.assertEqual(service.name, "Community Counselling")
        self.assertEqual(service.organization_id, ORGANIZATION)
        program = Program.objects.get(services=service)
        self.assertEqual(program.name, "Community Mental Health Support")
        self.assertEqual(program.organization_id, ORGANIZATION)
        self.assertEqual(service.minimum_age, 12)
        self.assertEqual(str(service.assured_date), "2005-01-01")
        self.assertEqual(CostOption.objects.get().amount, Decimal("35"))
        self.assertIn("Imported 23 records (23 new, 0 updated)", output)

    def test_it_links_a_record_nested_in_several_places_once(self) -> None:
        import_hsds(str(EXAMPLES / "service_full.json"))
        # The example nests one phone under the service, its location, its organization,
        # a contact and the service at location: one row, linked to all five.
        phone = Phone.objects.get()
        self.assertEqual(phone.service_id, SERVICE)
        self.assertEqual(phone.location_id, LOCATION)
        self.assertEqual(phone.organization_id, ORGANIZATION)
        self.assertEqual(phone.contact_id, CONTACT)
        self.assertEqual(phone.service_at_location_id, SERVICE_AT_LOCATION)
        language = Language.objects.get()
        self.assertEqual((language.service_id, language.location_id), (SERVICE, LOCATION))
        self.assertEqual(language.phone_id, phone.id)
        url = Url.objects.get()
        self.assertEqual((url.service_id, url.organization_id), (SERVICE, ORGANIZATION))
        funding = Funding.objects.get()
        self.assertEqual((funding.service_id, funding.organization_id), (SERVICE, ORGANIZATION))

    def test_it_links_nested_attributes_metadata_and_capacities(self) -> None:
        import_hsds(str(EXAMPLES / "service_full.json"))
        attribute = Attribute.objects.get()
        self.assertEqual(attribute.link_id, SERVICE)
        self.assertEqual(attribute.link_entity, "link_entity")  # as given, not overwritten
        term = TaxonomyTerm.objects.get(attributes=attribute)
        self.assertEqual(term.taxonomy_detail_id, UUID("5c4d79d7-cc55-470e-9f1f-8cad074e4892"))
        self.assertEqual(Metadata.objects.get().resource_id, SERVICE)
        capacity = ServiceCapacity.objects.get()
        self.assertEqual((capacity.service_id, capacity.unit_id), (SERVICE, CAPACITY_AND_UNIT))
        self.assertEqual(capacity.unit.name, "Kilogram")
        self.assertEqual(str(capacity.updated), "2024-09-25 13:23:06.500000+00:00")

    def test_it_imports_every_official_json_example(self) -> None:
        for name in JSON_EXAMPLES:
            with self.subTest(name):
                output = import_hsds(str(EXAMPLES / name))
                self.assertIn("Imported", output)
                self.assertNotIn("error:", output)
        self.assertEqual(Service.objects.count(), 1)
        self.assertEqual(Organization.objects.count(), 1)
        self.assertEqual(TaxonomyTerm.objects.count(), 1)
        self.assertEqual(MetaTableDescription.objects.count(), 1)

    def test_it_updates_rather_than_duplicates_on_a_second_import(self) -> None:
        import_hsds(str(EXAMPLES / "service_full.json"))
        output = import_hsds(str(EXAMPLES / "service_full.json"))
        self.assertIn("Imported 23 records (0 new, 23 updated)", output)
        self.assertEqual(Service.objects.count(), 1)
        self.assertEqual(Phone.objects.count(), 1)

    def test_it_warns_about_dangling_references_and_keeps_them(self) -> None:
        output = import_hsds(str(EXAMPLES / "service_full.json"))
        self.assertIn(
            "warning: service_full.json, /organization (id d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610),"
            " field parent_organization_id: organization cd09a387-91f4-4555-94ec-e799c35344cd"
            " is neither in this import nor in the directory; kept as given",
            output,
        )
        organization = Organization.objects.get()
        self.assertEqual(
            organization.parent_organization_id, UUID("cd09a387-91f4-4555-94ec-e799c35344cd")
        )

    def test_it_warns_about_the_example_latitude_of_100(self) -> None:
        output = import_hsds(str(EXAMPLES / "location.json"))
        self.assertIn("field latitude: 100.0 is outside -90 to 90", output)
        self.assertEqual(Location.objects.get().latitude, 100.0)

    def test_it_reads_the_hsds_24_00_closing_time_as_midnight(self) -> None:
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        document = json.loads((EXAMPLES / "location.json").read_text())
        document["schedules"][0]["opens_at"] = "00:00"
        document["schedules"][0]["closes_at"] = "24:00"
        (folder / "location.json").write_text(json.dumps(document))
        import_hsds(str(folder / "location.json"))
        schedule = Schedule.objects.get()
        self.assertEqual((schedule.opens_at, schedule.closes_at), (time(0), time(0)))


class ImportCsvExampleTests(BaseTestCase):
    def test_it_imports_the_official_csv_package(self) -> None:
        output = import_hsds(str(EXAMPLES / "csv"))
        self.assertIn("Imported 24 records (24 new, 0 updated)", output)
        service = Service.objects.get()
        self.assertEqual(service.organization.name, "Example Organization Inc.")
        self.assertEqual(str(service.last_modified), "2023-03-15 10:30:45.123000+00:00")
        self.assertEqual(ServiceAtLocation.objects.get().location_id, LOCATION)
        self.assertEqual(Phone.objects.get().number, '"+44 1234 234567"')
        self.assertEqual(Schedule.objects.get().byday, "TH,FR")
        self.assertEqual(Contact.objects.get().location_id, LOCATION)

    def test_it_accepts_the_path_of_datapackage_json(self) -> None:
        import_hsds(str(EXAMPLES / "csv" / "datapackage.json"))
        self.assertEqual(Service.objects.count(), 1)

    def test_it_reads_service_capacity_and_unit_despite_the_descriptor_quirk(self) -> None:
        descriptor = json.loads((EXAMPLES / "csv" / "datapackage.json").read_text())
        resources = {r["name"]: r["schema"] for r in descriptor["resources"]}
        for name in ("service_capacity", "unit"):
            # As published: a primary key "id" that the resource's fields do not declare.
            self.assertEqual(resources[name]["primaryKey"], "id")
            self.assertNotIn("id", [field["name"] for field in resources[name]["fields"]])
        import_hsds(str(EXAMPLES / "csv"))
        capacity = ServiceCapacity.objects.get(id=CAPACITY_AND_UNIT)
        self.assertEqual((capacity.available, capacity.maximum), (12.0, 10.0))
        self.assertEqual(capacity.unit_id, UUID("187a37a2-7b40-11ef-9790-dbf7623d4407"))
        self.assertEqual(Unit.objects.get(id=CAPACITY_AND_UNIT).identifier, "kgm")

    def test_it_keeps_the_examples_dangling_references_with_warnings(self) -> None:
        output = import_hsds(str(EXAMPLES / "csv"))
        self.assertIn(
            "warning: locations.csv, row 2 (id 3a19ff88-4620-4d17-9830-ac1d859eb5d5), field "
            "organization_id: organization 985e4a42-bd9f-4edc-911d-0243a4640aca is neither in"
            " this import nor in the directory; kept as given",
            output,
        )
        self.assertIn("warning: service_capacity.csv, row 2", output)
        location = Location.objects.get()
        self.assertEqual(location.organization_id, UUID("985e4a42-bd9f-4edc-911d-0243a4640aca"))
        self.assertEqual(Program.objects.get().organization_id, ORGANIZATION)

    def test_it_imports_the_known_columns_of_a_file_with_an_unknown_one(self) -> None:
        folder = csv_example_copy(self)
        lines = (folder / "phones.csv").read_text(encoding="utf-8").splitlines()
        # A column the importer does not know, first: the known ones shift along.
        wider = [f"colour,{lines[0]}", *(f"green,{line}" for line in lines[1:])]
        (folder / "phones.csv").write_text("\n".join(wider) + "\n", encoding="utf-8")
        output = import_hsds(str(folder))
        self.assertIn(
            "warning: phones.csv, row 1 (header), field colour: not an HSDS phone field; ignored",
            output,
        )
        self.assertIn("Imported 24 records (24 new, 0 updated)", output)
        self.assertEqual(Phone.objects.get().number, '"+44 1234 234567"')

    def test_it_refuses_a_path_that_is_neither_json_nor_a_package(self) -> None:
        with self.assertRaisesMessage(CommandError, "Nothing was imported: 1 error(s)"):
            import_hsds(str(EXAMPLES / "csv" / "services.csv"))
        self.assertEqual(Service.objects.count(), 0)

    def test_it_refuses_a_format_that_does_not_match_the_path(self) -> None:
        with self.assertRaisesMessage(CommandError, "--format json needs a .json file"):
            import_hsds(str(EXAMPLES / "csv"), "--format", "json")
