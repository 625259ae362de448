"""manage.py import_hsds is all or nothing, and names every problem it finds."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from mend.directory.actions import do_import_hsds
from mend.directory.tests.hsds_support import (
    ORGANIZATION,
    append_row,
    csv_example_copy,
    failing_import,
    nothing_written,
)
from mend.test import NOW, BaseTestCase

NEW_SERVICE = "11111111-1111-4111-8111-111111111111"
BAD_SERVICE = "22222222-2222-4222-8222-222222222222"
BAD_LOCATION = "33333333-3333-4333-8333-333333333333"
BAD_ADDRESS = "44444444-4444-4444-8444-444444444444"
BAD_PHONE = "55555555-5555-4555-8555-555555555555"


class CsvAtomicityTests(BaseTestCase):
    def setUp(self) -> None:
        self.folder = csv_example_copy(self)
        append_row(
            self.folder / "services.csv",
            id=NEW_SERVICE,
            organization_id=str(ORGANIZATION),
            name="A valid new service",
            status="active",
        )
        append_row(
            self.folder / "services.csv",
            id=BAD_SERVICE,
            organization_id="not-a-uuid",
            name="",
            status="open",
            minimum_age="-3",
        )
        append_row(
            self.folder / "locations.csv",
            id=BAD_LOCATION,
            location_type="physical",
            latitude="north",
        )
        append_row(
            self.folder / "addresses.csv",
            id=BAD_ADDRESS,
            location_id=BAD_LOCATION,
            address_1="1 Example Street",
            state_province="IL",
            postal_code="60601",
            country="USA",
            address_type="physical",
        )
        append_row(self.folder / "phones.csv", id=BAD_PHONE, number="+1-312-555-0100")

    def test_it_writes_nothing_when_one_record_is_invalid(self) -> None:
        _, error = failing_import(str(self.folder))
        self.assertEqual(error, "Nothing was imported: 7 error(s), listed above.")
        nothing_written(self)

    def test_it_reports_every_problem_with_file_row_field_and_reason(self) -> None:
        output = self.failed_output()
        expected = [
            f"error: services.csv, row 4 (id {BAD_SERVICE}), field organization_id: "
            "'not-a-uuid' is not a UUID",
            f"error: services.csv, row 4 (id {BAD_SERVICE}), field status: "
            "'open' is not one of active, inactive, defunct, temporarily closed",
            f"error: services.csv, row 4 (id {BAD_SERVICE}), field minimum_age: "
            "-3 is outside 0 to 32767",
            f"error: services.csv, row 4 (id {BAD_SERVICE}), field name: required",
            f"error: locations.csv, row 3 (id {BAD_LOCATION}), field latitude: "
            "'north' is not a number",
            f"error: addresses.csv, row 3 (id {BAD_ADDRESS}), field country: "
            "is 3 characters long; at most 2 fit",
            f"error: addresses.csv, row 3 (id {BAD_ADDRESS}), field city: required",
        ]
        errors = [line for line in output.splitlines() if line.startswith("error:")]
        self.assertEqual(sorted(errors), sorted(expected))

    def test_it_names_a_row_with_the_wrong_number_of_cells(self) -> None:
        with (self.folder / "units.csv").open("a", encoding="utf-8") as handle:
            handle.write("only,three,cells\n")
        output = self.failed_output()
        self.assertIn("error: units.csv, row 3: has 3 cells; the header has 5", output)

    def test_it_refuses_an_id_given_twice_in_one_table(self) -> None:
        append_row(self.folder / "phones.csv", id=BAD_PHONE, number="+1-312-555-0101")
        output = self.failed_output()
        self.assertIn(
            f"error: phones.csv, row 4 (id {BAD_PHONE}), field id: this phone id was already "
            "given at phones.csv, row 3",
            output,
        )

    def test_it_refuses_an_id_given_again_in_a_second_file_of_one_table(self) -> None:
        (self.folder / "more_phones.csv").write_text(
            f"id,number\n{BAD_PHONE},+1-312-555-0101\n", encoding="utf-8"
        )
        descriptor_path = self.folder / "datapackage.json"
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        descriptor["resources"].append({"name": "phone", "path": "more_phones.csv"})
        descriptor_path.write_text(json.dumps(descriptor), encoding="utf-8")
        output = self.failed_output()
        self.assertIn(
            f"error: more_phones.csv, row 2 (id {BAD_PHONE}), field id: this phone id was "
            "already given at phones.csv, row 3",
            output,
        )

    def failed_output(self) -> str:
        output, error = failing_import(str(self.folder))
        self.assertIn("Nothing was imported", error)
        return output


class JsonAtomicityTests(BaseTestCase):
    def write(self, document: Any) -> Path:
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        path = folder / "services.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        return path

    def service(self, number: int, **fields: Any) -> dict[str, Any]:
        return {
            "id": f"00000000-0000-4000-8000-00000000000{number}",
            "name": f"Service {number}",
            "status": "active",
            "organization": {
                "id": str(ORGANIZATION),
                "name": "Example Organization Inc.",
                "description": "An organization.",
            },
            **fields,
        }

    def test_it_writes_none_of_three_services_when_the_second_is_invalid(self) -> None:
        bad = self.service(
            2,
            status="maybe",
            translations={"es": {"latitude": "norte"}},
            service_at_locations=[
                {
                    "id": "00000000-0000-4000-8000-000000000020",
                    "location": {
                        "id": "00000000-0000-4000-8000-000000000021",
                        "location_type": "physical",
                        "address_visibility": "secret",
                        "time_zone": "Mars/Olympus_Mons",
                    },
                }
            ],
        )
        path = self.write([self.service(1), bad, self.service(3)])
        report = do_import_hsds(path, reindex=False, now=NOW)
        self.assertEqual(
            sorted(str(p) for p in report.problems.errors),
            sorted(
                [
                    "error: services.json, /1 (id 00000000-0000-4000-8000-000000000002), field "
                    "status: 'maybe' is not one of active, inactive, defunct, temporarily closed",
                    "error: services.json, /1 (id 00000000-0000-4000-8000-000000000002), field "
                    "translations: es.latitude: 'latitude' is not a translatable field here",
                    "error: services.json, /1/service_at_locations/0/location (id "
                    "00000000-0000-4000-8000-000000000021), field address_visibility: 'secret' "
                    "is not one of public, on_request, hidden",
                    "error: services.json, /1/service_at_locations/0/location (id "
                    "00000000-0000-4000-8000-000000000021), field time_zone: 'Mars/Olympus_Mons'"
                    " is not an IANA time zone name (such as America/Chicago)",
                ]
            ),
        )
        nothing_written(self)

    def test_the_command_exits_with_an_error_and_writes_nothing(self) -> None:
        path = self.write([self.service(1), self.service(2, status="")])
        output, error = failing_import(str(path))
        self.assertEqual(error, "Nothing was imported: 1 error(s), listed above.")
        self.assertIn(
            "error: services.json, /1 (id 00000000-0000-4000-8000-000000000002), field status:"
            " required",
            output,
        )
        nothing_written(self)

    def test_it_reports_invalid_json_with_its_line(self) -> None:
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        (folder / "broken.json").write_text('{"id": "x",\n  "name": }', encoding="utf-8")
        report = do_import_hsds(folder / "broken.json", reindex=False, now=NOW)
        self.assertEqual(
            [str(p) for p in report.problems.errors],
            ["error: broken.json, line 2, column 11: is not valid JSON: Expecting value"],
        )
