"""Question banks: ``questions/NN-slug.toml``, checked item by item against its kind."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from mend.training import markup
from mend.training.schema import (
    KINDS,
    MIN_ITEMS,
    OPTIONS,
    TRUE_FALSE,
    Item,
    Problems,
    is_int,
    is_text,
)

_CATCH_ALL = re.compile(r"\b(all|none) of the above\b", re.IGNORECASE)


def read_toml(path: Path, problems: Problems) -> dict[str, Any] | None:
    """The file's TOML (also used for paths.toml); None, and a problem, if it is not valid."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        problems.add(path.name, f"not valid TOML ({error})")
        return None


def read_bank(path: Path, module_id: str, problems: Problems) -> dict[str, Item]:
    where = path.name
    if not path.exists():
        problems.add(where, "the module's question bank is missing")
        return {}
    data = read_toml(path, problems)
    if data is None:
        return {}
    raw_items = data.get("item")
    if not isinstance(raw_items, list):
        problems.add(where, "no [[item]] entries")
        return {}
    items: dict[str, Item] = {}
    for raw in raw_items:
        item = read_item(raw, module_id, where, problems)
        if item is None:
            continue
        if item.id in items:
            problems.add(where, f"item id {item.id} is used twice")
        items[item.id] = item
    if len(raw_items) < MIN_ITEMS:
        problems.add(where, f"a bank has at least {MIN_ITEMS} items, not {len(raw_items)}")
    missing = [kind for kind in KINDS if kind not in {item.kind for item in items.values()}]
    if missing:
        problems.add(where, f"a bank has every kind of item; missing: {', '.join(missing)}")
    return items


def read_item(raw: object, module_id: str, where: str, problems: Problems) -> Item | None:
    if not isinstance(raw, dict):
        problems.add(where, "an item must be a table")
        return None
    item_id = raw.get("id")
    if not (isinstance(item_id, str) and re.fullmatch(rf"{re.escape(module_id)}-q\d\d", item_id)):
        problems.add(where, f"item id {item_id!r} must be {module_id}-qNN")
        return None
    where = f"{where} [{item_id}]"
    before = len(problems.found)
    kind = raw.get("kind")
    if kind not in KINDS:
        problems.add(where, f"kind must be one of {', '.join(KINDS)}")
        return None
    allowed = {"id", "kind", "prompt", "feedback", "options", "answer", "case"}
    if set(raw) - allowed:
        problems.add(where, f"unknown keys: {', '.join(sorted(set(raw) - allowed))}")
    for key in ("prompt", "feedback"):
        if not is_text(raw.get(key)):
            problems.add(where, f"{key} is missing")
    if kind == "scenario" and not is_text(raw.get("case")):
        problems.add(where, "a scenario item needs its case (the situation)")
    if kind != "scenario" and "case" in raw:
        problems.add(where, "only scenario items have a case")
    options, answer = check_answer(raw, kind, where, problems)
    item = Item(
        id=item_id,
        kind=kind,
        prompt=str(raw.get("prompt", "")),
        options=options,
        answer=answer,
        feedback=str(raw.get("feedback", "")),
        case=str(raw.get("case", "")),
    )
    for text in item.texts():
        for problem in markup.inline_problems(text):
            problems.add(where, problem)
    return item if len(problems.found) == before else None


def check_answer(
    raw: dict[str, Any], kind: str, where: str, problems: Problems
) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The item's options and right answer, after checking them against its kind."""
    if kind == "truefalse":
        if "options" in raw or not isinstance(raw.get("answer"), bool):
            problems.add(where, "a true/false item has no options and answer = true or false")
            return TRUE_FALSE, (0,)
        return TRUE_FALSE, (0,) if raw["answer"] else (1,)
    options = raw.get("options")
    if not (isinstance(options, list) and all(map(is_text, options))):
        problems.add(where, "options must be a list of texts")
        return (), ()
    if not OPTIONS[0] <= len(options) <= OPTIONS[1]:
        problems.add(where, f"{OPTIONS[0]} to {OPTIONS[1]} options, not {len(options)}")
    if len(set(options)) != len(options):
        problems.add(where, "two options are the same")
    if any(_CATCH_ALL.search(option) for option in options):
        problems.add(where, 'no "all of the above" or "none of the above"')
    if kind == "order":
        if "answer" in raw:
            problems.add(where, "an order item has no answer: its options are written in order")
        return tuple(options), tuple(range(len(options)))
    answer = raw.get("answer")
    if not (
        isinstance(answer, list)
        and all(is_int(index, 0, len(options) - 1) for index in answer)
        and len(set(answer)) == len(answer)
    ):
        problems.add(where, "answer must list distinct option indexes (0-based)")
        return tuple(options), ()
    if kind in ("choice", "scenario") and len(answer) != 1:
        problems.add(where, f"a {kind} item has exactly one right option")
    if kind == "multi" and len(answer) < 2:
        problems.add(where, "a multi item has two or more right options")
    return tuple(options), tuple(sorted(answer))
