"""Import then export gives back what was imported (compared in normalised form:
hsds_support.normalise says what that forgives)."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from mend.directory.actions import do_load_demo
from mend.directory.tests.hsds_support import (
    EXAMPLES,
    cell,
    import_hsds,
    normalise,
    read_package,
    run,
)
from mend.test import NOW, BaseTestCase


class RoundTripTests(BaseTestCase):
    def setUp(self) -> None:
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)

    def json_round_trip(self, example: str, shape: str) -> None:
        original = json.loads((EXAMPLES / example).read_text(encoding="utf-8"))
        import_hsds(str(EXAMPLES / example))
        target = self.folder / f"{shape}.json"
        # Private: the examples' metadata says resource_type "location" about a service,
        # which a public export withholds (it cannot tell that it is not a place).
        run("export_hsds", str(target), "--shape", shape, "--include-private")
        exported = json.loads(target.read_text(encoding="utf-8"))
        self.assertEqual(len(exported), 1)
        self.assertEqual(normalise(exported[0]), normalise(original))

    def test_it_round_trips_the_full_service_example(self) -> None:
        self.json_round_trip("service_full.json", "services")

    def test_it_round_trips_the_full_organization_example(self) -> None:
        self.json_round_trip("organization_full.json", "organizations")

    def test_it_round_trips_the_full_service_at_location_example(self) -> None:
        self.json_round_trip("service_at_location_full.json", "service_at_locations")

    def test_it_round_trips_the_csv_package(self) -> None:
        import_hsds(str(EXAMPLES / "csv"))
        run("export_hsds", str(self.folder / "package"), "--include-private")
        original = read_package(EXAMPLES / "csv")
        exported = read_package(self.folder / "package")
        for name, rows in original.items():
            for row_id, row in rows.items():
                with self.subTest(f"{name} {row_id}"):
                    again = exported[name][row_id]
                    for column, value in row.items():
                        self.assertEqual(cell(again[column], column), cell(value, column), column)
        self.assertEqual({name: len(rows) for name, rows in exported.items()}, {
            name: len(original.get(name, {})) for name in exported
        })  # fmt: skip

    def test_a_private_csv_backup_restores_the_demo_directory_exactly(self) -> None:
        do_load_demo(now=NOW)
        run("export_hsds", str(self.folder / "first"), "--include-private")
        import_hsds(str(self.folder / "first"), "--replace")
        run("export_hsds", str(self.folder / "second"), "--include-private")
        self.assertEqual(read_package(self.folder / "second"), read_package(self.folder / "first"))
