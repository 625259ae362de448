"""Answering a drawn check as a learner would, through the form's fields."""

from __future__ import annotations

from mend.training import grading
from mend.training.curriculum import Module
from mend.training.models import Attempt


def answer_form(module: Module, attempt: Attempt, *, wrong: int = 0) -> dict[str, list[str]]:
    """Form data answering every drawn item right, except the first ``wrong`` ones."""
    form: dict[str, list[str]] = {}
    for number, data in enumerate(attempt.drawn):
        item = module.items[str(data["id"])]
        answer = list(item.answer)
        if number < wrong:
            answer = (
                answer[::-1]
                if item.kind == "order"
                else [next(i for i in range(len(item.options)) if i not in item.answer)]
            )
        if item.kind == "order":
            for position, option in enumerate(answer, start=1):
                form[grading.field_name(item, option)] = [str(position)]
        else:
            form[grading.field_name(item)] = [str(index) for index in answer]
    return form
