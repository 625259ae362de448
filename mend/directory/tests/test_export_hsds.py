"""manage.py export_hsds: public by default, valid against the published schemas."""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.core.management import CommandError, call_command

from mend.directory.actions import do_import_hsds_document, do_load_demo
from mend.directory.tests.hsds_support import (
    EXAMPLES,
    everything_in,
    import_hsds,
    run,
    schema_errors,
)
from mend.test import NOW, BaseTestCase

CANARY = "Canary"  # in every private detail of the fixture, so a leak is easy to find
TERM = {"id": "5a5a5a5a-0000-4000-8000-000000000001", "name": "Gate", "description": "Gate"}


def place(number: int, visibility: str) -> dict[str, Any]:
    """A location with one address; its private details all contain the canary."""
    location_id = f"5a5a5a5a-0000-4000-8000-0000000001{number:02d}"
    address_id = f"5a5a5a5a-0000-4000-8000-0000000002{number:02d}"
    secret = "" if visibility == "public" else CANARY
    return {
        "id": location_id,
        "location_type": "physical",
        "name": f"Place {number}",
        "address_visibility": visibility,
        "time_zone": "America/Chicago",
        "latitude": 41.87 + number / 1000 if secret else 41.5,
        "longitude": -87.62,
        "transportation": f"{secret} bus to the door",
        "external_identifier": f"///{secret.lower()}.words.here",
        "external_identifier_type": "what3words",
        "translations": {"es": {"name": "Lugar", "transportation": f"Autobús {secret}"}},
        "addresses": [
            {
                "id": address_id,
                "address_1": f"{number} {secret or 'Public'} Street",
                "city": "Chicago",
                "state_province": "IL",
                "postal_code": "60601",
                "country": "US",
                "address_type": "physical",
                "attributes": [{"id": f"5a5a5a5a-0000-4000-8000-0000000003{number:02d}",
                                "taxonomy_term": TERM, "value": f"{secret} gate code"}],
                "metadata": [{"id": f"5a5a5a5a-0000-4000-8000-0000000004{number:02d}",
                              "last_action_date": "2026-01-01", "last_action_type": "update",
                              "field_name": "address_1", "previous_value": f"Old {secret} Lane",
                              "replacement_value": "x", "updated_by": "Erin"}],
            }
        ],
    }  # fmt: skip


SHELTER_SERVICE = {
    "id": "5a5a5a5a-0000-4000-8000-000000000010",
    "name": "Safe housing",
    "status": "active",
    "organization": {"id": "5a5a5a5a-0000-4000-8000-000000000011", "name": "O", "description": "x"},
    "service_at_locations": [
        {"id": f"5a5a5a5a-0000-4000-8000-00000000002{n}", "location": place(n, visibility)}
        for n, visibility in enumerate(("hidden", "on_request", "public"))
    ],
}  # fmt: skip


class ExportTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)

    def export(self, name: str, *args: str) -> Path:
        run("export_hsds", str(self.folder / name), *args)
        return self.folder / name


class PublicExportTests(ExportTestCase):
    def setUp(self) -> None:
        super().setUp()
        report = do_import_hsds_document(SHELTER_SERVICE, "shelter.json", reindex=False, now=NOW)
        self.assertTrue(report.ok, report.problems.items)

    def test_it_never_exports_hidden_or_on_request_addresses_as_json(self) -> None:
        exported = everything_in(self.export("services.json"))
        self.assertNotIn(CANARY, exported)
        self.assertNotIn(CANARY.lower(), exported)
        self.assertNotIn("41.87", exported)
        self.assertIn("2 Public Street", exported)
        locations = json.loads(exported)[0]["service_at_locations"]
        hidden = next(s["location"] for s in locations if s["location"]["name"] == "Place 0")
        self.assertEqual(hidden["address_visibility"], "hidden")
        self.assertEqual(hidden["translations"], {"es": {"name": "Lugar"}})
        for private in ("addresses", "latitude", "longitude", "transportation"):
            self.assertNotIn(private, hidden)

    def test_it_never_exports_hidden_or_on_request_addresses_as_csv(self) -> None:
        folder = self.export("package")
        self.assertNotIn(CANARY, everything_in(folder))
        self.assertNotIn("41.87", everything_in(folder))
        addresses = (folder / "addresses.csv").read_text().splitlines()
        self.assertEqual(len(addresses), 2)  # the header and the public address
        self.assertIn("2 Public Street", addresses[1])

    def test_it_says_what_it_withheld(self) -> None:
        output = run("export_hsds", str(self.folder / "services.json"))
        self.assertIn(
            "Public export; withheld: 2 addresses, 2 attributes, 2 location positions, 2 metadata.",
            output,
        )

    def test_a_private_backup_includes_them_and_warns(self) -> None:
        stderr = io.StringIO()
        call_command(
            "export_hsds",
            str(self.folder / "backup"),
            "--include-private",
            "--no-progress",
            stdout=io.StringIO(),
            stderr=stderr,
        )
        backup = everything_in(self.folder / "backup")
        self.assertIn("0 Canary Street", backup)
        self.assertIn("1 Canary Street", backup)
        self.assertIn("Old Canary Lane", backup)
        self.assertIn("never publish it", stderr.getvalue())

    def test_it_refuses_a_folder_that_does_not_exist(self) -> None:
        with self.assertRaisesMessage(CommandError, "does not exist"):
            run("export_hsds", str(self.folder / "missing" / "services.json"))


class SchemaValidityTests(ExportTestCase):
    def test_the_demo_directory_exports_valid_hsds_json_in_every_shape(self) -> None:
        do_load_demo(now=NOW)
        shapes = {
            "services": "service_package",
            "organizations": "organization_package",
            "service_at_locations": "service_at_location_package",
        }
        for shape, schema in shapes.items():
            with self.subTest(shape):
                document = json.loads(self.export(f"{shape}.json", "--shape", shape).read_text())
                self.assertGreater(len(document), 30)
                self.assertEqual(schema_errors(schema, document), [])

    def test_the_official_examples_export_valid_hsds_json(self) -> None:
        import_hsds(str(EXAMPLES / "service_full.json"))
        document = json.loads(self.export("services.json", "--include-private").read_text())
        self.assertEqual(schema_errors("service_package", document), [])

    def test_the_package_descriptor_declares_every_primary_key(self) -> None:
        descriptor = json.loads((self.export("package") / "datapackage.json").read_text())
        for resource in descriptor["resources"]:
            with self.subTest(resource["name"]):
                names = [field["name"] for field in resource["schema"]["fields"]]
                self.assertEqual(resource["schema"]["primaryKey"], "id")
                self.assertIn("id", names)
                self.assertTrue((self.folder / "package" / resource["path"]).is_file())
        self.assertEqual(len(descriptor["resources"]), 24)
        self.assertIn("openreferral.org", descriptor["sources"][0]["title"])
