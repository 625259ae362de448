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
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

from mend.training import markup
from mend.training.banks import read_bank, read_toml
from mend.training.lessons import check_lessons, parse_lessons
from mend.training.schema import (
    AUDIENCES,
    KINDS,
    PLANNED,
    Block,
    ContentError,
    Curriculum,
    Item,
    LearningPath,
    Lesson,
    Module,
    Problems,
    Source,
    is_int,
    is_text,
)

# The shapes live in schema.py (shared with lessons.py and banks.py); callers name them here.
__all__ = [
    "AUDIENCES",
    "KINDS",
    "PLANNED",
    "Block",
    "ContentError",
    "Curriculum",
    "Item",
    "LearningPath",
    "Lesson",
    "Module",
    "Source",
    "current",
    "load",
]

_STEM = re.compile(r"^(\d\d)-[a-z0-9-]+$")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


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


def check_front_matter(
    meta: dict[str, Any], file_number: int, where: str, problems: Problems
) -> str | None:
    """Check the module's metadata; its id, or None if it cannot be used at all."""
    before = len(problems.found)
    module_id = meta.get("id")
    if not (isinstance(module_id, str) and _ID.match(module_id)):
        problems.add(where, "id must be lower-case words joined by dashes")
    if not is_int(meta.get("number"), 1, 14) or meta.get("number") != file_number:
        problems.add(where, "number must be 1 to 14 and match the file name's NN")
    if not is_int(meta.get("version"), 1, 10_000):
        problems.add(where, "version must be a whole number from 1")
    if not is_text(meta.get("title")):
        problems.add(where, "title is missing")
    if not is_int(meta.get("minutes"), 1, 600):
        problems.add(where, "minutes must be a whole number of minutes")
    audiences = meta.get("audiences")
    if not (isinstance(audiences, list) and audiences and set(audiences) <= set(AUDIENCES)):
        problems.add(where, f"audiences must be a non-empty list from {', '.join(AUDIENCES)}")
    objectives = meta.get("objectives")
    if not (isinstance(objectives, list) and objectives and all(map(is_text, objectives))):
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
        if not (isinstance(source, dict) and is_text(source.get("title"))):
            problems.add(where, "each source needs a title")
        elif not markup.is_https_url(str(source.get("url", ""))):
            problems.add(where, f"source {source['title']!r} needs an https url")


def check_inline_field(value: object, where: str, problems: Problems) -> None:
    if isinstance(value, str):
        for problem in markup.inline_problems(value):
            problems.add(where, problem)


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
    data = read_toml(path, problems) if path.exists() else None
    if data is None:
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
    if not is_text(raw.get("title")):
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
