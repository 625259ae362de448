"""The search's loops in C (``mend/search/_near.c``) give what the Python loops give: a
place search's rows, in the same order, with the same doubles to the last bit; a page's
documents; and they refuse sections they cannot read safely."""

from __future__ import annotations

import functools
import random
import struct
from array import array
from collections.abc import Sequence
from itertools import chain
from types import SimpleNamespace
from typing import Any, cast
from unittest import mock

from django.test import SimpleTestCase

from mend.search import memory, native, nearby
from mend.search.codes import Codes
from mend.search.gazetteer import KM_PER_DEGREE_LAT, Circle
from mend.search.searchfile import SearchFile, cell, cell_key, cell_keys


def grid_file(rng: random.Random, rows: int, slots: int = 3) -> SearchFile:
    """A file's cells sections over ``rows`` random places around Chicago: each row is
    listed under its cell's list of all rows (slot 0) and under one or two type slots."""
    latitudes = array("d", (41.0 + rng.uniform(-1.5, 1.5) for _ in range(rows)))
    longitudes = array("d", (-87.5 + rng.uniform(-1.5, 1.5) for _ in range(rows)))
    lists: dict[int, list[int]] = {}
    for i in range(rows):
        y, x = cell(latitudes[i]), cell(longitudes[i])
        for slot in {0, rng.randint(1, slots), rng.randint(1, slots)}:
            lists.setdefault(cell_key(y, x, slot), []).append(i)
    keys = array("q", sorted(lists))
    starts, members = array("q", [0]), array("i")
    for key in keys:
        members.extend(lists[key])
        starts.append(len(members))
    return fake_file(keys, starts, members, latitudes, longitudes)


def fake_file(
    keys: array[int],
    starts: array[int],
    members: array[int],
    latitudes: array[float],
    longitudes: array[float],
) -> SearchFile:
    """The sections the loops read, each member's position beside it as the file has."""
    points = array("d")
    for n in members:
        points.extend((latitudes[n], longitudes[n]))
    fake = SimpleNamespace(
        keys=keys,
        starts=starts,
        members=members,
        member_points=points,
        latitude=latitudes,
        longitude=longitudes,
        size=len(latitudes),
    )
    return cast(SearchFile, fake)


def wanted_near(latitude: float, longitude: float, radius_km: float, types: int) -> nearby.Wanted:
    circle = Circle(latitude, longitude, radius_km)
    return nearby.Wanted(circle, "IL", False, Codes(any_types=types), False, None)


Located = tuple[Sequence[int], Sequence[float]]


def exactly(found: Located) -> list[tuple[int, bytes]]:
    """The rows in order, each with its distance's bits."""
    rows, distances = found
    return [(row, struct.pack("<d", d2)) for row, d2 in zip(rows, distances, strict=True)]


def in_python(f: SearchFile, wanted: nearby.Wanted) -> Located:
    with mock.patch.object(native, "LOCATED", None):
        return nearby._located(f, wanted)


class TheCellKeys(SimpleTestCase):
    def test_they_are_each_covering_cells_key_under_each_slot_in_ascending_order(self) -> None:
        rng = random.Random(21)
        for case in range(500):
            latitude, longitude = rng.uniform(-60, 70), rng.uniform(-180, 180)
            radius = rng.choice((0.1, 1.0, 30.0, 40.0, 120.0, 500.0))
            box = Circle(latitude, longitude, radius).box()
            wanted_slots = sorted(rng.sample(range(64), rng.randint(1, 3)))
            south, north, west, east = box
            expected = [
                cell_key(y, x, slot)
                for y in range(cell(south), cell(north) + 1)
                for x in range(cell(west), cell(east) + 1)
                for slot in wanted_slots
            ]
            with self.subTest(case=case, box=box, slots=wanted_slots):
                self.assertEqual(cell_keys(box, wanted_slots), expected)
                self.assertEqual(expected, sorted(expected))


class TheCLoop(SimpleTestCase):
    def test_the_module_is_built_by_make_setup(self) -> None:
        self.assertIsNotNone(native.LOCATED, "run `make native` (a C compiler is needed)")
        self.assertIsNotNone(native.DOCUMENTS)

    def test_five_hundred_random_searches_find_the_same_rows_in_order_to_the_last_bit(
        self,
    ) -> None:
        rng = random.Random(15)
        f = grid_file(rng, 20_000)
        found_any = 0
        for _ in range(500):
            types = rng.choice((0, 0b1, 0b10, 0b110, 0b111))
            radius = rng.choice((1.0, 10.0, 40.0, 100.0))
            wanted = wanted_near(
                41.0 + rng.uniform(-2, 2), -87.5 + rng.uniform(-2, 2), radius, types
            )
            expected = in_python(f, wanted)
            self.assertEqual(exactly(nearby._located(f, wanted)), exactly(expected))
            found_any += bool(expected)
        self.assertGreater(found_any, 300)  # the searches were not all empty

    def test_rows_on_the_box_and_the_circle_edges_are_kept_as_the_python_loop_keeps_them(
        self,
    ) -> None:
        circle = Circle(41.0, -87.5, 10.0)
        south, north, west, east = circle.box()
        edge = 10.0 / KM_PER_DEGREE_LAT  # exactly the radius north and south
        places = [(south, -87.5), (north, -87.5), (41.0, west), (41.0, east), (41.0 + edge, -87.5)]
        places += [(41.0 - edge, -87.5), (north + 1e-12, -87.5), (41.0, east + 1e-12)]
        latitudes = array("d", (p[0] for p in places))
        longitudes = array("d", (p[1] for p in places))
        key = cell_key(cell(41.0), cell(-87.5), 0)
        members = array("i", range(len(places)))
        f = fake_file(
            array("q", [key]), array("q", [0, len(places)]), members, latitudes, longitudes
        )
        wanted = nearby.Wanted(circle, "IL", False, Codes(), False, None)
        with mock.patch.object(nearby, "cell_keys", return_value=[key]):
            expected = in_python(f, wanted)
            self.assertEqual(exactly(nearby._located(f, wanted)), exactly(expected))
        # As Circle.distance2 (the SQL's arithmetic) decides, rounding at the edges included.
        inside = [
            i
            for i, (lat, lng) in enumerate(places)
            if south <= lat <= north and west <= lng <= east and circle.distance2(lat, lng) <= 100
        ]
        self.assertEqual(list(expected[0]), inside)
        self.assertEqual(inside[:2], [2, 3])  # east and west edges, on the circle's diameter

    def test_c_gives_each_wanted_lists_rows_in_the_order_asked_a_row_as_often_as_listed(
        self,
    ) -> None:
        f = cast(Any, grid_file(random.Random(3), 2_000))
        key_a, key_b = f.keys[0], f.keys[1]
        rows, distances = _c(f, [key_b, key_a, key_b], box=(-90, 90, -180, 180), limit=1e12)
        rows_b = list(f.members[f.starts[1] : f.starts[2]])
        rows_a = list(f.members[f.starts[0] : f.starts[1]])
        self.assertEqual(list(rows), rows_b + rows_a + rows_b)
        self.assertEqual(len(distances), len(rows))

    def test_keys_in_any_order_absent_or_repeated_find_the_lists_a_bisection_finds(self) -> None:
        # C looks for each key from where it found the last when the keys ascend (a
        # gallop), else over the whole array: both must find what the bisection finds.
        rng = random.Random(12)
        f = cast(Any, grid_file(rng, 3_000))
        absent = [f.keys[0] - 1, f.keys[-1] + 1, *(k + 1 for k in f.keys if k + 1 not in f.keys)]
        for case in range(300):
            keys = rng.sample([*f.keys, *absent[:50]], rng.randint(0, 40))
            if rng.random() < 0.6:
                keys.sort()
            if keys and rng.random() < 0.3:
                keys.insert(rng.randrange(len(keys)), rng.choice(keys))
            with self.subTest(case=case):
                rows, _ = _c(f, keys, box=(-90, 90, -180, 180), limit=1e12)
                self.assertEqual(list(rows), list(chain.from_iterable(nearby._cell_lists(f, keys))))

    def test_a_row_listed_under_two_wanted_types_is_kept_once_at_its_first_place(self) -> None:
        f = grid_file(random.Random(3), 2_000)
        wanted = wanted_near(41.0, -87.5, 60.0, 0b111)
        keys = cell_keys(wanted.box, nearby._slots(wanted))
        listed = list(chain.from_iterable(nearby._cell_lists(f, keys)))
        circle, (south, north, west, east) = wanted.circle, wanted.box
        inside = [
            row
            for row in dict.fromkeys(listed)  # each row once, at its first place
            if south <= f.latitude[row] <= north
            and west <= f.longitude[row] <= east
            and circle.distance2(f.latitude[row], f.longitude[row]) <= circle.radius_km**2
        ]
        for rows, distances in (nearby._located(f, wanted), in_python(f, wanted)):
            self.assertEqual(list(rows), inside)
            self.assertEqual(len(distances), len(rows))
        self.assertGreater(len(listed), len(set(listed)))  # some rows were listed twice

    def test_a_member_outside_the_file_is_refused_not_read(self) -> None:
        f = cast(Any, grid_file(random.Random(4), 100))
        f.members[0] = f.size
        with self.assertRaisesMessage(ValueError, "a cell lists a row the file does not have"):
            _c(f, [f.keys[0]], box=(-90, 90, -180, 180), limit=1e12)

    def test_a_cell_list_outside_the_members_is_refused(self) -> None:
        f = cast(Any, grid_file(random.Random(5), 100))
        f.starts[1] = len(f.members) + 1
        with self.assertRaisesMessage(ValueError, "a cell's list lies outside the members"):
            _c(f, [f.keys[0]], box=(-90, 90, -180, 180), limit=1e12)

    def test_sections_of_another_item_type_or_length_are_refused(self) -> None:
        f = cast(Any, grid_file(random.Random(6), 100))
        with self.assertRaisesMessage(TypeError, "members: expected items of format 'i'"):
            _c(SimpleNamespace(**{**vars(f), "members": array("q", f.members)}), [f.keys[0]])
        with self.assertRaisesMessage(ValueError, "the sections' lengths do not agree"):
            _c(SimpleNamespace(**{**vars(f), "starts": f.starts[:-1]}), [f.keys[0]])
        with self.assertRaisesMessage(ValueError, "the sections' lengths do not agree"):
            _c(SimpleNamespace(**{**vars(f), "member_points": f.member_points[:-2]}), [f.keys[0]])
        with self.assertRaisesMessage(ValueError, "box: expected 4 numbers"):
            _c(f, [f.keys[0]], box=(0.0, 1.0, 2.0))


def _c(
    f: Any,
    keys: list[int],
    box: tuple[float, ...] = (40.0, 42.0, -89.0, -86.0),
    limit: float = 1e4,
) -> Located:
    located = native.LOCATED
    assert located is not None
    shape = (41.0, -87.5, KM_PER_DEGREE_LAT, 84.0, limit)
    rows, d2 = located(f.keys, f.starts, f.members, f.member_points, f.size, keys, box, shape)
    return array("i", rows), array("d", d2)  # as nearby._located reads them


class TheDocumentsInC(SimpleTestCase):
    def setUp(self) -> None:
        documents = native.DOCUMENTS
        assert documents is not None
        self.documents = documents
        self.pk = array("q", [3, 5, 9, 12])
        self.blob = array("B", '{"a": 1}{"é": "ü"}{"c": 3}'.encode())
        self.starts = array("q", [0, 8, 8, 20, 28])  # the row of id 5 has none

    def test_each_id_gets_its_rows_document_or_none(self) -> None:
        found = self.documents(self.pk, self.starts, self.blob, [12, 3, 5, 4, 0, 13, -1, 9])
        self.assertEqual(
            found, ['{"c": 3}', '{"a": 1}', None, None, None, None, None, '{"é": "ü"}']
        )
        self.assertEqual(self.documents(self.pk, self.starts, self.blob, []), [])

    def test_ids_dense_sparse_or_clustered_find_their_rows_as_a_bisection_does(self) -> None:
        rng = random.Random(9)
        for gaps in ((1,), (1, 1, 1, 2), (1, 500), (1, 1, 10**9), (7,)):
            for rows in (1, 2, 3, 50, 2_000):
                with self.subTest(gaps=gaps, rows=rows):
                    pk = array("q", [rng.randint(1, 5)])
                    while len(pk) < rows:
                        pk.append(pk[-1] + rng.choice(gaps))
                    blob = array("B", b"".join(str(i).encode() for i in pk))
                    starts = array("q", [0])
                    for i in pk:
                        starts.append(starts[-1] + len(str(i)))
                    wanted = [rng.randint(pk[0] - 3, pk[-1] + 3) for _ in range(300)]
                    wanted += [pk[0], pk[-1], *rng.sample(list(pk), min(rows, 100))]
                    expected = [str(i) if i in set(pk) else None for i in wanted]
                    self.assertEqual(self.documents(pk, starts, blob, wanted), expected)

    def test_ids_across_the_whole_64_bit_range_are_found_without_overflow(self) -> None:
        pk = array("q", [-(2**63), -(2**62), -5, 0, 7, 2**62, 2**63 - 1])
        blob = array("B", b"abcdefg")
        starts = array("q", range(8))
        wanted = [*pk, -(2**63) + 1, -4, 8, 2**63 - 2]
        expected = [*"abcdefg", None, None, None, None]
        self.assertEqual(self.documents(pk, starts, blob, wanted), expected)

    def test_a_document_outside_the_blob_is_refused_not_read(self) -> None:
        self.starts[4] = len(self.blob) + 1
        with self.assertRaisesMessage(ValueError, "a document lies outside the blob"):
            self.documents(self.pk, self.starts, self.blob, [12])

    def test_sections_that_disagree_or_bytes_that_are_not_utf8_are_refused(self) -> None:
        with self.assertRaisesMessage(ValueError, "the sections' lengths do not agree"):
            self.documents(self.pk, self.starts[:-1], self.blob, [3])
        with self.assertRaisesMessage(TypeError, "blob: expected items of format 'B'"):
            self.documents(self.pk, self.starts, array("i", [0] * 8), [3])
        self.blob[9] = 0xFF
        with self.assertRaises(UnicodeDecodeError):
            self.documents(self.pk, self.starts, self.blob, [9])


NAMES = ("ann", "anna", "anne", "ánna", "zoë", "zoe", "ü-help", "日本語", "😀 line", "", "b")


def named_file(rng: random.Random, rows: int) -> Any:
    """The sections a page by distance reads: ids, each row's sort name (some shared,
    some a prefix of another, some beyond ASCII) and the names' UTF-8 bytes."""
    names = sorted(set(NAMES) | {f"name {rng.randint(0, 40)}" for _ in range(20)})
    blob, starts = bytearray(), array("q", [0])
    for name in names:
        blob += name.encode()
        starts.append(len(blob))
    pk = array("q", sorted(rng.sample(range(1, rows * 10), rows)))
    sort_name = array("i", (rng.randrange(len(names)) for _ in range(rows)))
    fake = SimpleNamespace(pk=pk, sort_name=sort_name, _string_starts=starts)
    fake._blob = array("B", blob)
    fake.string = lambda n: names[n]
    fake.nearest = functools.partial(SearchFile.nearest, cast(SearchFile, fake))
    return fake


def replace_sort_names(f: Any) -> Any:
    """``f`` with a sort name column of the wrong item type (a bug, not an overlay row)."""
    return SimpleNamespace(**{**vars(f), "sort_name": array("q", f.sort_name)})


class TheNearestPageInC(SimpleTestCase):
    def test_the_module_has_it(self) -> None:
        self.assertIsNotNone(native.NEAREST)

    def test_a_thousand_random_pages_are_the_python_pages_with_ties_and_any_names(self) -> None:
        rng = random.Random(5)
        for case in range(1_000):
            rows = rng.choice((1, 3, 30, 300))
            f = named_file(rng, rows)
            located = rng.sample(range(rows), rng.randint(0, rows))
            # Few distinct distances: many ties, broken by name, then by id.
            distances = [float(rng.randint(0, 6)) / rng.choice((1, 3)) for _ in located]
            offset = rng.choice((0, 0, 5, 20, 40))
            end = offset + rng.choice((1, 5, 20))
            with self.subTest(case=case):
                python = memory._nearest_in_python(f, list(located), distances, offset, end)
                self.assertEqual(SearchFile.nearest(f, located, distances, offset, end), python)
                # As a search hands them over: arrays, read without a Python object each.
                given = array("i", located), array("d", distances)
                self.assertEqual(SearchFile.nearest(f, *given, offset, end), python)

    def test_pages_among_thousands_of_rows_at_distinct_distances_are_the_python_pages(
        self,
    ) -> None:
        rng = random.Random(8)
        f = named_file(rng, 5_000)
        for case in range(60):
            located = rng.sample(range(5_000), rng.randint(1_000, 5_000))
            distances = [rng.uniform(0.0, 1600.0) for _ in located]
            offset = rng.choice((0, 20, 100, 980))
            end = offset + 20
            with self.subTest(case=case):
                python = memory._nearest_in_python(f, list(located), distances, offset, end)
                self.assertEqual(SearchFile.nearest(f, located, distances, offset, end), python)

    def test_a_changed_entrys_row_leaves_the_page_to_python(self) -> None:
        f = named_file(random.Random(2), 5)
        row = (99, 0.0, 0.0, False, False, None, 0, 0, 0, "", "", "zz changed")
        located: list[Any] = [0, row, 3]
        self.assertIsNone(SearchFile.nearest(f, located, [4.0, 1.0, 9.0], 0, 20))
        with self.assertRaisesMessage(TypeError, "sort_name: expected items of format 'i'"):
            SearchFile.nearest(replace_sort_names(f), [0, 3], [4.0, 9.0], 0, 20)
        found = nearby.Found(located=located, distances=[4.0, 1.0, 9.0])
        page = memory._nearest(f, found, 0, 20)
        self.assertEqual([match[0] for match in page], [99, f.pk[0], f.pk[3]])  # by distance

    def test_rows_names_or_sections_outside_the_file_are_refused_not_read(self) -> None:
        nearest = native.NEAREST
        assert nearest is not None
        f = named_file(random.Random(3), 4)
        sections = (f.pk, f.sort_name, f._string_starts, f._blob)
        with self.assertRaisesMessage(ValueError, "a row the file does not have"):
            nearest(*sections, [0, 4], [1.0, 2.0], 0, 20)
        with self.assertRaisesMessage(ValueError, "a distance that is not a number"):
            nearest(*sections, [0, 1, 2], [1.0, float("nan"), 2.0], 0, 1)
        with self.assertRaisesMessage(ValueError, "offset: below zero"):
            nearest(*sections, [0], [1.0], -1, 20)
        with self.assertRaisesMessage(ValueError, "located and distances differ in length"):
            nearest(*sections, [0, 1], [1.0], 0, 20)
        with self.assertRaisesMessage(ValueError, "the sections' lengths do not agree"):
            nearest(f.pk, f.sort_name[:-1], *sections[2:], [0], [1.0], 0, 20)
        f.sort_name[0] = len(f._string_starts) - 1
        with self.assertRaisesMessage(ValueError, "a sort name outside the file's strings"):
            nearest(*sections, [0], [1.0], 0, 20)
        f._string_starts[-1] = len(f._blob) + 1
        f.sort_name[0] = len(f._string_starts) - 2
        with self.assertRaisesMessage(ValueError, "a sort name outside the file's strings"):
            nearest(*sections, [0], [1.0], 0, 20)
        with self.assertRaisesMessage(TypeError, "sort_name: expected items of format 'i'"):
            nearest(f.pk, f.pk, *sections[2:], [0], [1.0], 0, 20)

    def test_arrays_of_another_item_type_or_length_or_outside_the_file_are_refused(
        self,
    ) -> None:
        nearest = native.NEAREST
        assert nearest is not None
        f = named_file(random.Random(3), 4)
        sections = (f.pk, f.sort_name, f._string_starts, f._blob)
        with self.assertRaisesMessage(TypeError, "located: expected items of format 'i'"):
            nearest(*sections, array("q", [0]), array("d", [1.0]), 0, 20)
        with self.assertRaisesMessage(TypeError, "distances: expected items of format 'd'"):
            nearest(*sections, array("i", [0]), array("f", [1.0]), 0, 20)
        with self.assertRaisesMessage(ValueError, "located and distances differ in length"):
            nearest(*sections, array("i", [0, 1]), array("d", [1.0]), 0, 20)
        with self.assertRaisesMessage(ValueError, "a row the file does not have"):
            nearest(*sections, array("i", [0, -1]), array("d", [1.0, 2.0]), 0, 20)
        with self.assertRaisesMessage(ValueError, "a distance that is not a number"):
            nearest(*sections, array("i", [0, 1]), array("d", [1.0, float("nan")]), 0, 20)
