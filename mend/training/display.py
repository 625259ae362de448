"""What the training templates show: lessons with their practice scenarios, and a check's
items in the order drawn, with the learner's answers and feedback once submitted.

Every piece of content text goes through catalogue.show (gettext, then the safe renderer)
in the templates' ``training_text`` filter; nothing here marks text safe.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from mend.training import grading
from mend.training.curriculum import Block, Item, Lesson, Module
from mend.training.models import Attempt


@dataclass
class BlockView:
    block: Block
    item: Item | None = None


@dataclass
class LessonView:
    lesson: Lesson
    blocks: list[BlockView]


def lesson_views(module: Module) -> list[LessonView]:
    return [
        LessonView(
            lesson,
            [
                BlockView(b, module.items.get(b.text) if b.kind == "scenario" else None)
                for b in lesson.blocks
            ],
        )
        for lesson in module.lessons
    ]


@dataclass
class PracticeView:
    """A practice scenario the learner answered (GET form on the module page)."""

    item: Item
    chosen: int | None
    right: bool


def practice_view(module: Module, query: Mapping[str, str]) -> PracticeView | None:
    item = module.items.get(query.get("practice", ""))
    if item is None or item.kind != "scenario":
        return None
    chosen = grading.option_number(query.get("answer", ""))
    if chosen is not None and chosen >= len(item.options):
        chosen = None
    response = (chosen,) if chosen is not None else None
    return PracticeView(item, chosen, grading.is_right(item, response))


@dataclass
class OptionView:
    index: int
    text: str
    chosen: bool = False
    right: bool = False
    position: int | None = None  # order items: the position the learner gave


@dataclass
class ItemView:
    number: int
    item: Item
    name: str  # the form field's name
    options: list[OptionView]
    positions: list[int] = field(default_factory=list)
    answered: bool = False
    right: bool = False
    right_order: list[str] = field(default_factory=list)


def check_view(module: Module, attempt: Attempt) -> list[ItemView]:
    answers: Mapping[str, list[int] | None] = attempt.answers or {}
    results: Mapping[str, bool] = attempt.results or {}
    views = []
    for number, drawn in enumerate((grading.Drawn.from_json(d) for d in attempt.drawn), 1):
        item = module.items.get(drawn.id)
        if item is None:  # removed from the bank since: the stored grade still stands
            continue
        response = answers.get(item.id)
        options = [_option(item, index, response) for index in drawn.options]
        views.append(
            ItemView(
                number=number,
                item=item,
                name=grading.field_name(item),
                options=options,
                positions=list(range(1, len(item.options) + 1)),
                answered=response is not None,
                right=bool(results.get(item.id)),
                right_order=list(item.options) if item.kind == "order" else [],
            )
        )
    return views


def _option(item: Item, index: int, response: list[int] | None) -> OptionView:
    view = OptionView(index=index, text=item.options[index], right=index in item.answer)
    if response is not None:
        if item.kind == "order":
            view.position = response.index(index) + 1 if index in response else None
        else:
            view.chosen = index in response
    return view
