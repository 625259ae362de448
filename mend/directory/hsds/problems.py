"""The import report: every problem found, each naming file, record, field and reason."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

ERROR = "error"
WARNING = "warning"


class Where(NamedTuple):
    """Where a record came from: a file and a row ("row 2", spreadsheet numbering with
    the header as row 1) or a JSON pointer ("/service_at_locations/0/location").
    A named tuple: a large import makes one for every record, and a frozen dataclass
    took several times as long to make."""

    source: str
    record: str

    def __str__(self) -> str:
        return f"{self.source}, {self.record}"


@dataclass(frozen=True)
class Problem:
    where: Where
    field: str
    reason: str
    level: str = ERROR
    record_id: str = ""

    def __str__(self) -> str:
        record = (
            f"{self.where.record} (id {self.record_id})" if self.record_id else self.where.record
        )
        place = f"{self.where.source}, {record}"
        if self.field:
            place += f", field {self.field}"
        return f"{self.level}: {place}: {self.reason}"


@dataclass
class Problems:
    """Collects problems instead of stopping at the first (an import reports them all)."""

    items: list[Problem] = field(default_factory=list)

    def error(self, where: Where, field: str, reason: str, record_id: object = "") -> None:
        self.items.append(Problem(where, field, reason, ERROR, _text(record_id)))

    def warn(self, where: Where, field: str, reason: str, record_id: object = "") -> None:
        self.items.append(Problem(where, field, reason, WARNING, _text(record_id)))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.level == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.level == WARNING]

    @property
    def has_errors(self) -> bool:
        return any(p.level == ERROR for p in self.items)


def _text(value: object) -> str:
    return "" if value is None else str(value)


class Progress(Protocol):
    """Where long stages report how far they are (the command draws tqdm bars)."""

    def begin(self, stage: str, total: int | None) -> None: ...

    def advance(self, amount: int) -> None: ...

    def end(self) -> None: ...


class NoProgress:
    """The default: report nothing."""

    def begin(self, stage: str, total: int | None) -> None:
        pass

    def advance(self, amount: int) -> None:
        pass

    def end(self) -> None:
        pass
