"""Knowledge checks: drawing items from a bank and grading the answers, exactly.

Pure functions over the content (no database, no clock), so the grade of a stored attempt
can always be reproduced from what it stored.

Grading rules (tested one by one in tests/test_grading.py):
- an unanswered item counts as wrong;
- ``choice``, ``scenario`` and ``truefalse``: right only with the one right option;
- ``multi``: right only with exactly the right set (one missing or one extra: wrong);
- ``order``: right only with every option in the right place;
- a check passes with at least TRAINING_PASS_PERCENT of its items right (80 %: 7 of 8 and
  8 of 10, not 6 of 8).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mend.training.curriculum import Item, Module

Response = tuple[int, ...] | None


@dataclass(frozen=True)
class Drawn:
    """An item as shown: its id and its options in the order shown (original indexes)."""

    id: str
    options: tuple[int, ...]

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "options": list(self.options)}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Drawn:
        options = data["options"]
        assert isinstance(options, list)
        return cls(str(data["id"]), tuple(int(index) for index in options))


@dataclass(frozen=True)
class Grade:
    score: int
    total: int
    results: dict[str, bool]
    passed: bool


def draw(module: Module, count: int, rng: random.Random) -> list[Drawn]:
    """``count`` distinct items of the bank (all, if it has fewer), in random order, each
    with its options shuffled (true/false stays in its natural order)."""
    chosen = rng.sample(sorted(module.items), min(count, len(module.items)))
    drawn = []
    for item_id in chosen:
        options = list(range(len(module.items[item_id].options)))
        if module.items[item_id].kind != "truefalse":
            rng.shuffle(options)
        drawn.append(Drawn(item_id, tuple(options)))
    return drawn


def field_name(item: Item, option: int | None = None) -> str:
    """The form field of an item (and, for ``order``, of one option's position)."""
    return f"q-{item.id}" if option is None else f"q-{item.id}-{option}"


def read_response(item: Item, form: Mapping[str, Sequence[str]]) -> Response:
    """The response a submitted form gives to ``item``, as original option indexes; None
    when unanswered or malformed (a learner never loses points to a parse error silently:
    the result page shows the item as unanswered)."""
    count = len(item.options)
    if item.kind == "order":
        positions: dict[int, int] = {}
        for option in range(count):
            value = _one(form.get(field_name(item, option), ()))
            if value is None or not 1 <= value <= count:
                return None
            positions[option] = value
        if sorted(positions.values()) != list(range(1, count + 1)):
            return None
        return tuple(sorted(positions, key=positions.__getitem__))
    values = [option_number(value) for value in form.get(field_name(item), ())]
    chosen = [value for value in values if value is not None and 0 <= value < count]
    if not chosen or len(chosen) != len(values):
        return None
    if item.kind != "multi" and len(chosen) != 1:
        return None
    return tuple(chosen)


def option_number(value: str) -> int | None:
    """A form's option index, or None: a few digits only, so that a long run of them costs
    nothing (and cannot reach Python's limit on converting digits)."""
    return int(value) if value.isdecimal() and len(value) < 4 else None


def _one(values: Sequence[str]) -> int | None:
    return option_number(values[0]) if len(values) == 1 else None


def is_right(item: Item, response: Response) -> bool:
    if response is None:
        return False
    if item.kind == "order":
        return response == item.answer
    return len(set(response)) == len(response) and tuple(sorted(response)) == item.answer


def passes(score: int, total: int, pass_percent: int) -> bool:
    return total > 0 and score * 100 >= pass_percent * total


def grade(
    module: Module, drawn: Sequence[Drawn], responses: Mapping[str, Response], pass_percent: int
) -> Grade:
    results = {d.id: is_right(module.items[d.id], responses.get(d.id)) for d in drawn}
    score = sum(results.values())
    return Grade(score, len(drawn), results, passes(score, len(drawn), pass_percent))
