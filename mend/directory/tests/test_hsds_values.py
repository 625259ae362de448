"""Every value the exporter writes reads back as the same value (the round trip's core)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from decimal import Decimal

from django.test import SimpleTestCase
from hypothesis import given
from hypothesis import strategies as st

from mend.directory.hsds import coerce
from mend.directory.hsds.exporting import cell, datetime_text, json_value
from mend.directory.hsds.profile import time_zone_problem, translations_problem


class ValueRoundTripTests(SimpleTestCase):
    @given(st.floats(allow_nan=False, allow_infinity=False))
    def test_it_reads_back_every_float(self, value: float) -> None:
        self.assertEqual(coerce.to_float(cell(value)), value)

    @given(st.decimals(min_value=-(10**9), max_value=10**9, places=2))
    def test_it_reads_back_every_amount(self, value: Decimal) -> None:
        amount = coerce.decimal(12, 2)
        self.assertEqual(amount(cell(value)), value)
        self.assertEqual(amount(json_value(value)), value)

    @given(st.datetimes(timezones=st.just(UTC)))
    def test_it_reads_back_every_date_time(self, value: datetime) -> None:
        self.assertEqual(coerce.to_datetime(datetime_text(value)), value)

    @given(st.times())
    def test_it_reads_back_every_time(self, value: time) -> None:
        self.assertEqual(coerce.to_time(cell(value)), value)

    @given(st.uuids())
    def test_it_reads_back_every_uuid(self, value: object) -> None:
        self.assertEqual(coerce.to_uuid(cell(value)), value)


class ProfileCheckTests(SimpleTestCase):
    def test_it_knows_iana_zones_only(self) -> None:
        self.assertIsNone(time_zone_problem("Pacific/Honolulu"))
        self.assertIsNotNone(time_zone_problem("Mars/Olympus_Mons"))
        self.assertIsNotNone(time_zone_problem(""))

    @given(
        st.dictionaries(
            st.sampled_from(["en", "es", "zh-Hant", "ase"]),
            st.dictionaries(st.sampled_from(["name", "description"]), st.text()),
        )
    )
    def test_it_accepts_any_well_formed_translations(self, value: dict[str, object]) -> None:
        self.assertIsNone(translations_problem(value, {"name", "description"}))
