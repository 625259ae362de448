"""The training content, loaded from reviewable files and checked against the format.

The format is the contract in ``mend/training/content/README.md``: modules
(``modules/NN-slug.md``: TOML front matter, then lessons in a small Markdown subset),
question banks (``questions/NN-slug.toml``, the same stem as the module) and learning paths
(``paths.toml``). ``load`` reads a directory and refuses it with every problem found
(``ContentError``); nothing half-valid is ever served. ``current()`` is the directory of
the TRAINING_CONTENT_DIR setting, loaded once per process.

Guarantees: every rule of the README is checked (see ``check_*``); ids are unique across
the whole content; ``[[scenario ID]]`` names a scenario item of the module's own bank; each
bank has at least 10 items and every kind; a path names existing modules only, or modules
of the planned curriculum (``PLANNED``) not written yet: such a path is listed as not
ready (``Curriculum.ready``) and cannot be taken. Not checked: whether the text is true,
kind and well translated; that is review's work (docs/training.md).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

from mend.training import markup

KINDS = ("choice", "multi", "truefalse", "order", "scenario")
AUDIENCES = ("police", "health", "education", "employers", "staff")
# The 14 modules of the curriculum (reference part C.2), in order. A path may name one
# that the writers have not finished yet; the path is then not ready.
PLANNED = (
    "realities",
    "trauma-brain",
    "disclosure",
    "access",
    "first-response",
    "interviewing",
    "offender-focus",
    "forensic-care",
    "confidentiality",
    "fair-process",
    "restorative",
    "workplace-leave",
    "implementation",
    "wellbeing",
)
MIN_ITEMS = 10
LESSONS = (3, 5)
LESSON_WORDS = (120, 300)
OPTIONS = (3, 5)
_STEM = re.compile(r"^(\d\d)-[a-z0-9-]+$")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SCENARIO_REF = re.compile(r"^\[\[scenario ([A-Za-z0-9-]+)\]\]$")
_CATCH_ALL = re.compile(r"\b(all|none) of the above\b", re.IGNORECASE)
# Markdown outside the subset, refused rather than shown as stray symbols.
# (Lines starting "## ", "### " and "- " are read before this is asked.)
_FORBIDDEN_LINE = re.compile(r"^(#|>|```|~~~|\d+[.)] |\* |\+ |\||<)")
TRUE_FALSE = ("True", "False")


@dataclass(frozen=True)
class Item:
    """One question. ``answer``: the indexes of the right options; for ``order``, the
    options in the written (right) order; for ``truefalse``, (0,) for true, (1,) for false
    against ``options`` ("True", "False")."""

    id: str
    kind: str
    prompt: str
    options: tuple[str, ...]
    answer: tuple[int, ...]
    feedback: str
    case: str = ""

    def texts(self) -> Iterator[str]:
        if self.case:
            yield self.case
        yield self.prompt
        if self.kind != "truefalse":
            yield from self.options
        yield self.feedback


@dataclass(frozen=True)
class Block:
    """A piece of a lesson: ``subheading``, ``paragraph``, ``list`` (``items``) or
    ``scenario`` (``text`` is the item id)."""

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lesson:
    title: str
    blocks: tuple[Block, ...]

    def words(self) -> int:
        count = 0
        for block in self.blocks:
            if block.kind in ("paragraph", "subheading"):
                count += len(markup.plain(block.text).split())
            elif block.kind == "list":
                count += sum(len(markup.plain(text).split()) for text in block.items)
        return count


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Module:
    id: str
    number: int
    version: int
    title: str
    minutes: int
    audiences: tuple[str, ...]
    objectives: tuple[str, ...]
    sources: tuple[Source, ...]
    lessons: tuple[Lesson, ...]
    items: dict[str, Item] = field(hash=False)

    def item(self, item_id: str) -> Item:
        return self.items[item_id]


@dataclass(frozen=True)
class LearningPath:
    id: str
    title: str
    audience: str
    modules: tuple[str, ...]


@dataclass(frozen=True)
class Curriculum:
    modules: dict[str, Module]
    paths: dict[str, LearningPath]

    def ready(self, path: LearningPath) -> bool:
        """Whether every module of the path is written (a path may name planned ones)."""
        return all(module_id in self.modules for module_id in path.modules)

    def ordered_modules(self) -> list[Module]:
        return sorted(self.modules.values(), key=lambda module: module.number)


class ContentError(ValueError):
    """The content breaks the format; ``problems`` says where and how, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class Problems:
    """Collects problems under a location prefix (a file name), so one run reports all."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def add(self, where: str, what: str) -> None:
        self.found.append(f"{where}: {what}")


# --- reading ---------------------------------------------------------------------------------


def load(directory: Path) -> Curriculum:
    """Read and check the content in ``directory``; raise ContentError listing every problem."""
    problems = Problems()
    modules: dict[str, Module] = {}
    for path in sorted((directory / "modules").glob("*.md")):
        module = read_module(path, directory / "questions" / f"{path.stem}.toml", problems)
        if module is not None:
            check_unique_module(module, modules, path.name, problems)
            modules[module.id] = module
    for bank in sorted((directory / "questions").glob("*.toml")):
        if not (directory / "modules" / f"{bank.stem}.md").exists():
            problems.add(bank.name, "a question bank without a module of the same name")
    check_unique_items(modules, problems)
    paths = read_paths(directory / "paths.toml", modules, problems)
    if problems.found:
        raise ContentError(problems.found)
    return Curriculum(modules=modules, paths=paths)


@lru_cache(maxsize=4)
def _load_cached(directory: str) -> Curriculum:
    return load(Path(directory))


def current() -> Curriculum:
    """The content of settings.TRAINING_CONTENT_DIR, loaded once per process and directory."""
    return _load_cached(str(settings.TRAINING_CONTENT_DIR))


def split_front_matter(text: str) -> tuple[str, str] | None:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "+++":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "+++":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :])
    return None


def read_module(path: Path, bank_path: Path, problems: Problems) -> Module | None:
    where = path.name
    stem = _STEM.match(path.stem)
    if stem is None:
        problems.add(where, "the file name must be NN-slug.md (two digits, lower-case slug)")
        return None
    parts = split_front_matter(path.read_text(encoding="utf-8"))
    if parts is None:
        problems.add(where, "the front matter must open and close with a line of +++")
        return None
    try:
        meta = tomllib.loads(parts[0])
    except tomllib.TOMLDecodeError as error:
        problems.add(where, f"the front matter is not valid TOML ({error})")
        return None
    module_id = check_front_matter(meta, int(stem.group(1)), where, problems)
    if module_id is None:
        return None
    lessons = parse_lessons(parts[1], where, problems)
    items = read_bank(bank_path, module_id, problems)
    check_lessons(lessons, items, where, problems)
    return Module(
        id=module_id,
        number=meta["number"],
        version=meta["version"],
        title=meta["title"],
        minutes=meta["minutes"],
        audiences=tuple(meta["audiences"]),
        objectives=tuple(meta["objectives"]),
        sources=tuple(Source(s["title"], s["url"]) for s in meta["sources"]),
        lessons=tuple(lessons),
        items=items,
    )


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_int(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def check_front_matter(
    meta: dict[str, Any], file_number: int, where: str, problems: Problems
) -> str | None:
    """Check the module's metadata; its id, or None if it cannot be used at all."""
    before = len(problems.found)
    module_id = meta.get("id")
    if not (isinstance(module_id, str) and _ID.match(module_id)):
        problems.add(where, "id must be lower-case words joined by dashes")
    if not _is_int(meta.get("number"), 1, 14) or meta.get("number") != file_number:
        problems.add(where, "number must be 1 to 14 and match the file name's NN")
    if not _is_int(meta.get("version"), 1, 10_000):
        problems.add(where, "version must be a whole number from 1")
    if not _is_text(meta.get("title")):
        problems.add(where, "title is missing")
    if not _is_int(meta.get("minutes"), 1, 600):
        problems.add(where, "minutes must be a whole number of minutes")
    audiences = meta.get("audiences")
    if not (isinstance(audiences, list) and audiences and set(audiences) <= set(AUDIENCES)):
        problems.add(where, f"audiences must be a non-empty list from {', '.join(AUDIENCES)}")
    objectives = meta.get("objectives")
    if not (isinstance(objectives, list) and objectives and all(map(_is_text, objectives))):
        problems.add(where, "objectives must be a non-empty list of sentences")
    check_sources(meta.get("sources"), where, problems)
    for key in ("title",):
        check_inline_field(meta.get(key), where, problems)
    unknown = set(meta) - {
        "id",
        "number",
        "version",
        "title",
        "minutes",
        "audiences",
        "objectives",
        "sources",
    }
    if unknown:
        problems.add(where, f"unknown front matter keys: {', '.join(sorted(unknown))}")
    if len(problems.found) != before or not isinstance(module_id, str):
        return None
    return module_id


def check_sources(sources: object, where: str, problems: Problems) -> None:
    if not (isinstance(sources, list) and sources):
        problems.add(where, "at least one [[sources]] entry (title and https url) is required")
        return
    for source in sources:
        if not (isinstance(source, dict) and _is_text(source.get("title"))):
            problems.add(where, "each source needs a title")
        elif not markup.is_https_url(str(source.get("url", ""))):
            problems.add(where, f"source {source['title']!r} needs an https url")


def check_inline_field(value: object, where: str, problems: Problems) -> None:
    if isinstance(value, str):
        for problem in markup.inline_problems(value):
            problems.add(where, problem)


# --- lessons ---------------------------------------------------------------------------------


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


# --- question banks --------------------------------------------------------------------------


def read_bank(path: Path, module_id: str, problems: Problems) -> dict[str, Item]:
    where = path.name
    if not path.exists():
        problems.add(where, "the module's question bank is missing")
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        problems.add(where, f"not valid TOML ({error})")
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
        if not _is_text(raw.get(key)):
            problems.add(where, f"{key} is missing")
    if kind == "scenario" and not _is_text(raw.get("case")):
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
    if not (isinstance(options, list) and all(map(_is_text, options))):
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
        and all(_is_int(index, 0, len(options) - 1) for index in answer)
        and len(set(answer)) == len(answer)
    ):
        problems.add(where, "answer must list distinct option indexes (0-based)")
        return tuple(options), ()
    if kind in ("choice", "scenario") and len(answer) != 1:
        problems.add(where, f"a {kind} item has exactly one right option")
    if kind == "multi" and len(answer) < 2:
        problems.add(where, "a multi item has two or more right options")
    return tuple(options), tuple(sorted(answer))


# --- across files ----------------------------------------------------------------------------


def check_unique_module(
    module: Module, modules: dict[str, Module], where: str, problems: Problems
) -> None:
    if module.id in modules:
        problems.add(where, f"module id {module.id} is used twice")
    if any(other.number == module.number for other in modules.values()):
        problems.add(where, f"module number {module.number} is used twice")


def check_unique_items(modules: dict[str, Module], problems: Problems) -> None:
    seen: dict[str, str] = {}
    for module in modules.values():
        for item_id in module.items:
            if item_id in seen and seen[item_id] != module.id:
                problems.add(module.id, f"item id {item_id} is also in {seen[item_id]}")
            seen[item_id] = module.id


def read_paths(
    path: Path, modules: dict[str, Module], problems: Problems
) -> dict[str, LearningPath]:
    where = path.name
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        problems.add(where, f"not valid TOML ({error})")
        return {}
    paths: dict[str, LearningPath] = {}
    for raw in data.get("path", []):
        learning_path = read_path(raw, modules, where, problems)
        if learning_path is None:
            continue
        if learning_path.id in paths:
            problems.add(where, f"path id {learning_path.id} is used twice")
        paths[learning_path.id] = learning_path
    return paths


def read_path(
    raw: object, modules: dict[str, Module], where: str, problems: Problems
) -> LearningPath | None:
    if not (isinstance(raw, dict) and isinstance(raw.get("id"), str) and _ID.match(raw["id"])):
        problems.add(where, "each [[path]] needs an id of lower-case words joined by dashes")
        return None
    where = f"{where} [{raw['id']}]"
    before = len(problems.found)
    if not _is_text(raw.get("title")):
        problems.add(where, "title is missing")
    if raw.get("audience") not in AUDIENCES:
        problems.add(where, f"audience must be one of {', '.join(AUDIENCES)}")
    listed = raw.get("modules")
    if not (isinstance(listed, list) and listed and all(isinstance(m, str) for m in listed)):
        problems.add(where, "modules must be a non-empty list of module ids")
        return None
    if len(set(listed)) != len(listed):
        problems.add(where, "a module is listed twice")
    for module_id in listed:
        if module_id not in modules and module_id not in PLANNED:
            problems.add(where, f"no module {module_id}")
    if len(problems.found) != before:
        return None
    return LearningPath(raw["id"], raw["title"], raw["audience"], tuple(listed))
