"""Lessons: the body of a module, in the Markdown subset of content/README.md.

``## `` starts a lesson, ``### `` a sub-heading, ``- `` a list item, ``[[scenario ID]]`` on
its own line a practice scenario; other lines are paragraphs, joined with single spaces.
Anything else of Markdown (quotes, numbered lists, code, tables, raw HTML) is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mend.training import markup
from mend.training.schema import LESSON_WORDS, LESSONS, Block, Item, Lesson, Problems

_SCENARIO_REF = re.compile(r"^\[\[scenario ([A-Za-z0-9-]+)\]\]$")
# Markdown outside the subset, refused rather than shown as stray symbols.
# (Lines starting "## ", "### " and "- " are read before this is asked.)
_FORBIDDEN_LINE = re.compile(r"^(#|>|```|~~~|\d+[.)] |\* |\+ |\||<)")


def parse_lessons(body: str, where: str, problems: Problems) -> list[Lesson]:
    """The lessons of a module body: ``## `` starts one; blank lines separate blocks."""
    lessons: list[tuple[str, list[Block]]] = []
    for lineno, kind, text in _blocks(body, where, problems):
        if kind == "lesson":
            lessons.append((text, []))
        elif not lessons:
            problems.add(f"{where}:{lineno}", "text before the first lesson (## heading)")
        elif kind == "list":
            blocks = lessons[-1][1]
            if blocks and blocks[-1].kind == "list":
                blocks[-1] = Block("list", items=(*blocks[-1].items, text))
            else:
                blocks.append(Block("list", items=(text,)))
        else:
            lessons[-1][1].append(Block(kind, text=text))
    return [Lesson(title, tuple(blocks)) for title, blocks in lessons]


def _blocks(body: str, where: str, problems: Problems) -> Iterator[tuple[int, str, str]]:
    """(line number, kind, text) for each lesson heading, sub-heading, scenario, list item
    and paragraph; paragraph and list-item lines are joined with single spaces."""
    pending: tuple[int, str, list[str]] | None = None
    for lineno, raw in enumerate(body.split("\n"), start=1):
        line = raw.strip()
        single = _single_line_block(line)
        if (not line or single is not None or line.startswith("- ")) and pending is not None:
            yield pending[0], pending[1], " ".join(pending[2])
            pending = None
        if not line:
            continue
        if single is not None:
            yield lineno, single[0], single[1]
        elif line.startswith("- "):
            pending = (lineno, "list", [line[2:].strip()])
        elif _FORBIDDEN_LINE.match(line):
            problems.add(f"{where}:{lineno}", f"not in the allowed Markdown subset: {line[:40]!r}")
        else:
            pending = pending or (lineno, "paragraph", [])
            pending[2].append(line)
        for problem in markup.inline_problems(line if single is None else single[1]):
            problems.add(f"{where}:{lineno}", problem)
    if pending is not None:
        yield pending[0], pending[1], " ".join(pending[2])


def _single_line_block(line: str) -> tuple[str, str] | None:
    if line.startswith("## "):
        return "lesson", line[3:].strip()
    if line.startswith("### "):
        return "subheading", line[4:].strip()
    reference = _SCENARIO_REF.match(line)
    if reference:
        return "scenario", reference.group(1)
    return None


def check_lessons(
    lessons: list[Lesson], items: dict[str, Item], where: str, problems: Problems
) -> None:
    if not LESSONS[0] <= len(lessons) <= LESSONS[1]:
        problems.add(
            where, f"a module has {LESSONS[0]} to {LESSONS[1]} lessons, not {len(lessons)}"
        )
    for lesson in lessons:
        words = lesson.words()
        if not LESSON_WORDS[0] <= words <= LESSON_WORDS[1]:
            problems.add(
                where,
                f"lesson {lesson.title!r} has {words} words "
                f"({LESSON_WORDS[0]} to {LESSON_WORDS[1]} allowed)",
            )
        for block in lesson.blocks:
            if block.kind != "scenario":
                continue
            item = items.get(block.text)
            if item is None or item.kind != "scenario":
                problems.add(where, f"[[scenario {block.text}]] names no scenario item of its bank")
