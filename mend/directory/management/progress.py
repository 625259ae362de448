"""Progress bars on standard error for the directory commands (tqdm)."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from tqdm import tqdm


class TqdmProgress:
    """One bar per stage. Shown only on a terminal (or when ``enabled`` says so), so
    logs and tests get the report alone."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.bar: tqdm[Any] | None = None

    def begin(self, stage: str, total: int | None) -> None:
        self.end()
        self.bar = tqdm(
            total=total,
            desc=stage,
            unit=" records",
            file=self.stream,
            leave=False,
            disable=None if self.enabled is None else not self.enabled,
        )

    def advance(self, amount: int) -> None:
        if self.bar is not None:
            self.bar.update(amount)

    def end(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
