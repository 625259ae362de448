"""Grading is exact: each kind, unanswered items, partial answers, the pass mark, draws."""

from __future__ import annotations

import random

from django.test import SimpleTestCase

from mend.training import grading
from mend.training.grading import Drawn
from mend.training.tests.base import fixture_content

MODULE = fixture_content().modules["listening"]
ITEMS = MODULE.items


def right(item_id: str, response: tuple[int, ...] | None) -> bool:
    return grading.is_right(ITEMS[item_id], response)


class ItemGradingTests(SimpleTestCase):
    def test_it_counts_an_unanswered_item_wrong(self) -> None:
        for item_id in ITEMS:
            with self.subTest(item_id):
                self.assertFalse(right(item_id, None))

    def test_it_grades_a_choice_by_its_one_right_option(self) -> None:
        self.assertTrue(right("listening-q01", (1,)))
        self.assertFalse(right("listening-q01", (0,)))
        self.assertFalse(right("listening-q01", (0, 1)))

    def test_it_grades_true_false(self) -> None:
        self.assertTrue(right("listening-q05", (1,)))  # the statement is false
        self.assertFalse(right("listening-q05", (0,)))
        self.assertTrue(right("listening-q06", (0,)))  # the statement is true

    def test_it_needs_exactly_the_right_set_for_a_multi(self) -> None:
        self.assertTrue(right("listening-q03", (3, 0, 1)))
        self.assertFalse(right("listening-q03", (0, 1)))  # one missing
        self.assertFalse(right("listening-q03", (0, 1, 2, 3)))  # one extra
        self.assertFalse(right("listening-q03", (0, 1, 1, 3)))  # repeated

    def test_it_needs_exactly_the_right_order(self) -> None:
        self.assertTrue(right("listening-q07", (0, 1, 2, 3)))
        self.assertFalse(right("listening-q07", (1, 0, 2, 3)))
        self.assertFalse(right("listening-q07", (0, 1, 2)))

    def test_it_grades_a_scenario_like_a_choice(self) -> None:
        self.assertTrue(right("listening-q09", (1,)))
        self.assertFalse(right("listening-q09", (2,)))


class ResponseTests(SimpleTestCase):
    def test_it_reads_radios_and_checkboxes_as_option_indexes(self) -> None:
        self.assertEqual(
            grading.read_response(ITEMS["listening-q01"], {"q-listening-q01": ["1"]}), (1,)
        )
        form = {"q-listening-q03": ["0", "3"]}
        self.assertEqual(grading.read_response(ITEMS["listening-q03"], form), (0, 3))

    def test_it_reads_nothing_from_a_missing_or_forged_field(self) -> None:
        item = ITEMS["listening-q01"]
        for form in (
            {},
            {"q-listening-q01": ["9"]},
            {"q-listening-q01": ["x"]},
            {"q-listening-q01": ["0", "1"]},
        ):
            with self.subTest(form):
                self.assertIsNone(grading.read_response(item, form))

    def test_it_reads_an_order_from_the_places_given(self) -> None:
        item = ITEMS["listening-q08"]
        form = {"q-listening-q08-0": ["2"], "q-listening-q08-1": ["3"], "q-listening-q08-2": ["1"]}
        self.assertEqual(grading.read_response(item, form), (2, 0, 1))

    def test_it_reads_no_order_when_a_place_is_missing_or_used_twice(self) -> None:
        item = ITEMS["listening-q08"]
        twice = {"q-listening-q08-0": ["1"], "q-listening-q08-1": ["1"], "q-listening-q08-2": ["2"]}
        missing = {"q-listening-q08-0": ["1"], "q-listening-q08-1": ["2"]}
        self.assertIsNone(grading.read_response(item, twice))
        self.assertIsNone(grading.read_response(item, missing))


class CheckGradingTests(SimpleTestCase):
    drawn = [Drawn(item_id, (0, 1, 2)) for item_id in sorted(ITEMS)[:8]]

    def responses(self, wrong: int, unanswered: int = 0) -> dict[str, tuple[int, ...] | None]:
        answers: dict[str, tuple[int, ...] | None] = {d.id: ITEMS[d.id].answer for d in self.drawn}
        ids = [d.id for d in self.drawn]
        for item_id in ids[:wrong]:
            answers[item_id] = (2,) if ITEMS[item_id].answer != (2,) else (0,)
        for item_id in ids[wrong : wrong + unanswered]:
            answers[item_id] = None
        return answers

    def test_it_passes_seven_of_eight(self) -> None:
        grade = grading.grade(MODULE, self.drawn, self.responses(wrong=1), 80)
        self.assertEqual((grade.score, grade.total, grade.passed), (7, 8, True))

    def test_it_fails_six_of_eight(self) -> None:
        grade = grading.grade(MODULE, self.drawn, self.responses(wrong=1, unanswered=1), 80)
        self.assertEqual((grade.score, grade.passed), (6, False))
        self.assertEqual(sum(1 for ok in grade.results.values() if not ok), 2)

    def test_it_passes_exactly_at_eighty_percent(self) -> None:
        self.assertTrue(grading.passes(8, 10, 80))
        self.assertFalse(grading.passes(7, 10, 80))
        self.assertFalse(grading.passes(0, 0, 80))

    def test_it_counts_an_empty_submission_as_nothing_right(self) -> None:
        grade = grading.grade(MODULE, self.drawn, {}, 80)
        self.assertEqual((grade.score, grade.passed), (0, False))


class DrawTests(SimpleTestCase):
    def test_it_draws_distinct_items_of_the_bank_with_shuffled_options(self) -> None:
        drawn = grading.draw(MODULE, 8, random.Random(7))
        self.assertEqual(len({d.id for d in drawn}), 8)
        self.assertLessEqual({d.id for d in drawn}, set(ITEMS))
        for d in drawn:
            self.assertEqual(sorted(d.options), list(range(len(ITEMS[d.id].options))))

    def test_it_keeps_true_false_in_its_natural_order(self) -> None:
        for seed in range(20):
            for d in grading.draw(MODULE, 10, random.Random(seed)):
                if ITEMS[d.id].kind == "truefalse":
                    self.assertEqual(d.options, (0, 1))

    def test_it_draws_differently_with_different_randomness(self) -> None:
        draws = {tuple(d.id for d in grading.draw(MODULE, 8, random.Random(s))) for s in range(10)}
        self.assertGreater(len(draws), 1)

    def test_it_draws_the_whole_bank_when_asked_for_more(self) -> None:
        self.assertEqual(len(grading.draw(MODULE, 50, random.Random(1))), len(ITEMS))

    def test_it_round_trips_a_draw_through_json(self) -> None:
        drawn = grading.draw(MODULE, 3, random.Random(3))
        self.assertEqual([Drawn.from_json(d.to_json()) for d in drawn], drawn)
