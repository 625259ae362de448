"""The shapes of training content, shared by the readers (curriculum, lessons, banks).

Plain frozen dataclasses: what a module, a lesson, a question and a path are once read and
checked. Nothing here reads a file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

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


def is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def is_int(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
